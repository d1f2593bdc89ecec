import { odata } from '@azure/data-tables';
import pLimit from 'p-limit';
import { countByStatus, type ScanError } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { AuditTables } from './auditTables.js';
import { historyRecordFromEntity } from '../store/historyEntity.js';
import { historyRecordHash } from '../store/historyRecord.js';
import type { RecordedVerdict } from './recordedVerdict.js';
import { subscriptionKey } from '../store/tableKeys.js';
import { completeListings, type MarkedVerdict } from './staleness.js';
import { tableRow, tableRows, textOf } from './tableRows.js';

export interface PointInTimeRequest {
  /** The instant the fleet is shown at: every record up to and including it counts. */
  asOf: Date;
  subscriptionId?: string;
  status?: ClusterStatus;
}

/** `akscert report` / `GET /api/report`: the fleet as the trail recorded it at `asOf`. */
export interface PointInTimeReport {
  report: {
    asOf: Date;
    generatedAt: Date;
    subscriptionId?: string;
    status?: ClusterStatus;
    subscriptions: number;
    clusters: number;
    counts: Record<ClusterStatus, number>;
    /** History rows the report could not use as they are (unreadable, or not matching their hash). */
    errors: ScanError[];
  };
  /** `stale: true` on a cluster the last complete listing of its subscription up to `asOf` did not see (audit/staleness.ts). */
  clusters: MarkedVerdict[];
}

const READS_IN_FLIGHT = 16;

/**
 * Rebuilds the state of the fleet at `asOf` from the history alone: each cluster's last record at or
 * before it; a cluster whose last record is its deletion is absent. Two passes keep it cheap: the
 * keys of every row up to `asOf` (a few dozen bytes each), then the full row of each cluster's last
 * record only. The ClusterState table is not used: it knows only the present. ScanRuns says which
 * clusters are stale at `asOf`.
 */
export async function pointInTimeReport(tables: Pick<AuditTables, 'history' | 'scans'>, request: PointInTimeRequest, now = new Date()): Promise<PointInTimeReport> {
  const filter = [odata`recordedAt le ${request.asOf}`];
  if (request.subscriptionId !== undefined) filter.push(odata`PartitionKey eq ${subscriptionKey(request.subscriptionId)}`);

  const lastRowOfCluster = new Map<string, { partitionKey: string; rowKey: string; kind: string }>();
  for await (const row of tableRows(tables.history, { filter: filter.join(' and '), select: ['PartitionKey', 'RowKey', 'kind'] })) {
    const partitionKey = row.partitionKey!;
    const rowKey = row.rowKey!;
    // A rotation step or a revocation leaves the cluster as its last verdict said.
    if (textOf(row, 'kind') === 'rotation' || textOf(row, 'kind') === 'revocation') continue;
    const cluster = `${partitionKey}/${rowKey.split('|')[0]}`;
    const last = lastRowOfCluster.get(cluster);
    if (!last || rowKey > last.rowKey) lastRowOfCluster.set(cluster, { partitionKey, rowKey, kind: textOf(row, 'kind') });
  }

  const errors: ScanError[] = [];
  const reads = pLimit(READS_IN_FLIGHT);
  const verdicts = await Promise.all(
    [...lastRowOfCluster.values()]
      .filter((last) => last.kind !== 'deleted')
      .map((last) => reads(async (): Promise<RecordedVerdict | undefined> => {
        const scope = `history row ${last.partitionKey}/${last.rowKey}`;
        const row = await tableRow(tables.history, last.partitionKey, last.rowKey);
        if (!row) return undefined; // removed between the two passes; `akscert verify` reports removals
        try {
          const record = historyRecordFromEntity(row);
          if (record.kind !== 'verdict') return undefined;
          const hash = textOf(row, 'hash');
          if (historyRecordHash(record) !== hash) {
            errors.push({ scope, code: 'HistoryRowAltered', message: 'the row does not match its hash; it is reported as stored (run akscert verify)' });
          }
          return { ...record.verdict, recordedAt: record.recordedAt, scanId: record.scanId, hash };
        } catch (error) {
          errors.push({ scope, code: 'UnreadableHistoryRow', message: (error as Error).message });
          return undefined;
        }
      })),
  );

  const listings = await completeListings(tables.scans, request.asOf);
  const clusters = verdicts
    .filter((v): v is RecordedVerdict => v !== undefined && (request.status === undefined || v.status === request.status))
    .map((v) => listings.mark(v))
    .sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  return {
    report: {
      asOf: request.asOf,
      generatedAt: now,
      ...(request.subscriptionId !== undefined ? { subscriptionId: request.subscriptionId } : {}),
      ...(request.status !== undefined ? { status: request.status } : {}),
      subscriptions: new Set(clusters.map((c) => c.subscriptionId.toLowerCase())).size,
      clusters: clusters.length,
      counts: countByStatus(clusters),
      errors: errors.sort((a, b) => a.scope.localeCompare(b.scope)),
    },
    clusters,
  };
}
