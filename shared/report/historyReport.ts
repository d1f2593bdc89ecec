import type { HistoryEntry } from '../audit/historyQueries.js';
import { distinctCodes } from '../domain/findings.js';
import { csvDocument } from './csv.js';
import type { OutputFormat, TableLayout } from './formatReport.js';
import { plural } from './plural.js';
import { textTable } from './textTable.js';

/** One cluster's records as `akscert history` prints them. */
export interface ClusterHistory {
  clusterId: string;
  from?: Date;
  to?: Date;
  records: HistoryEntry[];
}

export function formatHistory(history: ClusterHistory, format: OutputFormat, layout: TableLayout = {}): string {
  if (format === 'json') return `${JSON.stringify(history, null, 2)}\n`;
  if (format === 'csv') return csvDocument(CSV_COLUMNS, history.records.map(lineOf).map((line) => CSV_COLUMNS.map((c) => line[c])));
  return historyTable(history.clusterId, history.records, layout);
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
  if (entry.kind === 'rotation') {
    const operation = entry.operationId ? ` operation ${entry.operationId}` : '';
    return { ...common, kind: 'rotation', status: entry.event, action: entry.message, findings: entry.reasons.join(' '), by: `${entry.actor}${operation} (attempt ${entry.attempt})` };
  }
  if (entry.kind === 'revocation') {
    const revoked = `${entry.revocationKind} ${entry.value}${entry.notBefore ? ` issued before ${entry.notBefore}` : ''}`;
    return { ...common, kind: 'revocation', status: entry.event, action: `RenewRevocation ${entry.manifestName} (sha256 ${entry.manifestSha256})`, findings: revoked, by: entry.actor };
  }
  const codes = distinctCodes(entry.verdict.findings).join(' ');
  return { ...common, kind: 'verdict', status: entry.verdict.status, action: entry.verdict.action, findings: codes, by: `scan ${entry.scanId}` };
}

const CSV_COLUMNS: (keyof HistoryLine)[] = ['recordedAt', 'kind', 'status', 'action', 'findings', 'by', 'hash', 'previousHash', 'rowKey'];

function historyTable(clusterId: string, records: readonly HistoryEntry[], layout: TableLayout): string {
  if (records.length === 0) return `No records of ${clusterId} in that range.\n`;
  const columns = [{ header: 'RECORDED AT' }, { header: 'STATUS' }, { header: 'ACTION', keep: 1 }, { header: 'BY', keep: 2 }, { header: 'HASH', keep: 3 }, { header: 'FINDINGS' }];
  const rows = records.map(lineOf).map((l) => [l.recordedAt || '-', l.status.toUpperCase() || l.kind.toUpperCase(), l.action || '-', l.by || '-', l.hash.slice(0, 12) || '-', l.findings || '-']);
  return [`History of ${clusterId}: ${plural(records.length, 'record')}`, '', ...textTable(columns, rows, layout.width)].join('\n') + '\n';
}
