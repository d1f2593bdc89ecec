import type { HttpRequest } from '@azure/functions';
import { fleetPage } from '../../dashboard/fleetPage.js';
import { byUrgency } from '../../domain/verdictMetrics.js';
import { allClusterStates } from '../../audit/clusterStates.js';
import { completeListings } from '../../audit/staleness.js';
import { fleetStatusOverTime } from '../../audit/fleetTimeline.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery } from './queryParameters.js';
import { problemPage } from '../../dashboard/problemPage.js';
import { answeringFailures, htmlResponse } from './responses.js';

const PAGE_SIZE = 50;

/**
 * `GET /api/dashboard`: the fleet page. The whole fleet's latest states are read (the summary counts
 * them all, and the table sorts every match by urgency before paging), then filtered here.
 */
export function makeDashboardHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      subscription: parameter.subscription.optional(),
      status: parameter.status.optional(),
      finding: parameter.finding.optional(),
      q: parameter.q.optional(),
      page: parameter.page.default(1),
    });
    const links = { base: deps.routePrefix ?? '/api', ...functionKeyOf(request) };
    if (!query.ok) return htmlResponse(problemPage(links, query.message), 400);
    const { page, ...filters } = query.value;
    const now = nowOf(deps);
    const [states, samples, listings] = await Promise.all([
      allClusterStates(deps.tables.state),
      fleetStatusOverTime(deps.tables.history, { until: now }),
      completeListings(deps.tables.scans),
    ]);
    const fleet = states.map((v) => listings.mark(v));
    const name = filters.q?.trim().toLowerCase();
    const matching = fleet
      .filter((v) => !filters.subscription || v.subscriptionId.toLowerCase() === filters.subscription.toLowerCase())
      .filter((v) => !filters.status || v.status === filters.status)
      .filter((v) => !filters.finding || v.findings.some((f) => f.code === filters.finding))
      .filter((v) => !name || v.name.toLowerCase().includes(name))
      .sort(byUrgency(now));
    return htmlResponse(fleetPage({ now, links, fleet, matching, filters, page, pageSize: PAGE_SIZE, samples }));
  });
}

/** The function key the page was opened with, carried on its links (see dashboard/links.ts). */
export function functionKeyOf(request: HttpRequest): { functionKey?: string } {
  const key = request.query.get('code');
  return key ? { functionKey: key } : {};
}
