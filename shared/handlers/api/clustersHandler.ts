import type { HttpRequest } from '@azure/functions';
import { clusterStatesPage } from '../../audit/clusterStates.js';
import { completeListings } from '../../audit/staleness.js';
import type { AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/** `GET /api/clusters`: each cluster's latest verdict, filtered by subscription, status and finding code, a page at a time. */
export function makeClustersHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      subscription: parameter.subscription.optional(),
      status: parameter.status.optional(),
      finding: parameter.finding.optional(),
      pageSize: parameter.pageSize.default(100),
      continuationToken: parameter.continuationToken.optional(),
    });
    if (!query.ok) return badRequest(query.message);
    const { subscription, status, finding, pageSize, continuationToken } = query.value;
    const [page, listings] = await Promise.all([
      clusterStatesPage(deps.tables.state, { subscriptionId: subscription, status, findingCode: finding }, { pageSize, continuationToken }),
      completeListings(deps.tables.scans),
    ]);
    return jsonResponse({ ...page, items: page.items.map((v) => listings.mark(v)) });
  });
}
