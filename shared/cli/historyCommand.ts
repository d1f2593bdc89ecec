import { Command } from 'commander';
import type { HistoryEntry } from '../audit/historyQueries.js';
import { clusterHistoryPage } from '../audit/historyQueries.js';
import { auditTablesFromEnvironment, clusterArgument, dateArgument } from './auditOptions.js';
import { csvCell } from '../report/formatReport.js';
import { UsageError } from '../domain/errors.js';
import { outputOption, resolveOutput } from './usage.js';

interface HistoryOptions {
  from?: Date;
  to?: Date;
  output?: string;
}

/** `akscert history <cluster>`: one cluster's records, oldest first, as the trail holds them. */
export function historyCommand(): Command {
  return new Command('history')
    .description("one cluster's verdict history (and its deletion, if it was deleted), oldest first")
    .argument('<cluster-resource-id>', 'the cluster: its ARM resource id, or <subscription id>~<resource group>~<name>', clusterArgument)
    .option('--from <date>', 'from this day (YYYY-MM-DD, from its start) or instant', dateArgument('start'))
    .option('--to <date>', 'up to this day (YYYY-MM-DD, to its end) or instant', dateArgument('end'))
    .addOption(outputOption())
    .action(async (cluster: ReturnType<typeof clusterArgument>, options: HistoryOptions) => {
      if (options.from && options.to && options.from > options.to) throw new UsageError('--to is before --from');
      const tables = auditTablesFromEnvironment();
      const records: HistoryEntry[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await clusterHistoryPage(tables.history, cluster.subscriptionId, cluster.id, options, { pageSize: 1000, continuationToken });
        records.push(...page.items);
        continuationToken = page.continuationToken;
      } while (continuationToken);
      const format = resolveOutput(options.output);
      if (format === 'json') process.stdout.write(`${JSON.stringify({ clusterId: cluster.id, from: options.from, to: options.to, records }, null, 2)}\n`);
      else if (format === 'csv') process.stdout.write(historyCsv(records));
      else process.stdout.write(historyTable(cluster.id, records));
    });
}

interface HistoryLine {
  recordedAt: string;
  kind: string;
  status: string;
  action: string;
  findings: string;
  by: string;
  hash: string;
  previousHash: string;
  rowKey: string;
}

function lineOf(entry: HistoryEntry): HistoryLine {
  if (entry.kind === 'unreadable') {
    return { recordedAt: '', kind: 'unreadable', status: '', action: '', findings: entry.problem, by: '', hash: '', previousHash: '', rowKey: entry.rowKey };
  }
  const common = { recordedAt: entry.recordedAt.toISOString(), hash: entry.hash, previousHash: entry.previousHash, rowKey: entry.rowKey };
  if (entry.kind === 'deleted') return { ...common, kind: 'deleted', status: 'deleted', action: '', findings: '', by: `event ${entry.eventId}` };
  const codes = [...new Set(entry.verdict.findings.map((f) => f.code))].join(' ');
  return { ...common, kind: 'verdict', status: entry.verdict.status, action: entry.verdict.action, findings: codes, by: `scan ${entry.scanId}` };
}

const CSV_COLUMNS: (keyof HistoryLine)[] = ['recordedAt', 'kind', 'status', 'action', 'findings', 'by', 'hash', 'previousHash', 'rowKey'];

function historyCsv(records: HistoryEntry[]): string {
  const rows = records.map(lineOf).map((line) => CSV_COLUMNS.map((c) => line[c]));
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function historyTable(clusterId: string, records: HistoryEntry[]): string {
  if (records.length === 0) return `No records of ${clusterId} in that range.\n`;
  const header = ['RECORDED AT', 'STATUS', 'ACTION', 'BY', 'HASH', 'FINDINGS'];
  const rows = records.map(lineOf).map((l) => [l.recordedAt || '-', l.status.toUpperCase() || l.kind.toUpperCase(), l.action || '-', l.by || '-', l.hash.slice(0, 12) || '-', l.findings || '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [`History of ${clusterId}: ${records.length} records`, '', line(header), ...rows.map(line)].join('\n') + '\n';
}
