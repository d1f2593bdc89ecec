import { odata } from '@azure/data-tables';
import type { Policy } from '../domain/policy.js';
import type { ScanError } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { ReadOnlyTable } from './auditTables.js';
import { ABANDONED_AFTER_MS } from '../store/complianceStore.js';
import { readChunkedProperty } from '../store/tableKeys.js';
import { readPage, type Page, type PageRequest } from './tablePages.js';
import { dateOf, tableRows, textOf, type TableRow } from './tableRows.js';
import type { TimeRange } from './historyQueries.js';

/**
 * `running` from its start until it ends `succeeded` or `failed` (its verdicts not all recorded:
 * `failure` says why); a run still `running` after ABANDONED_AFTER_MS (2 hours, longer than any
 * Functions invocation may run) never ended: it reads `abandoned`. Rows written before runs had a
 * state were written only at the end of a scan whose verdicts were all recorded: `succeeded`.
 */
export type ScanRunState = 'running' | 'succeeded' | 'failed' | 'abandoned';

/** A ScanRuns row as auditors read it. */
export interface ScanRun {
  id: string;
  state: ScanRunState;
  /** Why a `failed` run's verdicts were not all recorded. */
  failure?: string;
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

/** Scans in a time range, oldest first; `now` decides which unfinished runs are abandoned. */
export function scanRunsPage(scans: ReadOnlyTable, range: TimeRange, page: PageRequest, now = new Date()): Promise<Page<ScanRun>> {
  return readPage(scans, { filter: scanRunsQuery(range) }, page, (row) => scanRunFromRow(row, now));
}

export function scanRunFromRow(row: TableRow, now = new Date()): ScanRun {
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
  const stored = textOf(row, 'state');
  const state: ScanRunState =
    stored === 'running' ? (startedAt && now.getTime() - startedAt.getTime() > ABANDONED_AFTER_MS ? 'abandoned' : 'running') : stored === 'failed' ? 'failed' : 'succeeded';
  const failure = textOf(row, 'failure');
  return {
    id: textOf(row, 'scanId'),
    state,
    ...(failure ? { failure } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    subscriptions: count('subscriptions'),
    clusters: count('clusters'),
    counts: { compliant: count('compliant'), warning: count('warning'), violation: count('violation'), unknown: count('unknown') },
    ...(policy ? { policy } : {}),
    errors: json<ScanError[]>('errorsJson') ?? [],
  };
}

/** Scans that ended longer ago than this are looked for only when none ended since (the whole table is read then). */
const RECENT_SCANS_MS = 24 * 3_600_000;

/**
 * The newest scan that ended (`succeeded` or `failed`), by its finish time, or undefined when none
 * has. The last day's scans are read first (a key range), so a scrape every few seconds stays cheap.
 */
export async function latestEndedScanRun(scans: ReadOnlyTable, now = new Date()): Promise<ScanRun | undefined> {
  const newest = async (range: TimeRange) => {
    let latest: ScanRun | undefined;
    for await (const row of tableRows(scans, { filter: scanRunsQuery(range) })) {
      const run = scanRunFromRow(row, now);
      if ((run.state === 'succeeded' || run.state === 'failed') && run.finishedAt && (!latest || run.finishedAt > latest.finishedAt!)) latest = run;
    }
    return latest;
  };
  return (await newest({ from: new Date(now.getTime() - RECENT_SCANS_MS) })) ?? (await newest({}));
}
