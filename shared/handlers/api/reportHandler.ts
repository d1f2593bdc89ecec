import type { HttpRequest } from '@azure/functions';
import { formatPointInTimeReport } from '../../report/formatReport.js';
import { pointInTimeReport } from '../../audit/pointInTimeReport.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, htmlResponse, textResponse } from './responses.js';

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
} as const;

/**
 * `GET /api/report?asOf=DATE&format=json|csv|html|jsonl`: the fleet as recorded at a point in time,
 * the same document `akscert report --as-of DATE --format ...` prints. CSV and JSON lines come as
 * downloads named after the instant.
 */
export function makeReportHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      asOf: parameter.asOf.optional(),
      format: parameter.format.default('json'),
      subscription: parameter.subscription.optional(),
      status: parameter.status.optional(),
    });
    if (!query.ok) return badRequest(query.message);
    const { asOf, format, subscription, status } = query.value;
    const now = nowOf(deps);
    const report = await pointInTimeReport(deps.tables, { asOf: asOf ?? now, subscriptionId: subscription, status }, now);
    const body = formatPointInTimeReport(report, format);
    if (format === 'html') return htmlResponse(body);
    const name = `aks-cert-compliance-${report.report.asOf.toISOString().replace(/[:.]/g, '-')}.${format}`;
    return textResponse(body, CONTENT_TYPES[format], format === 'json' ? {} : { 'content-disposition': `attachment; filename="${name}"` });
  });
}
