import { FINDING_CODES, type FindingCode } from '../domain/findings.js';
import { countByStatus, STATUSES } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { StatusSample } from '../audit/fleetTimeline.js';
import type { MarkedVerdict } from '../audit/staleness.js';
import { clusterTable } from './clusterTable.js';
import { complianceChart } from './complianceChart.js';
import { STATUS_LABEL, timeOf } from './components.js';
import { html, type SafeHtml } from './html.js';
import { clusterPageLink, link, type LinkContext } from './links.js';
import { page } from './page.js';
import { siteNav } from './siteNav.js';
import { statusSummary } from './statusSummary.js';

export interface DashboardFilters {
  subscription?: string;
  status?: ClusterStatus;
  finding?: FindingCode;
  /** Part of a cluster name. */
  q?: string;
}

export interface FleetPageModel {
  now: Date;
  links: LinkContext;
  /** Every cluster's latest verdict: the summary and the filter choices. */
  fleet: readonly MarkedVerdict[];
  /** The clusters that pass the filters, most urgent first. */
  matching: readonly MarkedVerdict[];
  filters: DashboardFilters;
  page: number;
  pageSize: number;
  samples: readonly StatusSample[];
}

export function fleetPage(model: FleetPageModel): string {
  const { fleet, matching, filters, links } = model;
  const subscriptions = [...new Set(fleet.map((v) => v.subscriptionId))].sort();
  const lastRecorded = fleet.reduce<Date | undefined>((latest, v) => (!latest || v.recordedAt > latest ? v.recordedAt : latest), undefined);
  const pages = Math.max(1, Math.ceil(matching.length / model.pageSize));
  const pageNumber = Math.min(model.page, pages);
  const shown = matching.slice((pageNumber - 1) * model.pageSize, pageNumber * model.pageSize);
  const filtered = (changes: Partial<DashboardFilters> & { page?: number }) => link(links, 'dashboard', { ...filters, ...changes });
  const first = matching.length === 0 ? 0 : (pageNumber - 1) * model.pageSize + 1;
  const caption = matching.length === 0
    ? 'No cluster matches these filters'
    : `Clusters ${first} to ${first + shown.length - 1} of ${matching.length}${matching.length < fleet.length ? ' matching' : ''}, most urgent first`;

  return page({
    title: 'Fleet',
    nav: siteNav(links),
    body: html`<h1>Fleet compliance</h1>
<p class="lede">${fleet.length} clusters in ${subscriptions.length} subscriptions, each as its latest scan recorded it${lastRecorded ? html` (latest record ${timeOf(lastRecorded)})` : ''}. Days are counted from ${timeOf(model.now)}.</p>
<section class="panel" aria-labelledby="summary-heading">
<h2 id="summary-heading">Fleet summary</h2>
${statusSummary(countByStatus(fleet), (status) => filtered({ status, page: undefined }))}
</section>
<section class="panel" aria-labelledby="trend-heading">
<h2 id="trend-heading">Compliance over time</h2>
${complianceChart(model.samples)}
</section>
<section class="panel" aria-labelledby="clusters-heading">
<h2 id="clusters-heading">Clusters</h2>
${filterForm(model, subscriptions)}
${clusterTable(caption, shown.map((verdict) => ({ verdict, recordedAt: verdict.recordedAt, stale: verdict.stale === true, href: clusterPageLink(links, verdict.id) })), model.now)}
${pages > 1 ? html`<nav class="pages" aria-label="Pages of clusters">
${pageNumber > 1 ? html`<a href="${filtered({ page: pageNumber - 1 })}" rel="prev">Previous page</a>` : ''}
<span>Page ${pageNumber} of ${pages}</span>
${pageNumber < pages ? html`<a href="${filtered({ page: pageNumber + 1 })}" rel="next">Next page</a>` : ''}
</nav>` : ''}
</section>`,
  });
}

/** A plain GET form: filtering works without JavaScript, and every filtered view has its own URL. */
function filterForm(model: FleetPageModel, subscriptions: readonly string[]): SafeHtml {
  const { filters, links } = model;
  const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const codes = FINDING_CODES.filter((code) => model.fleet.some((v) => v.findings.some((f) => f.code === code)) || code === filters.finding);
  return html`<form class="filters" method="get" action="${link({ base: links.base }, 'dashboard')}" aria-label="Filter clusters">
<div><label for="filter-subscription">Subscription</label>
<select id="filter-subscription" name="subscription">${option('', 'All subscriptions', !filters.subscription)}${subscriptions.map((s) => option(s, s, s.toLowerCase() === filters.subscription?.toLowerCase()))}</select></div>
<div><label for="filter-status">Status</label>
<select id="filter-status" name="status">${option('', 'Any status', !filters.status)}${STATUSES.map((s) => option(s, STATUS_LABEL[s], s === filters.status))}</select></div>
<div><label for="filter-finding">Finding</label>
<select id="filter-finding" name="finding">${option('', 'Any finding', !filters.finding)}${codes.map((c) => option(c, c, c === filters.finding))}</select></div>
<div><label for="filter-name">Name contains</label>
<input id="filter-name" type="search" name="q" value="${filters.q ?? ''}" maxlength="100"></div>
${links.functionKey ? html`<input type="hidden" name="code" value="${links.functionKey}">` : ''}
<div><button type="submit">Apply filters</button> <a href="${link(links, 'dashboard')}">Clear</a></div>
</form>`;
}
