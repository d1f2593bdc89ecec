import type { HttpRequest } from '@azure/functions';
import { CLUSTER_REF_HINT, parseClusterRef } from '../../domain/clusterId.js';
import { clusterHistoryPage } from '../../audit/historyQueries.js';
import type { AuditApiDependencies } from './auditApiDependencies.js';
import { parseDatedPageQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/** `GET /api/clusters/{id}/history`: one cluster's records between `from` and `to`, oldest first, a page at a time. */
export function makeClusterHistoryHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const cluster = parseClusterRef(request.params['id'] ?? '');
    if (!cluster) return badRequest(`id: must name ${CLUSTER_REF_HINT}`);
    const query = parseDatedPageQuery(request);
    if (!query.ok) return badRequest(query.message);
    const { from, to, pageSize, continuationToken } = query.value;
    const page = await clusterHistoryPage(deps.tables.history, cluster.subscriptionId, cluster.id, { from, to }, { pageSize, continuationToken });
    return jsonResponse({ clusterId: cluster.id, ...page });
  });
}
