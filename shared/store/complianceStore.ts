import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import { worstFinding } from '../domain/findings.js';
import type { ScanSummary } from '../domain/report.js';
import { countByStatus } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { historyRecordHash, type DeletionRecord, type HistoryRecord, type VerdictRecord } from './historyRecord.js';
import { tableClient, type StorageTarget } from './storageTarget.js';
import { ensureTable, upsertInBatches } from './tableBatch.js';
import { chunkedProperty, clusterKey, subscriptionKey } from './tableKeys.js';

export const TABLE_NAMES = { state: 'ClusterState', history: 'ComplianceHistory', scans: 'ScanRuns' } as const;

/** What the store remembers of a cluster's latest verdict, to chain the next record. */
export interface LatestState {
  clusterId: string;
  hash: string;
  recordedAt: Date;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * The audit trail in Table Storage: an append-only history row per verdict (partition = subscription,
 * row = cluster key + time, so one subscription's verdicts batch into transactions), a latest-state
 * row per cluster, and a row per scan run. Keys derive from the scan and the cluster only, so a
 * retried write lands on the same rows.
 */
export class ComplianceStore {
  private constructor(
    private readonly state: TableClient,
    private readonly history: TableClient,
    private readonly scans: TableClient,
  ) {}

  static async open(target: StorageTarget): Promise<ComplianceStore> {
    const store = new ComplianceStore(
      tableClient(target, TABLE_NAMES.state),
      tableClient(target, TABLE_NAMES.history),
      tableClient(target, TABLE_NAMES.scans),
    );
    try {
      await Promise.all([ensureTable(store.state), ensureTable(store.history), ensureTable(store.scans)]);
    } catch (error) {
      throw new StoreError(`cannot reach the compliance tables: ${describe(error)}`);
    }
    return store;
  }

  /** The latest recorded state of every cluster in a subscription, keyed by cluster key. */
  async latestStates(subscriptionId: string): Promise<Map<string, LatestState>> {
    const states = new Map<string, LatestState>();
    const rows = this.state.listEntities<TableEntity<{ clusterId: string; hash: string; recordedAt: Date }>>({
      queryOptions: { filter: odata`PartitionKey eq ${subscriptionKey(subscriptionId)}`, select: ['RowKey', 'clusterId', 'hash', 'recordedAt'] },
    });
    for await (const row of rows) states.set(row.rowKey!, { clusterId: row.clusterId, hash: row.hash, recordedAt: new Date(row.recordedAt) });
    return states;
  }

  /** The latest recorded state of one cluster, if it has one. */
  async latestStateOf(subscriptionId: string, clusterId: string): Promise<LatestState | undefined> {
    try {
      const row = await this.state.getEntity<{ clusterId: string; hash: string; recordedAt: Date }>(subscriptionKey(subscriptionId), clusterKey(clusterId), {
        queryOptions: { select: ['clusterId', 'hash', 'recordedAt'] },
      });
      return { clusterId: row.clusterId, hash: row.hash, recordedAt: new Date(row.recordedAt) };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw new StoreError(`could not read the state of ${clusterId}: ${describe(error)}`);
    }
  }

  /**
   * Appends the verdicts of one subscription to the history and then moves the latest state forward.
   * History first: if the state write fails, the next scan chains from the last state it knows.
   */
  async recordVerdicts(scanId: string, recordedAt: Date, verdicts: readonly ClusterVerdict[], previous: Map<string, LatestState>): Promise<void> {
    if (verdicts.length === 0) return;
    const historyRows: TableEntity[] = [];
    const stateRows: TableEntity[] = [];
    for (const verdict of verdicts) {
      const key = clusterKey(verdict.id);
      const record: VerdictRecord = {
        kind: 'verdict', clusterId: verdict.id, subscriptionId: verdict.subscriptionId, scanId, recordedAt, verdict,
        previousHash: previous.get(key)?.hash ?? '',
      };
      const hash = historyRecordHash(record);
      historyRows.push(historyEntity(record, hash));
      stateRows.push(stateEntity(record, hash));
      previous.set(key, { clusterId: verdict.id, hash, recordedAt });
    }
    try {
      await upsertInBatches(this.history, historyRows);
      await upsertInBatches(this.state, stateRows);
    } catch (error) {
      throw new StoreError(`could not record ${verdicts.length} verdicts of scan ${scanId}: ${describe(error)}`);
    }
  }

  /**
   * Records that a cluster was deleted (from an event): a history row chained to its last verdict, then
   * the latest-state row removed. History is never deleted. A redelivered event lands on the same row;
   * a deletion older than the latest verdict (the cluster was re-created since) changes nothing.
   */
  async recordDeletion(deletion: { clusterId: string; subscriptionId: string; eventId: string; deletedAt: Date }): Promise<'recorded' | 'duplicate' | 'stale' | 'unknown-cluster'> {
    const partition = subscriptionKey(deletion.subscriptionId);
    const rowKey = historyRowKey(deletion.clusterId, deletion.deletedAt, `event-${deletion.eventId}`);
    try {
      if (await this.exists(this.history, partition, rowKey)) return 'duplicate';
      let state;
      try {
        state = await this.state.getEntity<{ hash: string; recordedAt: Date }>(partition, clusterKey(deletion.clusterId));
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return 'unknown-cluster';
        throw error;
      }
      if (new Date(state.recordedAt) > deletion.deletedAt) return 'stale';
      const record: DeletionRecord = { kind: 'deleted', ...deletion, recordedAt: deletion.deletedAt, previousHash: state.hash };
      await this.history.createEntity(historyEntity(record, historyRecordHash(record)));
      // The etag makes sure a verdict recorded meanwhile is not removed with the deleted cluster.
      await this.state.deleteEntity(partition, clusterKey(deletion.clusterId), { etag: state.etag });
      return 'recorded';
    } catch (error) {
      throw new StoreError(`could not record the deletion of ${deletion.clusterId}: ${describe(error)}`);
    }
  }

  private async exists(table: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
    try {
      await table.getEntity(partitionKey, rowKey, { queryOptions: { select: ['RowKey'] } });
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  async recordScan(summary: ScanSummary, verdicts: readonly Pick<ClusterVerdict, 'status'>[]): Promise<void> {
    try {
      await this.scans.upsertEntity(
        {
          partitionKey: 'scan',
          rowKey: `${summary.startedAt.toISOString()}|${summary.id}`,
          scanId: summary.id,
          startedAt: summary.startedAt,
          finishedAt: summary.finishedAt,
          subscriptions: summary.subscriptions,
          clusters: summary.clusters,
          errors: summary.errors.length,
          ...countByStatus(verdicts),
          ...chunkedProperty('policyJson', JSON.stringify(summary.policy)),
          ...chunkedProperty('errorsJson', JSON.stringify(summary.errors)),
        },
        'Replace',
      );
    } catch (error) {
      throw new StoreError(`could not record scan ${summary.id}: ${describe(error)}`);
    }
  }

  /** Table clients for readers (auditor queries, tests). */
  get tables(): { state: TableClient; history: TableClient; scans: TableClient } {
    return { state: this.state, history: this.history, scans: this.scans };
  }
}

/** History row key: the cluster, then the time, then what recorded it, so a cluster's rows sort by time. */
export function historyRowKey(clusterId: string, recordedAt: Date, recordedBy: string): string {
  return `${clusterKey(clusterId)}|${recordedAt.toISOString()}|${recordedBy}`;
}

/** The row a history record is stored as (exported so that `verify` can tell whether a stored row is exactly that). */
export function historyEntity(record: HistoryRecord, hash: string): TableEntity {
  const common = {
    partitionKey: subscriptionKey(record.subscriptionId),
    schemaVersion: 1,
    kind: record.kind,
    clusterId: record.clusterId,
    subscriptionId: record.subscriptionId,
    recordedAt: record.recordedAt,
    previousHash: record.previousHash,
    hash,
  };
  if (record.kind === 'deleted') {
    return { ...common, rowKey: historyRowKey(record.clusterId, record.recordedAt, `event-${record.eventId}`), eventId: record.eventId, deletedAt: record.deletedAt, status: 'deleted' };
  }
  const { verdict } = record;
  return {
    ...common,
    rowKey: historyRowKey(record.clusterId, record.recordedAt, record.scanId),
    scanId: record.scanId,
    status: verdict.status,
    action: verdict.action,
    findingCodes: [...new Set(verdict.findings.map((f) => f.code))].join(','),
    ...chunkedProperty('verdictJson', JSON.stringify(verdict)),
  };
}

function stateEntity(record: VerdictRecord, hash: string): TableEntity {
  const { verdict } = record;
  const worst = worstFinding(verdict.findings);
  const expiries = verdict.certificates.map((c) => c.notAfter.getTime());
  return {
    partitionKey: subscriptionKey(verdict.subscriptionId),
    rowKey: clusterKey(verdict.id),
    schemaVersion: 1,
    clusterId: verdict.id,
    name: verdict.name,
    resourceGroup: verdict.resourceGroup,
    location: verdict.location,
    status: verdict.status,
    action: verdict.action,
    worstFindingCode: worst?.code ?? '',
    worstFindingMessage: worst?.message ?? '',
    findingCodes: [...new Set(verdict.findings.map((f) => f.code))].join(','),
    ...(expiries.length ? { earliestExpiry: new Date(Math.min(...expiries)) } : {}),
    autoRotationEligible: verdict.autoRotation.eligible,
    autoRotationReasons: verdict.autoRotation.reasons.join(','),
    scanId: record.scanId,
    recordedAt: record.recordedAt,
    hash,
    ...chunkedProperty('verdictJson', JSON.stringify(verdict)),
  };
}

function describe(error: unknown): string {
  const e = error as { statusCode?: number; code?: string; message?: string };
  return [e.statusCode ? `HTTP ${e.statusCode}` : undefined, e.code, e.message?.split('\n')[0]].filter(Boolean).join(' ');
}
