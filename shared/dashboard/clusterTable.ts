import { platformOf } from '../domain/clusterId.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { daysSinceRotation, daysToExpiry, headlineFinding } from '../domain/verdictMetrics.js';
import { daysCell, statusBadge, timeOf } from './components.js';
import { html, type SafeHtml } from './html.js';

export interface ClusterTableRow {
  verdict: ClusterVerdict;
  recordedAt: Date;
  /** Not seen by the last complete listing of its subscription (audit/staleness.ts): "stale" beside the status. */
  stale?: boolean;
  /** Where the cluster's name links to (its dashboard page); plain text when absent. */
  href?: string;
}

/**
 * The clusters as a semantic table: a caption, column headers, and each cluster's name as its row
 * header, so a screen reader announces "aks-payments-prod, Status: Violation".
 */
export function clusterTable(caption: string, rows: readonly ClusterTableRow[], now: Date): SafeHtml {
  return html`<div class="table-wrap"><table class="clusters">
<caption>${caption}</caption>
<thead><tr>
<th scope="col">Cluster</th><th scope="col">Status</th><th scope="col">Worst finding</th>
<th scope="col" class="num">Days to expiry</th><th scope="col" class="num">Days since rotation</th>
<th scope="col">Auto-rotation</th><th scope="col">Action</th><th scope="col">Recorded</th>
</tr></thead>
<tbody>${rows.map((row) => clusterRow(row, now))}</tbody>
</table></div>`;
}

function clusterRow({ verdict: v, recordedAt, stale, href }: ClusterTableRow, now: Date): SafeHtml {
  const worst = headlineFinding(v);
  return html`<tr data-status="${v.status}">
<th scope="row">${href ? html`<a href="${href}">${v.name}</a>` : v.name}${platformOf(v) === 'aks-arc' ? html`<span class="sub">AKS enabled by Azure Arc</span>` : ''}<span class="sub">${v.resourceGroup}</span><span class="sub mono" title="${v.subscriptionId}">${v.subscriptionId.slice(0, 8)}…</span></th>
<td>${statusBadge(v.status)}${stale ? html`<span class="sub stale" title="not seen by the last complete listing of its subscription">stale</span>` : ''}</td>
<td class="finding">${worst ? html`<span class="mono">${worst.code}</span><span class="sub">${worst.message}</span>` : 'None'}${v.findings.length > 1 ? html`<span class="sub">and ${v.findings.length - 1} more</span>` : ''}</td>
${daysCell(daysToExpiry(v, now))}
${daysCell(daysSinceRotation(v, now), false)}
<td class="reasons">${v.autoRotation.eligible ? 'Eligible' : html`Not eligible${v.autoRotation.reasons.map((reason) => html`<span class="sub">${reason}</span>`)}`}</td>
<td>${v.action}</td>
<td>${timeOf(recordedAt)}</td>
</tr>`;
}
