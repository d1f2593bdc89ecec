import type { HttpRequest } from '@azure/functions';
import type { Finding } from '../../domain/findings.js';
import { clusterStatesPage } from '../../audit/clusterStates.js';
import { completeListings } from '../../audit/staleness.js';
import type { RecordedVerdict } from '../../audit/recordedVerdict.js';
import type { AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

/** One finding of a cluster's latest verdict, with the cluster it is about. */
export type FleetFinding = Finding & {
  clusterId: string;
  clusterName: string;
  subscriptionId: string;
  resourceGroup: string;
  clusterStatus: RecordedVerdict['status'];
  recordedAt: Date;
  scanId: string;
  /** When ARM last listed or returned the cluster, when recorded. */
  clusterLastSeenAt?: Date;
  /** Not seen by the last complete listing of its subscription: the finding may no longer hold. */
  clusterStale?: true;
};

/**
 * `GET /api/findings`: the findings of every cluster's latest verdict, filtered by subscription,
 * cluster status, finding code (`finding`: `code` is the function key's parameter) and severity. Pages are pages of clusters (`pageSize` clusters, with
 * all their matching findings), so a cluster's findings never straddle two pages.
 */
export function makeFindingsHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      subscription: parameter.subscription.optional(),
      status: parameter.status.optional(),
      finding: parameter.finding.optional(),
      severity: parameter.severity.optional(),
      pageSize: parameter.pageSize.default(100),
      continuationToken: parameter.continuationToken.optional(),
    });
    if (!query.ok) return badRequest(query.message);
    const { subscription, status, finding, severity, pageSize, continuationToken } = query.value;
    const [page, listings] = await Promise.all([
      clusterStatesPage(deps.tables.state, { subscriptionId: subscription, status, findingCode: finding }, { pageSize, continuationToken }),
      completeListings(deps.tables.scans),
    ]);
    const items: FleetFinding[] = page.items.flatMap((v) =>
      v.findings
        .filter((f) => (finding === undefined || f.code === finding) && (severity === undefined || f.severity === severity))
        .map((f) => ({
          clusterId: v.id, clusterName: v.name, subscriptionId: v.subscriptionId, resourceGroup: v.resourceGroup,
          clusterStatus: v.status, recordedAt: v.recordedAt, scanId: v.scanId,
          ...(v.lastSeenAt ? { clusterLastSeenAt: v.lastSeenAt } : {}), ...(listings.isStale(v) ? { clusterStale: true as const } : {}), ...f,
        })),
    );
    return jsonResponse({ items, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) });
  });
}
