import { Command } from 'commander';
import type { TamperFinding } from '../audit/chainAnalysis.js';
import { verifyChains, type VerificationResult } from '../audit/verifyChains.js';
import { auditTablesFromEnvironment } from './auditOptions.js';
import { csvCell } from '../report/formatReport.js';
import { EXIT, outputOption, resolveOutput } from './usage.js';

/** Exit code when the trail was tampered with (0: intact; 1: the check itself failed; 2: usage). */

/** `akscert verify`: walks every cluster's hash chain and names each row altered, removed or inserted. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description("re-check the audit trail's hash chains; names every record that was altered, removed or inserted (exit 4 when any was)")
    .addOption(outputOption())
    .action(async (options: { output?: string }) => {
      const result = await verifyChains(auditTablesFromEnvironment());
      const format = resolveOutput(options.output);
      process.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : format === 'csv' ? findingsCsv(result.findings) : verificationText(result));
      if (!result.intact) process.exitCode = EXIT.tampered;
    });
}

function verificationText(result: VerificationResult): string {
  const checked = `Checked ${result.rows} records of ${result.clusters} clusters`;
  if (result.intact) return `${checked}: the trail is intact.\n`;
  const counts = (['altered', 'removed', 'inserted'] as const).map((p) => `${result.findings.filter((f) => f.problem === p).length} ${p}`).join(', ');
  const lines = result.findings.map((f) => `${f.problem.toUpperCase().padEnd(8)}  ComplianceHistory ${f.partitionKey}/${f.rowKey}\n          cluster ${f.clusterId}\n          ${f.detail}`);
  return `${lines.join('\n')}\n\n${checked}: the trail was tampered with (${counts}).\n`;
}

const CSV_COLUMNS: (keyof TamperFinding)[] = ['problem', 'partitionKey', 'rowKey', 'clusterId', 'missingHash', 'detail'];

function findingsCsv(findings: TamperFinding[]): string {
  return [CSV_COLUMNS, ...findings.map((f) => CSV_COLUMNS.map((c) => String(f[c] ?? '')))].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
