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
  const checked = `Checked ${plural(result.rows, 'record')} of ${plural(result.clusters, 'cluster')}`;
  if (result.intact) return `${checked}: the trail is intact.\n`;
  const counts = (['altered', 'removed', 'inserted'] as const).map((p) => `${result.findings.filter((f) => f.problem === p).length} ${p}`).join(', ');
  const lines = result.findings.map((f) => `${f.problem.toUpperCase().padEnd(8)}  ComplianceHistory ${f.partitionKey}/${f.rowKey}\n          cluster ${f.clusterId}\n          ${f.detail}`);
  return `${lines.join('\n')}\n\n${checked}: the trail was tampered with (${counts}).\n`;
}

const CSV_COLUMNS: (keyof TamperFinding)[] = ['problem', 'partitionKey', 'rowKey', 'clusterId', 'missingHash', 'detail'];

function findingsCsv(findings: readonly TamperFinding[]): string {
  return csvDocument(CSV_COLUMNS, findings.map((f) => CSV_COLUMNS.map((c) => String(f[c] ?? ''))));
}
