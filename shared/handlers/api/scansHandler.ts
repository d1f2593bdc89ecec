import type { HttpRequest } from '@azure/functions';
import { scanRunsPage } from '../../store/scanRuns.js';
import type { AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery, rangeProblem } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/** `GET /api/scans`: the scans that started between `from` and `to`, oldest first, a page at a time. */
export function makeScansHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      from: parameter.from.optional(),
      to: parameter.to.optional(),
      pageSize: parameter.pageSize.default(100),
      continuationToken: parameter.continuationToken.optional(),
    });
    if (!query.ok) return badRequest(query.message);
    const { from, to, pageSize, continuationToken } = query.value;
    const problem = rangeProblem({ from, to });
    if (problem) return badRequest(problem);
    return jsonResponse(await scanRunsPage(deps.tables.scans, { from, to }, { pageSize, continuationToken }));
  });
}
