import type { TamperFinding } from '../audit/chainAnalysis.js';
import type { VerificationResult } from '../audit/verifyChains.js';
import { csvDocument } from './csv.js';
import type { OutputFormat } from './formatReport.js';
import { plural } from './plural.js';

/** `akscert verify`'s answer: JSON as `GET /api/verify` serves it, the findings as CSV, or sentences. */
export function formatVerification(result: VerificationResult, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  return format === 'csv' ? findingsCsv(result.findings) : verificationText(result);
}

function verificationText(result: VerificationResult): string {
  if (result.outcome === 'empty') {
    return 'Nothing to verify: the store has no history records, no latest states and no checkpoints. Does COMPLIANCE_STORAGE name the account the scans record to?\n';
  }
  const checked = `Checked ${plural(result.rows, 'record')} of ${plural(result.clusters, 'cluster')}`;
  const anchored = result.checkpoints > 0 || result.mirror
    ? `Held to ${plural(result.checkpoints, 'checkpoint')}${result.mirror ? `; the mirror holds ${result.mirror.checkpoints}, ${result.mirror.unmirrored} of the table's not yet` : ''}.\n`
    : '';
  if (result.intact) return `${checked}: the trail is intact.\n${anchored}`;
  const lines = result.findings.map((f) =>
    [
      `${f.problem.toUpperCase().padEnd(8)}  ${f.table} ${f.partitionKey ? `${f.partitionKey}/` : ''}${f.rowKey}`,
      ...(f.clusterId ? [`          cluster ${f.clusterId}`] : []),
      ...(f.scanId ? [`          written by ${f.scanId.startsWith('event-') ? `the deletion event ${f.scanId.slice('event-'.length)}` : `scan ${f.scanId}`}`] : []),
      `          ${f.detail}`,
    ].join('\n'),
  );
  const count = (problem: TamperFinding['problem']) => result.findings.filter((f) => f.problem === problem).length;
  const incomplete = count('incomplete');
  const summary = result.tampered
    ? `the trail was tampered with (${(['altered', 'removed', 'inserted'] as const).map((p) => `${count(p)} ${p}`).join(', ')}${incomplete ? `; and ${incomplete} incomplete` : ''})`
    : `no sign of tampering, but ${plural(incomplete, 'record')} of unfinished writes of the store ${incomplete === 1 ? 'is' : 'are'} not chained yet (incomplete); the next scan of ${incomplete === 1 ? 'its subscription completes it' : 'their subscriptions completes them'}`;
  return `${lines.join('\n')}\n\n${checked}: ${summary}.\n${anchored}`;
}

const CSV_COLUMNS: (keyof TamperFinding)[] = ['problem', 'partitionKey', 'rowKey', 'clusterId', 'missingHash', 'detail', 'table', 'scanId'];

function findingsCsv(findings: readonly TamperFinding[]): string {
  return csvDocument(CSV_COLUMNS, findings.map((f) => CSV_COLUMNS.map((c) => String(f[c] ?? ''))));
}
