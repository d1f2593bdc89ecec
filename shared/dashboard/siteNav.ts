import { html, type SafeHtml } from './html.js';
import { link, type LinkContext } from './links.js';

/** Links every dashboard page carries: the fleet, the exports of the current state, the trail check. */
export function siteNav(links: LinkContext): SafeHtml {
  return html`<nav aria-label="Dashboard and exports"><ul>
<li><a href="${link(links, 'dashboard')}">Fleet</a></li>
<li><a href="${link(links, 'report', { format: 'csv' })}">Report (CSV)</a></li>
<li><a href="${link(links, 'report', { format: 'json' })}">Report (JSON)</a></li>
<li><a href="${link(links, 'report', { format: 'jsonl' })}">JSON lines</a></li>
<li><a href="${link(links, 'report', { format: 'html' })}">Printable report</a></li>
<li><a href="${link(links, 'verify')}">Verify the trail</a></li>
</ul></nav>`;
}
