import { z } from 'zod';
import { CLOUD_NAMES, type CloudName } from './azure/cloud.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const subscriptionIdSchema = z.string().trim().regex(GUID, 'is not a subscription id (a GUID)');

const httpsUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', 'must be an https:// URL (the SDK sends bearer tokens only over TLS)');

/** App settings (Azure) or environment variables (local): DESIGN.md "Configuration". */
const configSchema = z.object({
  COMPLIANCE_STORAGE: z.string().trim().min(1).default('UseDevelopmentStorage=true'),
  AZURE_SUBSCRIPTION_IDS: z
    .string()
    .optional()
    .transform((value) => value?.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(subscriptionIdSchema).optional()),
  AZURE_CLOUD: z.enum(CLOUD_NAMES as [CloudName, ...CloudName[]]).default('AzureCloud'),
  ARM_ENDPOINT: httpsUrl.optional(),
  AZURE_STATIC_TOKEN: z.string().min(1).optional(),
  SCAN_SCHEDULE: z.string().trim().min(1).default('0 0 */6 * * *'),
  POLICY_FILE: z.string().trim().min(1).optional(),
  /** Inline policy JSON, for hosts where shipping a file is awkward; POLICY_FILE wins when both are set. */
  POLICY_JSON: z.string().trim().min(1).optional(),
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /** Events for one cluster within this window share a scan (plus one trailing scan for late ones). */
  RESCAN_DEBOUNCE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /**
   * Read each API server's TLS certificate from a handshake with its public FQDN. `auto`: against the
   * cloud's own Resource Manager, or wherever APISERVER_CONNECT_TO says the API servers are; not
   * against another ARM endpoint, whose cluster FQDNs need not exist.
   */
  APISERVER_PROBE: z.enum(['on', 'off', 'auto']).default('auto'),
  /** `host:port` to connect to instead of each FQDN, SNI unchanged (simulators, proxies). */
  APISERVER_CONNECT_TO: z
    .string()
    .trim()
    .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
    .transform((value) => ({ host: value.slice(0, value.lastIndexOf(':')), port: Number(value.slice(value.lastIndexOf(':') + 1)) }))
    .optional(),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the settings once; the error names every bad setting. Empty values count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const settings = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = configSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "(settings)")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}
