import type { ReadOnlyTable } from './auditTables.js';
import type { RecordedVerdict } from './recordedVerdict.js';
import { scanRunFromRow, scanRunsQuery } from './scanRuns.js';
import { readChunkedProperty } from '../store/tableKeys.js';
import { tableRows } from './tableRows.js';

/** A recorded verdict, marked `stale` when the last complete listing of its subscription did not see the cluster. */
export type MarkedVerdict = RecordedVerdict & { stale?: true };

/**
 * The newest complete listing of each subscription up to an instant, from ScanRuns: a `succeeded` full
 * scan names the subscriptions it listed to the end (`listedJson`), and it started at `startedAt`.
 *
 * The rule: a cluster is stale when a complete listing of its subscription started after ARM last
 * saw it (`lastSeenAt`; for a verdict recorded before that field existed, its `recordedAt`). Every
 * cluster such a listing returned was judged at its start, so that cluster's `lastSeenAt` equals it;
 * one seen before it was not returned by it (ARM's listing lagged, or its GET failed when the scan
 * asked for it by id), and its recorded verdict may no longer be true.
 */
export class CompleteListings {
  constructor(private readonly newest: ReadonlyMap<string, Date>) {}

  /** When the subscription was last listed completely, if ever. */
  of(subscriptionId: string): Date | undefined {
    return this.newest.get(subscriptionId.toLowerCase());
  }

  isStale(verdict: Pick<RecordedVerdict, 'subscriptionId' | 'lastSeenAt' | 'recordedAt'>): boolean {
    const listed = this.of(verdict.subscriptionId);
    return listed !== undefined && (verdict.lastSeenAt ?? verdict.recordedAt).getTime() < listed.getTime();
  }

  mark(verdict: RecordedVerdict): MarkedVerdict {
    return this.isStale(verdict) ? { ...verdict, stale: true } : verdict;
  }
}

/** The complete listings of scans started at or before `asOf` (the present when absent). */
export async function completeListings(scans: ReadOnlyTable, asOf?: Date): Promise<CompleteListings> {
  const newest = new Map<string, Date>();
  for await (const row of tableRows(scans, { filter: scanRunsQuery(asOf ? { to: asOf } : {}) })) {
    const run = scanRunFromRow(row);
    const text = readChunkedProperty(row, 'listedJson');
    if (run.state !== 'succeeded' || !run.startedAt || text === undefined) continue;
    if (asOf && run.startedAt > asOf) continue;
    let listed: unknown;
    try {
      listed = JSON.parse(text);
    } catch {
      continue;
    }
    if (!Array.isArray(listed)) continue;
    for (const subscriptionId of listed) {
      if (typeof subscriptionId !== 'string') continue;
      const key = subscriptionId.toLowerCase();
      const known = newest.get(key);
      if (!known || run.startedAt > known) newest.set(key, run.startedAt);
    }
  }
  return new CompleteListings(newest);
}
