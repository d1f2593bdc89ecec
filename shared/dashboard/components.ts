import type { ClusterStatus } from '../domain/verdict.js';
import { html, type SafeHtml } from './html.js';

export const STATUS_LABEL: Record<ClusterStatus, string> = { violation: 'Violation', warning: 'Warning', unknown: 'Unknown', compliant: 'Compliant' };

/** Status as a word in a coloured pill: readable without colour. */
export function statusBadge(status: string): SafeHtml {
  const label = STATUS_LABEL[status as ClusterStatus] ?? (status === 'deleted' ? 'Deleted' : status);
  return html`<span class="${`status status-${status}`}">${label}</span>`;
}

/** `2026-03-31 18:00 UTC` in a <time> element carrying the exact instant. */
export function timeOf(date: Date | undefined): SafeHtml {
  if (!date) return html`<span aria-label="unknown">–</span>`;
  const text = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return html`<time datetime="${date.toISOString()}">${text}</time>`;
}

/** A day count, flagged when it is already past. */
export function daysCell(days: number | undefined, pastIsBad = true): SafeHtml {
  if (days === undefined) return html`<td class="num"><span aria-label="not known">–</span></td>`;
  return html`<td class="${pastIsBad && days < 0 ? 'num expired' : 'num'}">${days}${pastIsBad && days < 0 ? ' (expired)' : ''}</td>`;
}
