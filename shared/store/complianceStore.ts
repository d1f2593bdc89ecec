import type { ClusterId } from '../domain/clusterId.js';
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { isConflict, isNotFound, messageOf, StoreError } from '../domain/errors.js';
import { distinctCodes, worstFinding } from '../domain/findings.js';
import type { ScanSummary } from '../domain/report.js';
import { countByStatus } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { historyRecordHash, type DeletionRecord, type HistoryRecord, type VerdictRecord } from './historyRecord.js';
import { ensureTable, transactionsOf, upsertInBatches } from './tableBatch.js';
import { chunkedProperty, clusterKey, subscriptionKey } from './tableKeys.js';

export const TABLE_NAMES = { state: 'ClusterState', history: 'ComplianceHistory', scans: 'ScanRuns' } as const;

/** The trail's tables as SDK clients: opened by the wiring (or by tests, against Azurite) and handed in. */
export interface ComplianceTables {
  /** ClusterState: the latest verdict of each cluster. */
  state: TableClient;
  /** ComplianceHistory: the hash-chained trail. */
  history: TableClient;
  /** ScanRuns: one row per scan. */
  scans: TableClient;
}

export function complianceTables(openTable: (name: string) => TableClient): ComplianceTables {
  return { state: openTable(TABLE_NAMES.state), history: openTable(TABLE_NAMES.history), scans: openTable(TABLE_NAMES.scans) };
}

/** What the store remembers of a cluster's latest verdict, to chain the next record. */
export interface LatestState {
  clusterId: string;
  hash: string;
  recordedAt: Date;
  /** The state row's ETag: the next record moves the state forward only if nobody else did meanwhile. */
  etag?: string;
}

/** A verdict ready to append: its record, its hash, and the state it expects to move forward from. */
interface PendingAppend {
  record: VerdictRecord;
  hash: string;
  expected?: LatestState;
}

/** The latest states a scan chains its records to, looked up by cluster id (the keys are the store's business). */
export class LatestStates {
  constructor(private readonly byKey: ReadonlyMap<string, LatestState> = new Map()) {}

  of(clusterId: string): LatestState | undefined {
    return this.byKey.get(clusterKey(clusterId));
  }
}

/**
 * The audit trail in Table Storage: an append-only history row per verdict (partition = subscription,
 * row = cluster key + time, so one subscription's verdicts batch into transactions), a latest-state
 * row per cluster, and a row per scan run. Keys derive from the scan and the cluster only, so a
 * retried write lands on the same rows.
 */
export class ComplianceStore {
  private readonly state: TableClient;
  private readonly history: TableClient;
  private readonly scans: TableClient;

  private constructor(tables: ComplianceTables) {
    ({ state: this.state, history: this.history, scans: this.scans } = tables);
  }

  /** Creates the tables that do not exist yet; `where` names the account in the error (no secret). */
  static async open(tables: ComplianceTables, where = 'the storage account'): Promise<ComplianceStore> {
    const store = new ComplianceStore(tables);
    try {
      await Promise.all([ensureTable(store.state), ensureTable(store.history), ensureTable(store.scans)]);
    } catch (error) {
      throw new StoreError(`cannot reach the compliance tables at ${where}: ${describe(error)}`, { cause: error });
    }
    return store;
  }

  /**
   * The latest recorded states a scan's records chain to: of every cluster in the subscription (one
   * query), or of only the clusters named (a read each: an event's rescan of one cluster).
   */
  async latestStates(subscriptionId: string, only?: readonly string[]): Promise<LatestStates> {
    if (only) return this.latestStatesOfClusters(only.map((id) => ({ subscriptionId, id })));
    const states = new Map<string, LatestState>();
    try {
      const rows = this.state.listEntities<TableEntity<{ clusterId: string; hash: string; recordedAt: Date }>>({
        queryOptions: { filter: odata`PartitionKey eq ${subscriptionKey(subscriptionId)}`, select: ['RowKey', 'clusterId', 'hash', 'recordedAt'] },
      });
      for await (const row of rows) states.set(row.rowKey!, { clusterId: row.clusterId, hash: row.hash, recordedAt: new Date(row.recordedAt), etag: row.etag });
    } catch (error) {
      throw new StoreError(`could not read the latest states of subscription ${subscriptionId}: ${describe(error)}`, { cause: error });
    }
    return new LatestStates(states);
  }

  /** Whether any scan was ever recorded (the demo gives an empty store a past). */
  async hasScans(): Promise<boolean> {
    for await (const _ of this.scans.listEntities({ queryOptions: { select: ['RowKey'] } })) return true;
    return false;
  }

  /** The latest recorded state of one cluster, if it has one. */
  async latestStateOf(subscriptionId: string, clusterId: string): Promise<LatestState | undefined> {
    try {
      const row = await this.state.getEntity<{ clusterId: string; hash: string; recordedAt: Date }>(subscriptionKey(subscriptionId), clusterKey(clusterId), {
        queryOptions: { select: ['clusterId', 'hash', 'recordedAt'] },
      });
      return { clusterId: row.clusterId, hash: row.hash, recordedAt: new Date(row.recordedAt), etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new StoreError(`could not read the state of ${clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Appends the verdicts of one subscription to the history, then moves each cluster's latest state
   * forward, on condition that it is still the state the record chains to (its ETag). Another scan may
   * have recorded the cluster meanwhile (the timer's scan and an event's rescan overlap): then the
   * record is chained again to what that scan left, or, if that is newer than this verdict, dropped
   * from the trail as superseded, so that a cluster's chain never forks and never goes back in time.
   */
  async recordVerdicts(scanId: string, recordedAt: Date, verdicts: readonly ClusterVerdict[], previous?: LatestStates): Promise<void> {
    if (verdicts.length === 0) return;
    previous ??= await this.latestStatesOfClusters(verdicts);
    const appends = verdicts.map((verdict) => prepareAppend(scanId, recordedAt, verdict, previous.of(verdict.id)));
    try {
      await upsertInBatches(this.history, appends.map((a) => historyEntity(a.record, a.hash)));
      const byEntity = new Map(appends.map((a) => [stateEntity(a.record, a.hash), a] as const));
      for (const transaction of transactionsOf([...byEntity.keys()].map((entity) => stateAction(entity, byEntity.get(entity)!.expected)))) {
        try {
          await this.state.submitTransaction(transaction);
        } catch (error) {
          if (!isConflict(error)) throw error;
          // One clash fails its whole transaction: settle its verdicts one by one.
          for (const action of transaction) await this.appendAlone(byEntity.get(action[1] as TableEntity)!);
        }
      }
    } catch (error) {
      throw new StoreError(`could not record ${verdicts.length} verdicts of scan ${scanId}: ${describe(error)}`, { cause: error });
    }
  }

  /** The states of some clusters, a read each. */
  private async latestStatesOfClusters(clusters: readonly Pick<ClusterId, 'subscriptionId' | 'id'>[]): Promise<LatestStates> {
    const states = new Map<string, LatestState>();
    for (const cluster of clusters) {
      const state = await this.latestStateOf(cluster.subscriptionId, cluster.id);
      if (state) states.set(clusterKey(cluster.id), state);
    }
    return new LatestStates(states);
  }

  /** Moves one cluster's state forward, chaining its record again to whatever another scan recorded meanwhile. */
  private async appendAlone(append: PendingAppend): Promise<void> {
    let current = append;
    for (let attempt = 0; ; attempt++) {
      const entity = stateEntity(current.record, current.hash);
      try {
        await this.submitOne(stateAction(entity, current.expected));
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error;
      }
      const latest = await this.latestStateOf(current.record.subscriptionId, current.record.clusterId);
      const row = historyEntity(current.record, current.hash);
      if (latest && latest.recordedAt > current.record.recordedAt) {
        // A newer verdict is recorded: this one would take the state back in time. Its history row
        // was never chained to (no state named it), so removing it leaves the trail whole.
        await this.history.deleteEntity(row.partitionKey, row.rowKey);
        return;
      }
      current = prepareAppend(current.record.scanId, current.record.recordedAt, current.record.verdict, latest);
      await this.history.upsertEntity(historyEntity(current.record, current.hash), 'Replace');
    }
  }

  private async submitOne(action: TransactionAction): Promise<void> {
    const [kind, entity, , options] = action as ['create' | 'update', TableEntity, 'Replace'?, { etag?: string }?];
    if (kind === 'create') await this.state.createEntity(entity);
    else await this.state.updateEntity(entity, 'Replace', options);
  }

  /**
   * Records that a cluster was deleted (from an event): a history row chained to its last verdict, then
   * the latest-state row removed. History is never deleted. A redelivered event lands on the same row;
   * a deletion older than the latest verdict (the cluster was re-created since) changes nothing.
   */
  async recordDeletion({ cluster, eventId, deletedAt }: { cluster: Pick<ClusterId, 'id' | 'subscriptionId'>; eventId: string; deletedAt: Date }): Promise<'recorded' | 'duplicate' | 'stale' | 'unknown-cluster'> {
    const deletion = { clusterId: cluster.id, subscriptionId: cluster.subscriptionId, eventId, deletedAt };
    const partition = subscriptionKey(deletion.subscriptionId);
    const rowKey = historyRowKey(deletion.clusterId, deletion.deletedAt, `event-${deletion.eventId}`);
    try {
      if (await this.exists(this.history, partition, rowKey)) return 'duplicate';
      for (let attempt = 0; ; attempt++) {
        const state = await this.latestStateOf(deletion.subscriptionId, deletion.clusterId);
        if (!state) return 'unknown-cluster';
        if (state.recordedAt > deletion.deletedAt) {
          // A verdict newer than the deletion (the cluster was re-created): a row of ours written in an
          // earlier attempt was never chained to, so it goes too.
          await this.history.deleteEntity(partition, rowKey).catch((error) => {
            if (!isNotFound(error)) throw error;
          });
          return 'stale';
        }
        const record: DeletionRecord = { kind: 'deleted', ...deletion, recordedAt: deletion.deletedAt, previousHash: state.hash };
        await this.history.upsertEntity(historyEntity(record, historyRecordHash(record)), 'Replace');
        try {
          // The etag makes sure a verdict recorded meanwhile is not removed with the deleted cluster.
          await this.state.deleteEntity(partition, clusterKey(deletion.clusterId), { etag: state.etag });
          break;
        } catch (error) {
          if (!isConflict(error) || attempt >= 4) throw error;
        }
      }
      return 'recorded';
    } catch (error) {
      throw new StoreError(`could not record the deletion of ${deletion.clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  private async exists(table: TableClient, partitionKey: string, rowKey: string): Promise<boolean> {
    try {
      await table.getEntity(partitionKey, rowKey, { queryOptions: { select: ['RowKey'] } });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
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
      throw new StoreError(`could not record scan ${summary.id}: ${describe(error)}`, { cause: error });
    }
  }

}

/** History row key: the cluster, then the time, then what recorded it, so a cluster's rows sort by time. */
export function historyRowKey(clusterId: string, recordedAt: Date, recordedBy: string): string {
  return `${clusterKey(clusterId)}|${recordedAt.toISOString()}|${recordedBy}`;
}

/** The row a history record is stored as (exported so that `verify` can tell whether a stored row is exactly that). */
export function prepareAppend(scanId: string, recordedAt: Date, verdict: ClusterVerdict, expected: LatestState | undefined): PendingAppend {
  const record: VerdictRecord = {
    kind: 'verdict', clusterId: verdict.id, subscriptionId: verdict.subscriptionId, scanId, recordedAt, verdict,
    previousHash: expected?.hash ?? '',
  };
  return { record, hash: historyRecordHash(record), expected };
}

/** Create the state row of a cluster seen for the first time; otherwise replace it only if unchanged since read. */
function stateAction(entity: TableEntity, expected: LatestState | undefined): TransactionAction {
  if (!expected) return ['create', entity];
  return expected.etag ? ['update', entity, 'Replace', { etag: expected.etag }] : ['upsert', entity, 'Replace'];
}

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
    findingCodes: distinctCodes(verdict.findings).join(','),
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
    findingCodes: distinctCodes(verdict.findings).join(','),
    ...(expiries.length ? { earliestExpiry: new Date(Math.min(...expiries)) } : {}),
    autoRotationEligible: verdict.autoRotation.eligible,
    autoRotationReasons: verdict.autoRotation.reasons.join(','),
    scanId: record.scanId,
    recordedAt: record.recordedAt,
    hash,
    ...chunkedProperty('verdictJson', JSON.stringify(verdict)),
  };
}

/** An SDK failure in one line: status, code and message; a refused connection says what to start. */
function describe(error: unknown): string {
  const e = error as { statusCode?: number; code?: string };
  if (e.code === 'ECONNREFUSED') return 'the connection was refused: nothing listens there (for Azurite, run `npm start`, or `npx azurite`)';
  return [e.statusCode ? `HTTP ${e.statusCode}` : undefined, e.code, messageOf(error)].filter(Boolean).join(' ');
}
