import type { HttpRequest } from '@azure/functions';
import { verifyChains } from '../../audit/verifyChains.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/**
 * `GET /api/verify`: `akscert verify` over HTTP. The check itself succeeds either way (200); `intact`
 * says whether the trail was tampered with and `findings` names every row.
 */
export function makeVerifyHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {});
    if (!query.ok) return badRequest(query.message);
    return jsonResponse(await verifyChains(deps.tables, nowOf(deps)));
  });
}
