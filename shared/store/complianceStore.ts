import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import { worstFinding } from '../domain/findings.js';
import type { ScanSummary } from '../domain/report.js';
import { countByStatus } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { historyRecordHash, type HistoryRecord } from './historyRecord.js';
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
      const record: HistoryRecord = { clusterId: verdict.id, scanId, recordedAt, verdict, previousHash: previous.get(key)?.hash ?? '' };
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

function historyEntity(record: HistoryRecord, hash: string): TableEntity {
  const { verdict } = record;
  return {
    partitionKey: subscriptionKey(verdict.subscriptionId),
    rowKey: `${clusterKey(verdict.id)}|${record.recordedAt.toISOString()}|${record.scanId}`,
    schemaVersion: 1,
    clusterId: record.clusterId,
    scanId: record.scanId,
    recordedAt: record.recordedAt,
    status: verdict.status,
    action: verdict.action,
    findingCodes: [...new Set(verdict.findings.map((f) => f.code))].join(','),
    previousHash: record.previousHash,
    hash,
    ...chunkedProperty('verdictJson', JSON.stringify(verdict)),
  };
}

function stateEntity(record: HistoryRecord, hash: string): TableEntity {
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
