import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { subscriptionIdSchema } from './domain/clusterId.js';
import { ConfigError } from './domain/errors.js';

/** The Azure clouds `--cloud` and AZURE_CLOUD name (their endpoints: azure/cloud.ts). */
export const CLOUD_NAMES = ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

const httpsUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && new URL(value).protocol === 'https:', 'must be an https:// URL (the SDK sends bearer tokens only over TLS)');

/** Hosts a channel may be reached at over plain http: the local receivers of tests and the demo. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where an alert channel posts (or a link in a message points): https, or a loopback address. Never
 * echoed in the message: a webhook URL carries its secret in the path (Slack, Teams Workflows).
 */
const channelUrl = z
  .string()
  .trim()
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname.toLowerCase()));
  }, 'must be an https:// URL (or http:// to a loopback address, for local receivers); the value is not repeated here, a webhook URL holds its secret');

/** A key or secret of an alert channel: kept whole, never repeated in an error. */
const channelSecret = z.string().trim().min(8, 'is too short to be a key (8 characters at least)').max(4096, 'is longer than any key (4096 characters at most)');

/** PagerDuty Events API v2 (its public enqueue endpoint): the default of ALERT_PAGERDUTY_URL. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** A key of the local host (LOCAL_HOST_MASTER_KEY, or one kept in its keys file): URL- and shell-safe. */
export const HOST_KEY_PATTERN = /^[A-Za-z0-9._~+/=-]{16,512}$/;

/** App settings (Azure) or environment variables (local): the README's "Configuration" table. */
const configSchema = z.object({
  COMPLIANCE_STORAGE: z
    .string()
    .default('UseDevelopmentStorage=true')
    .transform((value, context) => {
      const setting = parseStorageSetting(value);
      if ('problem' in setting) context.addIssue({ code: 'custom', message: setting.problem });
      return 'problem' in setting ? z.NEVER : setting;
    }),
  AZURE_SUBSCRIPTION_IDS: z
    .string()
    .optional()
    .transform((value) => value?.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(subscriptionIdSchema).optional()),
  AZURE_CLOUD: z.enum(CLOUD_NAMES).default('AzureCloud'),
  ARM_ENDPOINT: httpsUrl.optional(),
  /** Set means "use this token"; set but empty is a mistake, never a silent switch to DefaultAzureCredential. */
  AZURE_STATIC_TOKEN: z
    .string()
    .refine((value) => value.trim() !== '', 'is set but empty: give the bearer token, or unset it to sign in with DefaultAzureCredential')
    .optional(),
  SCAN_SCHEDULE: z.string().trim().default('0 0 */6 * * *').superRefine((value, context) => {
    const problem = ncrontabProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: `is not an NCRONTAB schedule (six fields, seconds first, UTC, such as "0 0 */6 * * *"): ${problem}` });
  }),
  POLICY_FILE: z.string().trim().min(1).optional(),
  /** Inline policy JSON, for hosts where shipping a file is awkward; POLICY_FILE wins when both are set. */
  POLICY_JSON: z.string().trim().min(1).optional(),
  SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  /**
   * How a full scan finds the clusters: `auto` one Resource Graph query, falling back to listing each
   * subscription from ARM where it is denied or unavailable; `resource-graph` the query only; `arm` the listing only.
   */
  DISCOVERY: z.enum(['auto', 'resource-graph', 'arm']).default('auto'),
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
  /**
   * The local host's master key (opens every route); generated and kept under .dev/ when unset.
   * URL- and shell-safe characters only: it is printed in a `curl` line and sent as `?code=`.
   */
  LOCAL_HOST_MASTER_KEY: z
    .string()
    .superRefine((value, context) => {
      if (value.trim() === '') context.addIssue({ code: 'custom', message: 'is empty; unset it and the local host generates a master key (kept under .dev/)' });
      else if (!HOST_KEY_PATTERN.test(value)) context.addIssue({ code: 'custom', message: 'must be 16 to 512 characters of A-Z, a-z, 0-9 and . _ ~ + / = -' });
    })
    .optional(),
  /**
   * Where the trail's checkpoints are mirrored (README, "Tamper evidence"): the name of a blob
   * container in COMPLIANCE_STORAGE's account, or the https:// URL of a container elsewhere (reached
   * with the managed identity; no SAS in it). Give the container a version-level immutability policy.
   */
  CHECKPOINT_MIRROR: z
    .string()
    .trim()
    .refine(
      (value) => {
        const container = /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/;
        if (container.test(value)) return true;
        const url = URL.canParse(value) ? new URL(value) : undefined;
        return url?.protocol === 'https:' && url.search === '' && container.test(url.pathname.replace(/^\/|\/$/g, ''));
      },
      'must be a blob container name (3 to 63 lowercase letters, digits and single hyphens) or the https:// URL of a container, without a query',
    )
    .optional(),
  /** `on`: the scheduled scan acts on its verdicts (README "Rotation"); `off`: it only reports them. */
  REMEDIATION: z.enum(['on', 'off']).default('off'),
  /** Who rotations are recorded as when the credential's token names no principal (a static token, say). */
  ROTATION_ACTOR: z.string().trim().min(1).max(200).default('aks-cert-compliance'),
  // Alerts (README, "Alerts"): every channel is optional; none configured means no alerting at all.
  ALERT_PAGERDUTY_ROUTING_KEY: channelSecret.optional(),
  ALERT_PAGERDUTY_URL: channelUrl.default(PAGERDUTY_EVENTS_URL),
  ALERT_TEAMS_WEBHOOK_URL: channelUrl.optional(),
  ALERT_SLACK_WEBHOOK_URL: channelUrl.optional(),
  ALERT_EVENTGRID_TOPIC_ENDPOINT: channelUrl.optional(),
  /** The topic's access key; absent: the managed identity (EventGrid Data Sender on the topic). */
  ALERT_EVENTGRID_TOPIC_KEY: channelSecret.optional(),
  ALERT_WEBHOOK_URL: channelUrl.optional(),
  /** The HMAC key of the signed webhook: required with ALERT_WEBHOOK_URL (an unsigned webhook invites forgeries). */
  ALERT_WEBHOOK_SECRET: channelSecret.optional(),
  ALERT_MIN_SEVERITY: z.enum(['warning', 'violation'], { error: 'must be warning or violation' }).default('warning'),
  ALERT_REPEAT_HOURS: z.coerce.number({ error: 'must be a number of hours' }).positive('must be more than 0 hours').max(24 * 30, 'must be at most 720 hours (30 days)').default(24),
  /** `on`: read node certificates through VMSS run-command (README "Node probe"); a write per node pool, and its own role. */
  NODE_PROBE: z.enum(['on', 'off'], { error: 'must be on or off' }).default('off'),
  /** A cluster probed less than this many hours ago keeps its last probe's results instead of being probed again. */
  NODE_PROBE_HOURS: z.coerce.number({ error: 'must be a number of hours' }).positive('must be more than 0 hours').max(24 * 30, 'must be at most 720 hours (30 days)').default(24),
  /** The dashboard's address as on-call opens it (`https://<app>.azurewebsites.net/api/dashboard`): links in messages. */
  DASHBOARD_URL: channelUrl.transform((value) => value.replace(/\/+$/, '')).optional(),
  /**
   * Warm scans (README "Warm scans"): a cluster unchanged since its certificates were read is judged
   * again from that read until it is this many hours old; 0 reads every cluster in full every scan.
   */
  FULL_REFRESH_HOURS: z.coerce.number({ error: 'must be a number of hours' }).min(0, 'must be 0 (always read in full) or more hours').max(24 * 30, 'must be at most 720 hours (30 days)').default(24),
}).superRefine((settings, context) => {
  const pairs = [
    ['ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_URL', 'signs the webhook\'s messages'],
    ['ALERT_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET', 'needs its secret to sign messages'],
    ['ALERT_EVENTGRID_TOPIC_KEY', 'ALERT_EVENTGRID_TOPIC_ENDPOINT', 'is the key of a topic'],
  ] as const;
  for (const [setting, needs, why] of pairs) {
    if (settings[setting] !== undefined && settings[needs] === undefined) context.addIssue({ code: 'custom', path: [setting], message: `${why}: set ${needs} too` });
  }
});

export type Config = z.output<typeof configSchema>;

/** The names of every setting loadConfig reads (test/infra compares them with the Bicep's app settings). */
export const CONFIG_SETTING_NAMES = Object.keys(configSchema.shape) as readonly (keyof Config)[];

/**
 * Settings whose empty value is an error rather than "unset". AZURE_STATIC_TOKEN chooses the
 * credential: were an empty one taken as unset, a token that failed to reach the environment would
 * silently sign in as whatever identity DefaultAzureCredential finds (a developer's `az login`, the
 * host's managed identity) instead of stopping. An empty LOCAL_HOST_MASTER_KEY would be a key anyone
 * can guess.
 */
const EMPTY_IS_AN_ERROR = new Set(['AZURE_STATIC_TOKEN', 'LOCAL_HOST_MASTER_KEY']);

/**
 * Reads and validates the settings once; the error names every bad setting. Empty values count as
 * unset (app settings and `NAME= command` leave settings empty to mean "the default"), except those
 * of EMPTY_IS_AN_ERROR.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const settings = Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && (value !== '' || EMPTY_IS_AN_ERROR.has(name))));
  // The Functions host's identity-based form of a connection (`COMPLIANCE_STORAGE__tableServiceUri` beside
  // `__queueServiceUri`, `__credential`): its queue triggers read the connection so, and a plain
  // COMPLIANCE_STORAGE value beside it would be taken for a connection string. The account URL is the same.
  if (settings['COMPLIANCE_STORAGE'] === undefined && settings[STORAGE_SERVICE_URI] !== undefined) settings['COMPLIANCE_STORAGE'] = settings[STORAGE_SERVICE_URI];
  const parsed = configSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? "(settings)")}: ${issue.message}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/** Why a timer schedule is not one the Functions host runs, or undefined when it is. */
export function ncrontabProblem(schedule: string): string | undefined {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 6) return `it has ${fields.length} field${fields.length === 1 ? '' : 's'}`;
  try {
    CronExpressionParser.parse(schedule, { tz: 'UTC' });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * COMPLIANCE_STORAGE, read once: a storage connection string (Azurite's `UseDevelopmentStorage=true`,
 * an account key or a SAS) or an account URL reached with the managed identity. A wrong value is
 * refused here, naming what is wrong but never echoing the value: a connection string holds a key.
 */
export type StorageSetting =
  | { kind: 'connectionString'; connectionString: string; tableEndpoint: string; queueEndpoint: string }
  | { kind: 'accountUrl'; tableEndpoint: string; queueEndpoint: string };

/** COMPLIANCE_STORAGE in the Functions host's identity-based connection form. */
export const STORAGE_SERVICE_URI = 'COMPLIANCE_STORAGE__tableServiceUri';

const ACCOUNT_URL = /^https:\/\/([a-z0-9]{3,24})\.(?:table|queue|blob)\.([^/]+)\/?$/i;

/** The keys a storage connection string may hold. */
const CONNECTION_STRING_KEYS = new Set([
  'defaultendpointsprotocol', 'accountname', 'accountkey', 'endpointsuffix', 'sharedaccesssignature',
  'blobendpoint', 'queueendpoint', 'tableendpoint', 'fileendpoint', 'usedevelopmentstorage', 'developmentstorageproxyuri',
]);

/** Azurite's well-known account and ports (the emulator's documented defaults). */
export const AZURITE = { tableEndpoint: 'http://127.0.0.1:10002/devstoreaccount1', queueEndpoint: 'http://127.0.0.1:10001/devstoreaccount1' };

/** The setting parsed, or a sentence saying what is wrong with it. */
export function parseStorageSetting(value: string): StorageSetting | { problem: string } {
  const text = value.trim();
  const url = ACCOUNT_URL.exec(text);
  if (url) {
    const [, account, suffix] = url;
    return { kind: 'accountUrl', tableEndpoint: `https://${account}.table.${suffix}`, queueEndpoint: `https://${account}.queue.${suffix}` };
  }
  if (/^https?:\/\//i.test(text)) return { problem: 'is a URL but not a storage account URL such as https://<account>.table.core.windows.net' };
  const parts = new Map<string, string>();
  for (const segment of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const equals = segment.indexOf('=');
    const key = (equals > 0 ? segment.slice(0, equals) : segment).trim();
    if (equals <= 0) return { problem: `is neither an account URL nor a connection string ("${key.slice(0, 40)}" is not a key=value pair)` };
    if (!CONNECTION_STRING_KEYS.has(key.toLowerCase())) return { problem: `is a connection string with an unknown key "${key.slice(0, 40)}"` };
    parts.set(key.toLowerCase(), segment.slice(equals + 1).trim());
  }
  if (parts.get('usedevelopmentstorage')?.toLowerCase() === 'true') {
    return { kind: 'connectionString', connectionString: text, ...AZURITE };
  }
  const account = parts.get('accountname');
  const key = parts.get('accountkey');
  const sas = parts.get('sharedaccesssignature');
  if (!key && !sas) return { problem: 'is a connection string without AccountKey or SharedAccessSignature (or UseDevelopmentStorage=true for Azurite)' };
  if (key !== undefined && (!account || !/^[A-Za-z0-9+/]+={0,2}$/.test(key))) {
    return { problem: account ? 'has an AccountKey that is not base64' : 'has an AccountKey but no AccountName' };
  }
  const protocol = (parts.get('defaultendpointsprotocol') ?? 'https').toLowerCase();
  if (protocol !== 'https' && protocol !== 'http') return { problem: 'has a DefaultEndpointsProtocol other than https or http' };
  const suffix = parts.get('endpointsuffix') ?? 'core.windows.net';
  const endpoint = (service: 'table' | 'queue') => parts.get(`${service}endpoint`) ?? (account ? `${protocol}://${account}.${service}.${suffix}` : undefined);
  const tableEndpoint = endpoint('table');
  const queueEndpoint = endpoint('queue');
  if (!tableEndpoint || !queueEndpoint) return { problem: 'is a connection string that names neither AccountName nor both TableEndpoint and QueueEndpoint' };
  for (const [name, address] of [['TableEndpoint', tableEndpoint], ['QueueEndpoint', queueEndpoint]] as const) {
    if (!URL.canParse(address)) return { problem: `has a ${name} that is not a URL` };
  }
  return { kind: 'connectionString', connectionString: text, tableEndpoint, queueEndpoint };
}

/** The alert channels, by the names the outbox records deliveries under. */
export const ALERT_CHANNEL_NAMES = ['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook'] as const;
export type AlertChannelName = (typeof ALERT_CHANNEL_NAMES)[number];

/**
 * The alert channels the settings turn on, by name only: what a log line or `akscert alerts test`
 * may say about them (never a URL, which may hold a secret, nor a key).
 */
export function configuredAlertChannels(config: Config): AlertChannelName[] {
  const set: Record<AlertChannelName, boolean> = {
    pagerduty: config.ALERT_PAGERDUTY_ROUTING_KEY !== undefined,
    teams: config.ALERT_TEAMS_WEBHOOK_URL !== undefined,
    slack: config.ALERT_SLACK_WEBHOOK_URL !== undefined,
    eventgrid: config.ALERT_EVENTGRID_TOPIC_ENDPOINT !== undefined,
    webhook: config.ALERT_WEBHOOK_URL !== undefined,
  };
  return ALERT_CHANNEL_NAMES.filter((name) => set[name]);
}
