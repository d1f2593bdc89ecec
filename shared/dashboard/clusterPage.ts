import { platformOf } from '../domain/clusterId.js';
import { calendarDaysBetween } from '../domain/time.js';
import { distinctCodes } from '../domain/findings.js';
import { daysSinceRotation, daysToExpiry } from '../domain/verdictMetrics.js';
import type { TamperFinding } from '../audit/chainAnalysis.js';
import type { HistoryEntry } from '../audit/historyQueries.js';
import type { RecordedVerdict } from '../audit/recordedVerdict.js';
import type { RotationView } from '../report/rotationsReport.js';
import { daysCell, statusBadge, timeOf } from './components.js';
import { html, type SafeHtml } from './html.js';
import { clusterHistoryLink, link, type LinkContext } from './links.js';
import { page } from './page.js';
import { siteNav } from './siteNav.js';

export interface ClusterPageModel {
  now: Date;
  links: LinkContext;
  clusterId: string;
  /** The latest verdict; absent when the cluster was deleted (or never scanned). */
  latest?: RecordedVerdict;
  /** Its history rows, oldest first. */
  history: readonly HistoryEntry[];
  /** What `verify` finds in this cluster's chain. */
  trail: readonly TamperFinding[];
  /** Its certificate rotations (store/rotationRecords.ts), oldest first. */
  rotations?: readonly RotationView[];
  /** Not seen by the last complete listing of its subscription (audit/staleness.ts): its verdict may no longer hold. */
  stale?: boolean;
}

export function clusterPage(model: ClusterPageModel): string {
  const { latest, links } = model;
  const name = latest?.name ?? model.clusterId.split('/').at(-1) ?? model.clusterId;
  const lastEntry = model.history.at(-1);
  return page({
    title: name,
    nav: siteNav(links),
    body: html`<p><a href="${link(links, 'dashboard')}">← All clusters</a></p>
<h1>${name} ${latest ? statusBadge(latest.status) : lastEntry?.kind === 'deleted' ? statusBadge('deleted') : ''}${latest && model.stale ? html` <span class="sub stale" title="not seen by the last complete listing of its subscription">stale</span>` : ''}</h1>
<p class="lede mono long">${model.clusterId}</p>
${latest ? overview(latest, model.now, model.stale === true) : html`<section class="panel"><p>${lastEntry?.kind === 'deleted'
      ? html`This cluster was deleted on ${timeOf(lastEntry.deletedAt)}; its history is kept below.`
      : 'No verdict is recorded for this cluster.'}</p></section>`}
${latest ? findingsSection(latest) : ''}
${latest ? certificatesSection(latest, model.now) : ''}
${model.rotations?.length ? rotationsSection(model.rotations) : ''}
${historySection(model)}`,
  });
}

function overview(v: RecordedVerdict, now: Date, stale: boolean): SafeHtml {
  return html`<section class="panel" aria-labelledby="overview-heading"><h2 id="overview-heading">Latest verdict</h2>
<dl class="facts">
<dt>Status</dt><dd>${statusBadge(v.status)}</dd>
<dt>Planned action</dt><dd>${v.action}</dd>
<dt>Auto-rotation</dt><dd>${v.autoRotation.eligible ? 'Eligible: AKS rotates its non-CA certificates by itself' : `Not eligible (${v.autoRotation.reasons.join(', ')})`}</dd>
<dt>Days to expiry</dt><dd>${daysToExpiry(v, now) ?? 'not known'}</dd>
<dt>Days since rotation</dt><dd>${daysSinceRotation(v, now) ?? 'not known'}</dd>
<dt>Subscription</dt><dd class="mono">${v.subscriptionId}</dd>
<dt>Resource group</dt><dd>${v.resourceGroup}</dd>
<dt>Location</dt><dd>${v.location}</dd>
<dt>Platform</dt><dd>${platformOf(v) === 'aks-arc' ? 'AKS enabled by Azure Arc (aks-arc): an update renews its certificates, never a rotation' : 'AKS (aks)'}</dd>
<dt>Recorded</dt><dd>${timeOf(v.recordedAt)} by scan <span class="mono">${v.scanId}</span></dd>
<dt>Last seen by ARM</dt><dd>${v.lastSeenAt ? timeOf(v.lastSeenAt) : 'not known'}${stale ? ': not seen by the last complete listing of its subscription since (stale)' : ''}</dd>
</dl></section>`;
}

/** How old the certificate evidence is: read by the latest scan, or carried from an earlier read (README "Warm scans"). */
function evidenceText(v: RecordedVerdict): SafeHtml {
  if (!v.evidence?.carried) return html`read at the latest scan${v.evidence ? html`, ${timeOf(v.evidence.readAt)}` : ''}`;
  return html`read at ${timeOf(v.evidence.readAt)} (carried: the cluster was unchanged since)`;
}

function findingsSection(v: RecordedVerdict): SafeHtml {
  return html`<section class="panel" aria-labelledby="findings-heading"><h2 id="findings-heading">Findings</h2>
${v.findings.length === 0 ? html`<p>No findings: every certificate is within policy.</p>` : html`<div class="table-wrap"><table>
<caption>${v.findings.length} findings of the latest verdict</caption>
<thead><tr><th scope="col">Severity</th><th scope="col">Code</th><th scope="col">What was found</th></tr></thead>
<tbody>${v.findings.map((f) => html`<tr><td>${f.severity}</td><th scope="row" class="mono">${f.code}</th><td>${f.message}${f.reason ? html`<span class="sub">reason: ${f.reason}</span>` : ''}</td></tr>`)}</tbody>
</table></div>`}
</section>`;
}

function certificatesSection(v: RecordedVerdict, now: Date): SafeHtml {
  return html`<section class="panel" aria-labelledby="certificates-heading"><h2 id="certificates-heading">Certificates</h2>
${v.certificates.length === 0 ? html`<p>No certificate could be read at the latest scan.</p>` : html`<div class="table-wrap"><table>
<caption>${v.certificates.length} certificates ${evidenceText(v)}</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Subject</th><th scope="col">Issuer</th><th scope="col">Valid from</th><th scope="col">Valid until</th><th scope="col" class="num">Days left</th><th scope="col">Serial and SHA-256</th></tr></thead>
<tbody>${v.certificates.map((c) => html`<tr><th scope="row">${c.source}</th><td>${c.subject}</td><td>${c.issuer}</td><td>${timeOf(c.notBefore)}</td><td>${timeOf(c.notAfter)}</td>${daysCell(calendarDaysBetween(now, c.notAfter))}<td><span class="mono">${c.serialNumber}</span><span class="sub mono long">${c.sha256}</span></td></tr>`)}</tbody>
</table></div>`}
</section>`;
}

function rotationsSection(rotations: readonly RotationView[]): SafeHtml {
  const newestFirst = [...rotations].reverse();
  return html`<section class="panel" aria-labelledby="rotations-heading"><h2 id="rotations-heading">Certificate rotations</h2>
<p>After a rotation every kubeconfig of the cluster must be fetched again: <span class="mono">${rotations[0]!.refreshCommand}</span></p>
<div class="table-wrap"><table>
<caption>${rotations.length} rotation attempts, newest first</caption>
<thead><tr><th scope="col">Requested</th><th scope="col">State</th><th scope="col" class="num">Attempt</th><th scope="col">By</th><th scope="col">Operation</th><th scope="col">Finished</th><th scope="col">Why</th></tr></thead>
<tbody>${newestFirst.map((r) => html`<tr><th scope="row">${timeOf(r.requestedAt)}</th><td class="mono">${r.state}${r.verified ? ' (verified)' : ''}</td><td class="num">${r.attempt}</td><td class="mono">${r.actor}</td><td class="mono">${r.operationId ?? '–'}</td><td>${r.finishedAt ? timeOf(r.finishedAt) : '–'}</td><td>${r.errorCode ? html`<span class="mono">${r.errorCode}</span>: ${r.errorMessage ?? ''}` : html`<span class="mono">${r.reasons.join(', ')}</span>`}</td></tr>`)}</tbody>
</table></div></section>`;
}

function historySection(model: ClusterPageModel): SafeHtml {
  const newestFirst = [...model.history].reverse();
  return html`<section class="panel" aria-labelledby="history-heading"><h2 id="history-heading">History</h2>
${model.trail.length === 0
    ? html`<p class="ok">The trail of this cluster is intact: every record matches its hash and chains to the one before it.</p>`
    : html`<div class="notice"><p><strong>${model.trail.every((f) => f.problem === 'incomplete')
      ? 'The trail of this cluster holds an unfinished write of the store (not tampering; the next scan completes it):'
      : 'The trail of this cluster was tampered with:'}</strong></p><ul>${model.trail.map((f) => html`<li><strong>${f.problem}</strong>: ${f.detail}<span class="sub mono long">row ${f.partitionKey}/${f.rowKey}</span></li>`)}</ul></div>`}
<div class="table-wrap"><table>
<caption>${model.history.length} records, newest first (<a href="${clusterHistoryLink(model.links, model.clusterId)}">as JSON</a>)</caption>
<thead><tr><th scope="col">Recorded</th><th scope="col">Record</th><th scope="col">Status</th><th scope="col">Action</th><th scope="col">Findings</th><th scope="col">Hash</th></tr></thead>
<tbody>${newestFirst.map(historyRow)}</tbody>
</table></div>
</section>`;
}

function historyRow(entry: HistoryEntry): SafeHtml {
  if (entry.kind === 'unreadable') {
    return html`<tr><th scope="row">–</th><td>Unreadable</td><td>${statusBadge('problem')}</td><td>–</td><td>${entry.problem}</td><td class="mono">${entry.rowKey}</td></tr>`;
  }
  const hash = html`<span class="mono" title="${entry.hash}">${entry.hash.slice(0, 12)}</span>`;
  if (entry.kind === 'deleted') {
    return html`<tr><th scope="row">${timeOf(entry.recordedAt)}</th><td>Deletion (event <span class="mono">${entry.eventId}</span>)</td><td>${statusBadge('deleted')}</td><td>–</td><td>–</td><td>${hash}</td></tr>`;
  }
  if (entry.kind === 'rotation') {
    const operation = entry.operationId ? html`, operation <span class="mono">${entry.operationId}</span>` : '';
    return html`<tr><th scope="row">${timeOf(entry.recordedAt)}</th><td>Rotation, attempt ${entry.attempt} (by <span class="mono">${entry.actor}</span>${operation})<span class="sub">${entry.message}</span><span class="sub mono">${entry.refreshCommand}</span></td><td class="mono">${entry.event}</td><td>–</td><td>${entry.reasons.length ? html`<span class="mono">${entry.reasons.join(', ')}</span>` : 'None'}</td><td>${hash}</td></tr>`;
  }
  if (entry.kind === 'revocation') {
    const notBefore = entry.notBefore ? html`, issued before ${entry.notBefore}` : '';
    return html`<tr><th scope="row">${timeOf(entry.recordedAt)}</th><td>Revocation (by <span class="mono">${entry.actor}</span>)<span class="sub">RenewRevocation <span class="mono">${entry.manifestName}</span>: ${entry.revocationKind} <span class="mono">${entry.value}</span>${notBefore}</span></td><td class="mono">${entry.event}</td><td>–</td><td>–</td><td>${hash}</td></tr>`;
  }
  const codes = distinctCodes(entry.verdict.findings);
  return html`<tr><th scope="row">${timeOf(entry.recordedAt)}</th><td>Verdict (scan <span class="mono">${entry.scanId.slice(0, 8)}</span>)</td><td>${statusBadge(entry.verdict.status)}</td><td>${entry.verdict.action}</td><td>${codes.length ? html`<span class="mono">${codes.join(', ')}</span>` : 'None'}</td><td>${hash}</td></tr>`;
}
