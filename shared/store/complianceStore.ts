import type { ClusterId } from '../domain/clusterId.js';
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { isConflict, isNotFound, messageOf, StoreError } from '../domain/errors.js';
import { distinctCodes, worstFinding } from '../domain/findings.js';
import type { ScanSummary } from '../domain/report.js';
import { countByStatus } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import type { RecordedEvidence } from '../domain/carryEvidence.js';
import { EVIDENCE_COLUMN, evidenceColumn, evidenceOfText } from './evidenceColumn.js';
import { historyEntity, historyRowIntegrity, historyRowKey, historyRowKeyOf } from './historyEntity.js';
import type { RotationStep } from '../rotation/orchestratorPorts.js';
import { historyRecordHash, type DeletionRecord, type RevocationRecord, type RotationEventRecord, type VerdictRecord } from './historyRecord.js';
import { ensureTable, POINT_READS_AT_MOST, transactionsOf, upsertInBatches } from './tableBatch.js';
import { chunkedProperty, clusterKey, subscriptionKey } from './tableKeys.js';
import { CheckpointWriter, TRAIL_CHECKPOINTS_TABLE, type CheckpointMirrorWriter, type RecordedRow } from './trailCheckpoints.js';
import { intentEntities, intentFromEntity, TRAIL_INTENTS_TABLE, type TrailIntent } from './trailIntents.js';

export { historyEntity, historyRowKey } from './historyEntity.js';

export const TABLE_NAMES = {
  state: 'ClusterState',
  history: 'ComplianceHistory',
  scans: 'ScanRuns',
  checkpoints: TRAIL_CHECKPOINTS_TABLE,
  intents: TRAIL_INTENTS_TABLE,
} as const;

/**
 * A scan still `running` after this long is `abandoned`: no Functions invocation runs that long (the
 * Consumption plan stops one after 10 minutes at most, the others after the host's functionTimeout),
 * and a write of the store whose writer is gone that long is completed or dropped by the next scan.
 */
export const ABANDONED_AFTER_MS = 2 * 3_600_000;

/** The trail's tables as SDK clients: opened by the wiring (or by tests, against Azurite) and handed in. */
export interface ComplianceTables {
  /** ClusterState: the latest verdict of each cluster. */
  state: TableClient;
  /** ComplianceHistory: the hash-chained trail. */
  history: TableClient;
  /** ScanRuns: one row per scan, from its start (`running`) to its end (`succeeded`, `failed`). */
  scans: TableClient;
  /** TrailCheckpoints: per scan, the latest hash of every cluster it recorded, chained (store/trailCheckpoints.ts). */
  checkpoints: TableClient;
  /** TrailIntents: the history rows a write is about to append, until they are chained (store/trailIntents.ts). */
  intents: TableClient;
}

export function complianceTables(openTable: (name: string) => TableClient): ComplianceTables {
  return {
    state: openTable(TABLE_NAMES.state),
    history: openTable(TABLE_NAMES.history),
    scans: openTable(TABLE_NAMES.scans),
    checkpoints: openTable(TABLE_NAMES.checkpoints),
    intents: openTable(TABLE_NAMES.intents),
  };
}

export interface StoreOptions {
  /** Where checkpoints are mirrored (store/checkpointMirror.ts); none when absent. */
  mirror?: CheckpointMirrorWriter;
  now?: () => Date;
}

/** What the store remembers of a cluster's latest verdict, to chain the next record. */
export interface LatestState {
  clusterId: string;
  hash: string;
  recordedAt: Date;
  /** The state row's ETag: the next record moves the state forward only if nobody else did meanwhile. */
  etag?: string;
}

/**
 * A state as read, with the certificate evidence its verdict was judged on (for a warm scan to carry,
 * store/evidenceColumn.ts) kept as the row's text: parsed only when a scan asks for it, so that the
 * states of a large subscription held through its scan stay a few hundred bytes a cluster.
 */
type ReadState = LatestState & { evidenceText?: string };

/** A verdict ready to append: its record, its hash, and the state it expects to move forward from. */
interface PendingAppend {
  record: VerdictRecord;
  hash: string;
  expected?: LatestState;
  /** Kept with the state the record moves to. */
  evidence?: RecordedEvidence;
}

/** How settling one row of an unfinished write ended: done with it, or to be looked at again by a later scan. */
type SettledRow = 'chained' | 'completed' | 'dropped' | 'damaged' | 'absent' | 'pending';

/** The latest states a scan chains its records to, looked up by cluster id (the keys are the store's business). */
export class LatestStates {
  /** `byKey`: each state by its cluster's row key, with the subscription it was read from. */
  constructor(private readonly byKey: ReadonlyMap<string, ReadState & { subscriptionId: string }> = new Map()) {}

  of(clusterId: string): LatestState | undefined {
    const state = this.byKey.get(clusterKey(clusterId));
    return state && { clusterId: state.clusterId, hash: state.hash, recordedAt: state.recordedAt, etag: state.etag };
  }

  recordedEvidence(clusterId: string): RecordedEvidence | undefined {
    const text = this.byKey.get(clusterKey(clusterId))?.evidenceText;
    return text === undefined ? undefined : evidenceOfText(text);
  }

  /** Every cluster these states are of, as recorded. */
  clusters(): Array<Pick<ClusterId, 'id' | 'subscriptionId'>> {
    return [...this.byKey.values()].map((state) => ({ id: state.clusterId, subscriptionId: state.subscriptionId }));
  }

  /** The states of several reads (of different subscriptions) as one. */
  static joined(states: readonly LatestStates[]): LatestStates {
    return new LatestStates(new Map(states.flatMap((s) => [...s.byKey])));
  }
}

/**
 * The audit trail in Table Storage: an append-only history row per verdict (partition = subscription,
 * row = cluster key + time, so one subscription's verdicts batch into transactions), a latest-state
 * row per cluster, a row per scan run, a checkpoint per scan, and the intents of writes in progress.
 * Keys derive from the scan and the cluster only, so a retried write lands on the same rows.
 *
 * A write can stop between any two requests. Its order makes every stop recoverable: the intent
 * first, then the history rows, then the latest states, then the intent is removed; at the end of a
 * scan its checkpoint, then its ScanRuns row. Before a scan chains records to a subscription's latest
 * states, it settles what earlier writes left unfinished there (see `settle`).
 */
export class ComplianceStore {
  private readonly state: TableClient;
  private readonly history: TableClient;
  private readonly scans: TableClient;
  private readonly intents: TableClient;
  private readonly checkpointTable: TableClient;
  private readonly checkpoints: CheckpointWriter;
  private readonly now: () => Date;
  /** Per scan in progress in this process: what it recorded, for its checkpoint. */
  private readonly recorded = new Map<string, Map<string, RecordedRow>>();
  /** Intents this process is writing now: settling leaves them to their writer. */
  private readonly liveIntents = new Set<string>();

  private constructor(tables: ComplianceTables, options: StoreOptions) {
    ({ state: this.state, history: this.history, scans: this.scans, intents: this.intents, checkpoints: this.checkpointTable } = tables);
    this.checkpoints = new CheckpointWriter(tables.checkpoints, options.mirror);
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the tables that do not exist yet; `where` names the account in the error (no secret). */
  static async open(tables: ComplianceTables, where = 'the storage account', options: StoreOptions = {}): Promise<ComplianceStore> {
    const store = new ComplianceStore(tables, options);
    try {
      await Promise.all([store.state, store.history, store.scans, store.intents, store.checkpointTable].map(ensureTable));
    } catch (error) {
      throw new StoreError(`cannot reach the compliance tables at ${where}: ${describe(error)}`, { cause: error });
    }
    return store;
  }

  /**
   * The latest recorded states a scan's records chain to: of every cluster in the subscription, or
   * of only the clusters named. Unfinished writes of the subscription are settled first, so the
   * states read are the ones they lead to.
   */
  async latestStates(subscriptionId: string, only?: readonly string[]): Promise<LatestStates> {
    await this.settleWithError(subscriptionKey(subscriptionId));
    return this.statesAsRecorded(subscriptionId, only);
  }

  /**
   * The latest states as they are recorded now, settling nothing: for a decision that only reads (an
   * event handler's), not for records that chain to them. Of the whole subscription in one query, or
   * of a few clusters named, a read each.
   */
  async statesAsRecorded(subscriptionId: string, only?: readonly string[]): Promise<LatestStates> {
    const partition = subscriptionKey(subscriptionId);
    const states = new Map<string, ReadState & { subscriptionId: string }>();
    try {
      if (only && only.length <= POINT_READS_AT_MOST) {
        const read = await Promise.all(only.map((id) => this.stateAt(partition, clusterKey(id))));
        only.forEach((id, i) => read[i] && states.set(clusterKey(id), { ...read[i], subscriptionId }));
        return new LatestStates(states);
      }
      const rows = this.state.listEntities<TableEntity<{ clusterId: string; hash: string; recordedAt: Date }>>({
        queryOptions: { filter: odata`PartitionKey eq ${partition}`, select: ['RowKey', 'clusterId', 'hash', 'recordedAt', EVIDENCE_COLUMN] },
      });
      for await (const row of rows) states.set(row.rowKey!, { ...stateOfRow(row), subscriptionId });
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
      return await this.stateAt(subscriptionKey(subscriptionId), clusterKey(clusterId));
    } catch (error) {
      throw new StoreError(`could not read the state of ${clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  private async stateAt(partitionKey: string, rowKey: string): Promise<ReadState | undefined> {
    try {
      const row = await this.state.getEntity<{ clusterId: string; hash: string; recordedAt: Date }>(partitionKey, rowKey, {
        queryOptions: { select: ['clusterId', 'hash', 'recordedAt', EVIDENCE_COLUMN] },
      });
      return stateOfRow(row);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** A scan starts: its ScanRuns row says `running` until it ends, so a scan that never ends is still listed. */
  async beginScan(scanId: string, startedAt: Date): Promise<void> {
    this.recorded.set(scanId, new Map());
    try {
      await this.scans.upsertEntity({ partitionKey: 'scan', rowKey: scanRunKey(startedAt, scanId), scanId, startedAt, state: 'running' }, 'Replace');
    } catch (error) {
      throw new StoreError(`could not record the start of scan ${scanId}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Appends the verdicts of one subscription to the history, then moves each cluster's latest state
   * forward, on condition that it is still the state the record chains to (its ETag). Another scan may
   * have recorded the cluster meanwhile (the timer's scan and an event's rescan overlap): then the
   * record is chained again to what that scan left, or, if that is newer than this verdict, dropped
   * from the trail as superseded, so that a cluster's chain never forks and never goes back in time.
   * An intent names the rows before they are appended, and is removed once they are all chained.
   */
  async recordVerdicts(scanId: string, recordedAt: Date, verdicts: readonly ClusterVerdict[], previous?: LatestStates, evidence?: ReadonlyMap<string, RecordedEvidence>): Promise<void> {
    if (verdicts.length === 0) return;
    previous ??= await this.latestStatesOfClusters(verdicts);
    const appends = verdicts
      .map((verdict) => ({ ...prepareAppend(scanId, recordedAt, verdict, previous.of(verdict.id)), evidence: evidence?.get(verdict.id) }))
      // A newer verdict is recorded already (by a scan that started later): this one would take the state back in time.
      .filter((append) => !(append.expected && append.expected.recordedAt > recordedAt));
    if (appends.length === 0) return;
    const intents = [...groupBy(appends, (a) => subscriptionKey(a.record.subscriptionId))].flatMap(([partition, group]) =>
      intentEntities(partition, scanId, recordedAt, group.map((a) => clusterKey(a.record.clusterId)), this.now()),
    );
    const live = intents.map((i) => `${i.partitionKey}/${i.rowKey}`);
    for (const key of live) this.liveIntents.add(key);
    try {
      await upsertInBatches(this.intents, intents);
      // Each verdict serialised once, for its history row and its state row alike.
      const verdictJson = appends.map((a) => JSON.stringify(a.record.verdict));
      await upsertInBatches(this.history, appends.map((a, i) => historyEntity(a.record, a.hash, verdictJson[i])));
      const byEntity = new Map(appends.map((a, i) => [stateEntity(a.record, a.hash, a.evidence, verdictJson[i]), a] as const));
      for (const transaction of transactionsOf([...byEntity.keys()].map((entity) => stateAction(entity, byEntity.get(entity)!.expected)))) {
        try {
          await this.state.submitTransaction(transaction);
          for (const action of transaction) this.noteRecorded(byEntity.get(action[1] as TableEntity)!);
        } catch (error) {
          if (!isConflict(error)) throw error;
          // One clash fails its whole transaction: settle its verdicts one by one.
          for (const action of transaction) {
            const settled = await this.appendAlone(byEntity.get(action[1] as TableEntity)!);
            if (settled) this.noteRecorded(settled);
          }
        }
      }
    } catch (error) {
      throw new StoreError(`could not record ${verdicts.length} verdicts of scan ${scanId}: ${describe(error)}`, { cause: error });
    } finally {
      for (const key of live) this.liveIntents.delete(key);
    }
    // Every row is chained or dropped: the intent is done. Should removing it fail, the next scan does.
    await this.deleteRows(this.intents, intents);
  }

  private noteRecorded(append: PendingAppend): void {
    const { record, hash } = append;
    const partition = subscriptionKey(record.subscriptionId);
    const rows = this.recorded.get(record.scanId) ?? new Map<string, RecordedRow>();
    rows.set(`${partition}/${clusterKey(record.clusterId)}`, { partition, clusterId: record.clusterId, hash, rowKey: historyRowKey(record.clusterId, record.recordedAt, record.scanId) });
    this.recorded.set(record.scanId, rows);
  }

  /** The states of some clusters, once what is unfinished in their subscriptions is settled. */
  private async latestStatesOfClusters(clusters: readonly Pick<ClusterId, 'subscriptionId' | 'id'>[]): Promise<LatestStates> {
    const bySubscription = groupBy(clusters, (c) => subscriptionKey(c.subscriptionId));
    const states = await Promise.all([...bySubscription.values()].map((group) => this.latestStates(group[0]!.subscriptionId, group.map((c) => c.id))));
    return LatestStates.joined(states);
  }

  /**
   * Moves one cluster's state forward, chaining its record again to whatever another scan recorded
   * meanwhile; returns the record as chained, or undefined when it was dropped as superseded.
   */
  private async appendAlone(append: PendingAppend): Promise<PendingAppend | undefined> {
    let current = append;
    const partition = subscriptionKey(current.record.subscriptionId);
    const key = clusterKey(current.record.clusterId);
    for (let attempt = 0; ; attempt++) {
      const latest = await this.stateAt(partition, key);
      // Another scan completed this very write (see `settle`).
      if (latest?.hash === current.hash) return current;
      if (current.record.previousHash !== (latest?.hash ?? '')) {
        if (latest && latest.recordedAt > current.record.recordedAt) {
          // A newer verdict is recorded: this one would take the state back in time. Unless a scan
          // that completed it chained to it since, nothing chains to its row, so removing it leaves the trail whole.
          if (await this.isChainedTo(partition, key, current.record.recordedAt, current.hash)) return current;
          const row = historyEntity(current.record, current.hash);
          await this.history.deleteEntity(row.partitionKey, row.rowKey).catch(ignoreNotFound);
          return undefined;
        }
        current = { ...prepareAppend(current.record.scanId, current.record.recordedAt, current.record.verdict, latest), evidence: current.evidence };
        await this.history.upsertEntity(historyEntity(current.record, current.hash), 'Replace');
      }
      try {
        await this.submitOne(stateAction(stateEntity(current.record, current.hash, current.evidence), latest));
        return current;
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error;
      }
    }
  }

  /** Whether a later row of the cluster chains to `hash` (a scan completed the row and recorded after it). */
  private async isChainedTo(partition: string, key: string, since: Date, hash: string): Promise<boolean> {
    const rows = this.history.listEntities({
      queryOptions: {
        filter: odata`PartitionKey eq ${partition} and RowKey ge ${`${key}|${since.toISOString()}`} and RowKey lt ${`${key}|~`} and previousHash eq ${hash}`,
        select: ['RowKey'],
      },
    });
    for await (const _ of rows) return true;
    return false;
  }

  private async submitOne(action: TransactionAction): Promise<void> {
    const [kind, entity, , options] = action as ['create' | 'update', TableEntity, 'Replace'?, { etag?: string }?];
    if (kind === 'create') await this.state.createEntity(entity);
    else await this.state.updateEntity(entity, 'Replace', options);
  }

  private async settleWithError(partition: string): Promise<void> {
    try {
      await this.settle(partition);
    } catch (error) {
      throw new StoreError(`could not settle the unfinished writes of partition ${partition}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Settles what earlier writes left unfinished in a subscription: every intent there names history
   * rows that its writer meant to chain. A row whose cluster's state already names it is done. A row
   * that chains to the cluster's current state is completed (the state moved onto it, ETag-conditional,
   * exactly as its writer would have). A row superseded by a newer recorded verdict, that nothing
   * chains to, is dropped (ETag-conditional: not if its writer rewrote it meanwhile). Anything else
   * waits for a later scan (its writer may be alive and settle it itself) until the intent is older
   * than ABANDONED_AFTER_MS. Doing its writer's work is safe while that writer is alive: the writer
   * finds its row chained and stops. The intent goes once every row it names is settled.
   */
  private async settle(partition: string): Promise<void> {
    const intents: TrailIntent[] = [];
    for await (const row of this.intents.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) {
      const intent = intentFromEntity(row);
      if (intent && !this.liveIntents.has(`${intent.partitionKey}/${intent.rowKey}`)) intents.push(intent);
    }
    for (const intent of intents) {
      const ownerGone = this.now().getTime() - intent.createdAt.getTime() > ABANDONED_AFTER_MS;
      let unsettled = 0;
      for (const key of intent.clusterKeys) {
        const outcome = await this.settleRow(partition, key, intent, ownerGone);
        if (outcome === 'pending' || (outcome === 'absent' && !ownerGone)) unsettled++;
      }
      if (unsettled === 0) {
        await this.intents.deleteEntity(intent.partitionKey, intent.rowKey, { etag: intent.etag }).catch((error: unknown) => {
          if (!isNotFound(error) && !isConflict(error)) throw error;
        });
      }
    }
  }

  private async settleRow(partition: string, key: string, intent: TrailIntent, ownerGone: boolean): Promise<SettledRow> {
    const rowKey = historyRowKeyOf(key, intent.recordedAt, intent.recordedBy);
    let row;
    try {
      row = await this.history.getEntity<Record<string, unknown>>(partition, rowKey);
    } catch (error) {
      if (isNotFound(error)) return 'absent';
      throw error;
    }
    const integrity = historyRowIntegrity(row);
    // Not the row the store wrote: `verify` names it; completing it would adopt a forgery.
    if (!integrity.intact) return 'damaged';
    const record = integrity.record;
    const hash = row['hash'] as string;
    const state = await this.stateAt(partition, key);
    if (state?.hash === hash) return 'chained';
    const dropRow = async (): Promise<SettledRow> => {
      if (await this.isChainedTo(partition, key, record.recordedAt, hash)) return 'chained';
      try {
        await this.history.deleteEntity(partition, rowKey, { etag: row.etag });
        return 'dropped';
      } catch (error) {
        if (isNotFound(error)) return 'dropped';
        if (isConflict(error)) return 'pending'; // its writer rewrote it meanwhile: it settles it
        throw error;
      }
    };
    const conditional = async (move: () => Promise<unknown>): Promise<SettledRow> => {
      try {
        await move();
        return 'completed';
      } catch (error) {
        if (isConflict(error)) return 'pending';
        throw error;
      }
    };

    if (record.kind === 'deleted') {
      if (!state) return 'chained'; // the deletion took effect: the cluster has no state any more
      if (state.hash === record.previousHash) return conditional(() => this.state.deleteEntity(partition, key, { etag: state.etag }));
      if (state.recordedAt > record.deletedAt || ownerGone) return dropRow();
      return 'pending';
    }
    if (record.kind === 'rotation' || record.kind === 'revocation') {
      // A rotation step (or a revocation) moves only the anchor (the state's hash); the verdict the state holds stays.
      if (state && state.hash === record.previousHash) return conditional(() => this.moveAnchor(partition, key, hash, state));
      if (!state || ownerGone) return dropRow();
      return 'pending';
    }
    if (record.previousHash === (state?.hash ?? '')) {
      return conditional(() => this.submitOne(stateAction(stateEntity(record, hash), state)));
    }
    // The state moved on since the row was chained. Newer than the row, or the cluster's state is
    // gone (deleted since): the row is superseded. Older: its writer, if alive, chains it again.
    if (!state || state.recordedAt > record.recordedAt || ownerGone) return dropRow();
    return 'pending';
  }

  /**
   * Records that a cluster was deleted (from an event): a history row chained to its last verdict, then
   * the latest-state row removed, then a checkpoint of the deletion. History is never deleted. A
   * redelivered event lands on the same row (and completes it, if its first delivery stopped halfway);
   * a deletion older than the latest verdict (the cluster was re-created since) changes nothing.
   */
  async recordDeletion({ cluster, eventId, deletedAt }: { cluster: Pick<ClusterId, 'id' | 'subscriptionId'>; eventId: string; deletedAt: Date }): Promise<'recorded' | 'duplicate' | 'stale' | 'unknown-cluster'> {
    const deletion = { clusterId: cluster.id, subscriptionId: cluster.subscriptionId, eventId, deletedAt };
    const partition = subscriptionKey(deletion.subscriptionId);
    const target = { ...deletion, recordedBy: `event-${deletion.eventId}`, recordedAt: deletion.deletedAt };
    try {
      return await this.appendOutsideScan(target, 'duplicate', {
        chain: (state) => {
          if (!state) return 'unknown-cluster';
          // A verdict newer than the deletion (the cluster was re-created): a row of ours written in an
          // earlier attempt was never chained to, so it goes too.
          if (state.recordedAt > deletion.deletedAt) return 'stale';
          return { kind: 'deleted', ...deletion, recordedAt: deletion.deletedAt, previousHash: state.hash };
        },
        // The etag makes sure a verdict recorded meanwhile is not removed with the deleted cluster.
        anchor: (state) => this.state.deleteEntity(partition, clusterKey(deletion.clusterId), { etag: state.etag }),
      });
    } catch (error) {
      throw new StoreError(`could not record the deletion of ${deletion.clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Appends a step of a certificate rotation to the cluster's chain, by the same path as a deletion:
   * an intent, the history row (chained to the cluster's latest state), then the state's hash moved
   * onto it (ETag-conditional: a verdict recorded meanwhile makes it chain again), the intent removed,
   * a checkpoint. The row's keys derive from the step alone, so a retry lands on the same row.
   * A cluster without a recorded state has no chain to extend: `unknown-cluster`, nothing written.
   */
  async recordRotationEvent(step: RotationStep): Promise<'recorded' | 'unknown-cluster'> {
    const partition = subscriptionKey(step.subscriptionId);
    const target = { ...step, recordedBy: `rotation-${step.rotationId}-${step.event}` };
    try {
      const outcome = await this.appendOutsideScan(target, 'recorded', {
        chain: (state) => (state ? { kind: 'rotation', ...step, previousHash: state.hash } : 'unknown-cluster'),
        anchor: (state, hash) => this.moveAnchor(partition, clusterKey(step.clusterId), hash, state),
      });
      return outcome === 'unknown-cluster' ? outcome : 'recorded';
    } catch (error) {
      throw new StoreError(`could not record ${step.event} of ${step.clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Appends a certificate revocation (`akscert revocation`) to the cluster's chain, by the same path as
   * a rotation step. A cluster without a recorded state has no chain to extend: `unknown-cluster`.
   */
  async recordRevocation(revocation: Omit<RevocationRecord, 'kind' | 'event' | 'previousHash'>): Promise<'recorded' | 'unknown-cluster'> {
    const partition = subscriptionKey(revocation.subscriptionId);
    const target = { ...revocation, recordedBy: `revocation-${revocation.revocationId}` };
    try {
      const outcome = await this.appendOutsideScan(target, 'recorded', {
        chain: (state) => (state ? { kind: 'revocation', event: 'REVOCATION_ISSUED', ...revocation, previousHash: state.hash } : 'unknown-cluster'),
        anchor: (state, hash) => this.moveAnchor(partition, clusterKey(revocation.clusterId), hash, state),
      });
      return outcome === 'unknown-cluster' ? outcome : 'recorded';
    } catch (error) {
      throw new StoreError(`could not record the revocation for ${revocation.clusterId}: ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Appends one record to a cluster's chain outside a scan (a deletion, a rotation step): the intent,
   * the history row chained to the cluster's latest state, the state moved by `anchor`
   * (ETag-conditional: a clash reads the state again and chains anew), the intent removed, then a
   * checkpoint. The row's key derives from `target` alone, so a retry lands on the same row; a row
   * written before is completed if unfinished and answers `existing`. `chain` gives the record for the
   * state read, or an outcome that records nothing (a row of an earlier attempt goes then).
   */
  private async appendOutsideScan<Refusal extends string>(
    target: { subscriptionId: string; clusterId: string; recordedBy: string; recordedAt: Date },
    existing: 'duplicate' | 'recorded',
    steps: {
      chain: (state: LatestState | undefined) => DeletionRecord | RotationEventRecord | RevocationRecord | Refusal;
      anchor: (state: LatestState, hash: string) => Promise<unknown>;
    },
  ): Promise<'recorded' | 'duplicate' | Refusal> {
    const partition = subscriptionKey(target.subscriptionId);
    const key = clusterKey(target.clusterId);
    const rowKey = historyRowKeyOf(key, target.recordedAt, target.recordedBy);
    const intents = intentEntities(partition, target.recordedBy, target.recordedAt, [key], this.now());
    if (await this.exists(this.history, partition, rowKey)) {
      await this.settleRow(partition, key, intentFromEntity(intents[0]!)!, false);
      return existing;
    }
    let hash = '';
    let intentWritten = false;
    for (let attempt = 0; ; attempt++) {
      const state = await this.latestStateOf(target.subscriptionId, target.clusterId);
      const record = steps.chain(state);
      if (typeof record === 'string') {
        if (intentWritten) {
          await this.history.deleteEntity(partition, rowKey).catch(ignoreNotFound);
          await this.deleteRows(this.intents, intents);
        }
        return record;
      }
      hash = historyRecordHash(record);
      if (!intentWritten) {
        await upsertInBatches(this.intents, intents);
        intentWritten = true;
      }
      await this.history.upsertEntity(historyEntity(record, hash), 'Replace');
      try {
        await steps.anchor(state!, hash);
        break;
      } catch (error) {
        if (!isConflict(error) || attempt >= 4) throw error;
      }
    }
    await this.deleteRows(this.intents, intents);
    await this.checkpoints.record(target.recordedBy, target.recordedAt, [{ partition, clusterId: target.clusterId, hash, rowKey }]);
    return 'recorded';
  }

  /** The cluster's latest state now names `hash` as its newest history row, if nobody moved it since `state` was read. */
  private async moveAnchor(partition: string, key: string, hash: string, state: LatestState): Promise<void> {
    // A rotation renews the certificates: the evidence recorded before it is no evidence of them (emptied, so never carried).
    await this.state.updateEntity({ partitionKey: partition, rowKey: key, hash, [EVIDENCE_COLUMN]: '' }, 'Merge', state.etag ? { etag: state.etag } : {});
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

  /** Best effort: a row left behind is removed by a later scan's settling. */
  private async deleteRows(table: TableClient, rows: readonly TableEntity[]): Promise<void> {
    for (const row of rows) await table.deleteEntity(row.partitionKey, row.rowKey).catch(() => undefined);
  }

  /**
   * A scan ends: the checkpoint over the clusters it recorded (their latest hashes), then its ScanRuns
   * row, `succeeded`, or `failed` with why when its verdicts were not all recorded (`failure`). A
   * succeeded full scan's row names the subscriptions it listed completely (`listedJson`).
   */
  async recordScan(summary: ScanSummary, verdicts: readonly Pick<ClusterVerdict, 'status'>[], outcome: { failure?: string; listedCompletely?: readonly string[] } = {}): Promise<void> {
    const recorded = this.recorded.get(summary.id);
    this.recorded.delete(summary.id);
    let failure = outcome.failure;
    let checkpoints: number[] = [];
    let checkpointError: unknown;
    if (recorded && recorded.size > 0) {
      try {
        checkpoints = await this.checkpoints.record(summary.id, summary.startedAt, [...recorded.values()]);
      } catch (error) {
        checkpointError = error;
        failure ??= `the checkpoint could not be written: ${describe(error)}`;
      }
    }
    try {
      await this.scans.upsertEntity(
        {
          partitionKey: 'scan',
          rowKey: scanRunKey(summary.startedAt, summary.id),
          scanId: summary.id,
          startedAt: summary.startedAt,
          finishedAt: summary.finishedAt,
          subscriptions: summary.subscriptions,
          clusters: summary.clusters,
          errors: summary.errors.length,
          ...countByStatus(verdicts),
          ...chunkedProperty('policyJson', JSON.stringify(summary.policy)),
          ...chunkedProperty('errorsJson', JSON.stringify(summary.errors)),
          state: failure ? 'failed' : 'succeeded',
          ...(failure ? { failure: failure.slice(0, 2000) } : {}),
          // Only a scan that recorded everything vouches for its listings (what marks a cluster stale).
          ...(!failure && outcome.listedCompletely ? chunkedProperty('listedJson', JSON.stringify(outcome.listedCompletely)) : {}),
          checkpoints: checkpoints.join(','),
        },
        'Replace',
      );
    } catch (error) {
      throw new StoreError(`could not record scan ${summary.id}: ${describe(error)}`, { cause: error });
    }
    if (checkpointError) throw new StoreError(`could not checkpoint scan ${summary.id}: ${describe(checkpointError)}`, { cause: checkpointError });
  }
}

/** ScanRuns row keys are `<startedAt ISO>|<scan id>`: oldest first, and a time range is a key range. */
function scanRunKey(startedAt: Date, scanId: string): string {
  return `${startedAt.toISOString()}|${scanId}`;
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

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    // Pushed onto, not copied: a subscription of thousands of clusters stays linear.
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function ignoreNotFound(error: unknown): void {
  if (!isNotFound(error)) throw error;
}


/** A state row as read for chaining: its hash, time and ETag, and the evidence it keeps (unparsed). */
function stateOfRow(row: { clusterId: string; hash: string; recordedAt: Date; etag?: string } & Record<string, unknown>): ReadState {
  const evidenceText = row[EVIDENCE_COLUMN];
  return { clusterId: row.clusterId, hash: row.hash, recordedAt: new Date(row.recordedAt), etag: row.etag, ...(typeof evidenceText === 'string' ? { evidenceText } : {}) };
}

function stateEntity(record: VerdictRecord, hash: string, evidence?: RecordedEvidence, verdictJson = JSON.stringify(record.verdict)): TableEntity {
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
    ...chunkedProperty('verdictJson', verdictJson),
    ...evidenceColumn(evidence),
  };
}

/** An SDK failure in one line: status, code and message; a refused connection says what to start. */
function describe(error: unknown): string {
  const e = error as { statusCode?: number; code?: string };
  if (e.code === 'ECONNREFUSED') return 'the connection was refused: nothing listens there (for Azurite, run `npm start`, or `npx azurite`)';
  return [e.statusCode ? `HTTP ${e.statusCode}` : undefined, e.code, messageOf(error)].filter(Boolean).join(' ');
}
