import type { HttpRequest } from '@azure/functions';
import { scanRunsPage } from '../../audit/scanRuns.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { parseDatedPageQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/** `GET /api/scans`: the scans that started between `from` and `to`, oldest first, a page at a time, each with its `state`. */
export function makeScansHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseDatedPageQuery(request);
    if (!query.ok) return badRequest(query.message);
    const { from, to, pageSize, continuationToken } = query.value;
    return jsonResponse(await scanRunsPage(deps.tables.scans, { from, to }, { pageSize, continuationToken }, nowOf(deps)));
  });
}
