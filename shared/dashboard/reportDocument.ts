import { countByStatus, type ScanError } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { byUrgency } from '../domain/verdictMetrics.js';
import { clusterTable } from './clusterTable.js';
import { timeOf } from './components.js';
import { html } from './html.js';
import { page } from './page.js';
import { statusSummary } from './statusSummary.js';

export interface ReportDocumentInput {
  title: string;
  summary: string;
  asOf: Date;
  entries: readonly { verdict: ClusterVerdict; recordedAt: Date; stale?: boolean }[];
  errors: readonly ScanError[];
}

/** A report as one standalone HTML page (`--format html`, `/api/report?format=html`): it links nowhere, so it can be filed as evidence. */
export function reportDocument(report: ReportDocumentInput): string {
  const entries = [...report.entries].sort((a, b) => byUrgency(report.asOf)(a.verdict, b.verdict));
  return page({
    title: report.title,
    body: html`<h1>${report.title}</h1>
<p class="lede">${report.summary}. Days are counted from ${timeOf(report.asOf)}.</p>
<section class="panel" aria-labelledby="summary-heading"><h2 id="summary-heading">Summary</h2>${statusSummary(countByStatus(entries.map((e) => e.verdict)))}</section>
${report.errors.length ? html`<section class="panel" aria-labelledby="errors-heading"><h2 id="errors-heading">Problems</h2><ul>${report.errors.map((e) => html`<li><span class="mono">${e.scope}</span>: ${e.message}</li>`)}</ul></section>` : ''}
<section class="panel" aria-labelledby="clusters-heading"><h2 id="clusters-heading">Clusters</h2>
${clusterTable(`${entries.length} clusters, most urgent first`, entries, report.asOf)}
</section>`,
  });
}
