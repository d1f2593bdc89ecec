import { z } from 'zod';
import { PolicyError } from './errors.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)');
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

const rotationSchema = z.strictObject({
  mode: z.enum(['off', 'alert-only', 'auto']).default('alert-only'),
  maxConcurrent: z.int().min(1).default(5),
  maxConcurrentPerSubscription: z.int().min(1).default(2),
  cooldownHours: z.number().min(0).default(24),
  window: z.strictObject({ start: hhmm, end: hhmm, days: z.array(weekday).min(1).optional() }).nullable().default(null),
  // How long a rotation is expected to take: it starts only in a maintenance window with this much left (docs/rules.md "Maintenance windows").
  expectedDurationMinutes: z.int().min(1).default(30),
});

/** The certificate policy (README "Policy file"): every key optional, unknown keys refused. */
export const policySchema = z
  .strictObject({
    maxAgeDays: z.int().min(1).default(90),
    warningDays: z.int().min(0).default(30),
    criticalDays: z.int().min(0).default(7),
    // AKS certificate rotation (docs/rules.md 001) says auto-rotation is "only enabled by default for RBAC enabled AKS clusters";
    // newer revisions name only TLS bootstrapping, so organisations may follow either reading.
    requireRbacForAutoRotation: z.boolean().default(true),
    rotation: rotationSchema.prefault({}),
  })
  .refine((p) => p.criticalDays <= p.warningDays, { message: 'criticalDays must not exceed warningDays', path: ['criticalDays'] })
  .refine((p) => p.warningDays < p.maxAgeDays, { message: 'warningDays must be less than maxAgeDays', path: ['warningDays'] });

export type Policy = z.output<typeof policySchema>;
export type RotationMode = Policy['rotation']['mode'];

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** Validates a policy document; the error names the origin and every bad key. */
export function parsePolicy(input: unknown, origin = 'policy'): Policy {
  const result = policySchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const where = issue.path.length ? `${issue.path.join('.')}.` : '';
      return issue.keys.map((key) => `unknown key "${where}${key}"`).join('; ');
    }
    return `"${issue.path.join('.') || '(root)'}": ${issue.message}`;
  });
  throw new PolicyError(`${origin}: ${problems.join('; ')}`);
}

/** Parses policy JSON text, naming the origin when the text is not JSON. */
export function parsePolicyJson(text: string, origin: string): Policy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(`${origin}: not valid JSON (${(error as Error).message})`);
  }
  return parsePolicy(document, origin);
}
