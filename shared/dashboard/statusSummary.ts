import { STATUSES } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import { STATUS_LABEL } from './components.js';
import { html, type SafeHtml } from './html.js';

/** Counts by status as cards; each links to the table filtered by that status when `hrefOf` is given. */
export function statusSummary(counts: Record<ClusterStatus, number>, hrefOf?: (status?: ClusterStatus) => string): SafeHtml {
  const total = STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const card = (className: string, count: number, label: string, href?: string) => {
    const inner = html`<span class="count">${count}</span><span class="label">${label}</span>`;
    return html`<li>${href ? html`<a class="${className}" href="${href}">${inner}</a>` : html`<div class="${className}">${inner}</div>`}</li>`;
  };
  return html`<ul class="cards" aria-label="Clusters by status">
${card('card-total', total, 'All clusters', hrefOf?.())}
${STATUSES.map((status) => card(`card-${status}`, counts[status], STATUS_LABEL[status], hrefOf?.(status)))}
</ul>`;
}
