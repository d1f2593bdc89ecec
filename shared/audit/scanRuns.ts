import { odata } from '@azure/data-tables';
import type { Policy } from '../domain/policy.js';
import type { ScanError } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { ReadOnlyTable } from './auditTables.js';
import { readChunkedProperty } from '../store/tableKeys.js';
import { readPage, type Page, type PageRequest } from './tablePages.js';
import { dateOf, textOf, type TableRow } from './tableRows.js';
import type { TimeRange } from './historyQueries.js';

/** A ScanRuns row as auditors read it. */
export interface ScanRun {
  id: string;
  startedAt?: Date;
  finishedAt?: Date;
  subscriptions: number;
  clusters: number;
  counts: Record<ClusterStatus, number>;
  policy?: Policy;
  errors: ScanError[];
}

/** Row keys are `<startedAt ISO>|<scan id>`, so a time range is a key range ('~' sorts after any id). */
export function scanRunsQuery(range: TimeRange): string {
  const lower = range.from ? range.from.toISOString() : '';
  const upper = range.to ? `${range.to.toISOString()}|~` : '~';
  return odata`PartitionKey eq ${'scan'} and RowKey ge ${lower} and RowKey le ${upper}`;
}

/** Scans in a time range, oldest first. */
export function scanRunsPage(scans: ReadOnlyTable, range: TimeRange, page: PageRequest): Promise<Page<ScanRun>> {
  return readPage(scans, { filter: scanRunsQuery(range) }, page, scanRunFromRow);
}

export function scanRunFromRow(row: TableRow): ScanRun {
  const count = (name: string) => (typeof row[name] === 'number' ? (row[name] as number) : 0);
  const json = <T>(name: string): T | undefined => {
    const text = readChunkedProperty(row, name);
    try {
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch {
      return undefined;
    }
  };
  const startedAt = dateOf(row, 'startedAt');
  const finishedAt = dateOf(row, 'finishedAt');
  const policy = json<Policy>('policyJson');
  return {
    id: textOf(row, 'scanId'),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    subscriptions: count('subscriptions'),
    clusters: count('clusters'),
    counts: { compliant: count('compliant'), warning: count('warning'), violation: count('violation'), unknown: count('unknown') },
    ...(policy ? { policy } : {}),
    errors: json<ScanError[]>('errorsJson') ?? [],
  };
}
