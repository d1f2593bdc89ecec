import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { ALERT_LIST_FILTERS, type AlertListFilter } from '../../alerts/alertListing.js';
import { subscriptionIdSchema } from '../../domain/clusterId.js';
import { AUDIT_DATE_HINT, parseAuditDate, type DayEdge } from '../../domain/auditDate.js';
import { FINDING_CODES } from '../../domain/findings.js';
import { STATUSES } from '../../domain/report.js';

/**
 * Query parameters are validated against a schema per endpoint. A bad one is a 400 whose message
 * starts with the parameter's name. Unknown and repeated parameters are refused too, so a typo
 * (`?stauts=violation`) is an error rather than a silently unfiltered answer. Empty values count as
 * absent, as an HTML form sends them for "any".
 */
const auditDate = (edge: DayEdge) =>
  z.string().transform((value, context) => {
    const date = parseAuditDate(value, edge);
    if (!date) context.addIssue({ code: 'custom', message: `"${value}" is not ${AUDIT_DATE_HINT}` });
    return date ?? z.NEVER;
  });

const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d{1,6}$/, `must be a whole number from ${min} to ${max}`).transform(Number)
    .pipe(z.number().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`));

export const parameter = {
  subscription: subscriptionIdSchema,
  status: z.enum(STATUSES as [string, ...string[]], { error: `must be one of ${STATUSES.join(', ')}` }).transform((s) => s as (typeof STATUSES)[number]),
  finding: z.enum(FINDING_CODES, { error: 'must be a finding code such as CERT_EXPIRED (see docs/rules.md)' }),
  severity: z.enum(['info', 'warning', 'violation'], { error: 'must be one of info, warning, violation' }),
  from: auditDate('start'),
  to: auditDate('end'),
  asOf: auditDate('end'),
  pageSize: wholeNumber(1, 1000),
  continuationToken: z.string().max(4096, 'is not a continuation token from this API'),
  format: z.enum(['json', 'csv', 'html', 'jsonl'], { error: 'must be one of json, csv, html, jsonl' }),
  page: wholeNumber(1, 100_000),
  q: z.string().max(100, 'must be at most 100 characters'),
  alertState: z.enum(ALERT_LIST_FILTERS as [AlertListFilter, ...AlertListFilter[]], { error: `must be one of ${ALERT_LIST_FILTERS.join(', ')}` }),
};

/** The function key of `authLevel: 'function'`: checked by the platform, never by handlers. */
const FUNCTION_KEY = 'code';

export type QueryResult<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseQuery<Shape extends z.ZodRawShape>(request: HttpRequest, shape: Shape): QueryResult<z.output<z.ZodObject<Shape>>> {
  const raw: Record<string, string> = {};
  for (const name of new Set(request.query.keys())) {
    if (name === FUNCTION_KEY) continue;
    if (!(name in shape)) {
      const accepted = Object.keys(shape);
      return { ok: false, message: `${name}: unknown parameter; this endpoint takes ${accepted.length ? accepted.join(', ') : 'none'}` };
    }
    const values = request.query.getAll(name).filter((v) => v !== '');
    if (values.length > 1) return { ok: false, message: `${name}: given more than once` };
    if (values.length === 1) raw[name] = values[0]!;
  }
  const parsed = z.strictObject(shape).safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  return { ok: false, message: `${String(issue.path[0] ?? 'query')}: ${issue.message}` };
}

/** `from` must not be after `to`. */
function rangeProblem(range: { from?: Date; to?: Date }): string | undefined {
  return range.from && range.to && range.from > range.to ? 'to: is before from' : undefined;
}

/** The query of a dated list: `from` (not after `to`), `to`, `pageSize`, `continuationToken`. */
export function parseDatedPageQuery(request: HttpRequest) {
  const query = parseQuery(request, {
    from: parameter.from.optional(),
    to: parameter.to.optional(),
    pageSize: parameter.pageSize.default(100),
    continuationToken: parameter.continuationToken.optional(),
  });
  if (!query.ok) return query;
  const problem = rangeProblem(query.value);
  return problem ? ({ ok: false, message: problem } as const) : query;
}
