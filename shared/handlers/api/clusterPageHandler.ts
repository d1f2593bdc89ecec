import type { HttpRequest } from '@azure/functions';
import { clusterPage } from '../../dashboard/clusterPage.js';
import { CLUSTER_REF_HINT, parseClusterRef } from '../../domain/clusterId.js';
import { readClusterTrail } from '../../audit/clusterTrail.js';
import { completeListings } from '../../audit/staleness.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { functionKeyOf } from './dashboardHandler.js';
import { parseQuery } from './queryParameters.js';
import { problemPage } from '../../dashboard/problemPage.js';
import { rotationView } from '../../report/rotationsReport.js';
import { answeringFailures, htmlResponse } from './responses.js';

/** `GET /api/dashboard/clusters/{id}`: one cluster's latest verdict, certificates and checked history. */
export function makeClusterPageHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const links = { base: deps.routePrefix ?? '/api', ...functionKeyOf(request) };
    const cluster = parseClusterRef(request.params['id'] ?? '');
    if (!cluster) return htmlResponse(problemPage(links, `id: must name ${CLUSTER_REF_HINT}`), 400);
    const query = parseQuery(request, {});
    if (!query.ok) return htmlResponse(problemPage(links, query.message), 400);
    const [trail, listings] = await Promise.all([readClusterTrail(deps.tables, cluster.subscriptionId, cluster.id), completeListings(deps.tables.scans)]);
    const known = trail.latest !== undefined || trail.history.length > 0;
    const rotations = deps.rotations ? (await deps.rotations.list({ clusterId: cluster.id, subscriptionId: cluster.subscriptionId })).map(rotationView) : [];
    const document = clusterPage({ now: nowOf(deps), links, clusterId: trail.latest?.id ?? cluster.id, latest: trail.latest, history: trail.history, trail: trail.findings, rotations,
      stale: trail.latest !== undefined && listings.isStale(trail.latest) });
    return htmlResponse(document, known ? 200 : 404);
  });
}
