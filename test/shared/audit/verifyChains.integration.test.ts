import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { CHECKPOINT_PARTITION, entriesEntity, entriesRoot, HEAD_ROW, headerEntity, headerHash, type CheckpointEntry } from '../../../shared/store/trailCheckpoints.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { clusterIdOf, hoursAfter, historyRowsOf, recordDeletionAt, recordScanAt, verdictFor } from '../../support/auditTrail.js';
import { azuriteStore } from '../../support/environment.js';

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
afterAll(async () => azurite?.stop());

const t0 = new Date('2026-03-01T06:00:00Z');

/**
 * Each test writes a real trail (three scans of two clusters) in a subscription of its own, tampers
 * with it directly in Azurite, and expects `verify` to name exactly the rows it touched there.
 */
let nextSubscription = 0;
async function trail(): Promise<{ subscriptionId: string; partition: string }> {
  const subscriptionId = `00000000-0000-4000-8000-${String(++nextSubscription).padStart(12, '0')}`;
  for (const [i, status] of (['compliant', 'warning', 'violation'] as const).entries()) {
    const at = hoursAfter(t0, 24 * i);
    await recordScanAt(store, at, [verdictFor(subscriptionId, 'aks-a', status, at), verdictFor(subscriptionId, 'aks-b', 'compliant', at)]);
  }
  return { subscriptionId, partition: subscriptionKey(subscriptionId) };
}

async function findingsIn(partition: string) {
  const result = await verifyChains(tables);
  return result.findings.filter((f) => f.partitionKey === partition).map(({ problem, rowKey }) => ({ problem, rowKey }));
}

describe('verifyChains over a trail written by the store', () => {
  it('finds an untouched trail intact, deletions and re-created clusters included', async () => {
    const { subscriptionId } = await trail();
    await recordDeletionAt(store, subscriptionId, 'aks-b', hoursAfter(t0, 60));
    await recordScanAt(store, hoursAfter(t0, 72), [verdictFor(subscriptionId, 'aks-a', 'compliant', hoursAfter(t0, 72)), verdictFor(subscriptionId, 'aks-b', 'warning', hoursAfter(t0, 72))]);
    const result = await verifyChains(tables);
    expect(result.findings).toEqual([]);
    expect(result.intact).toBe(true);
    expect(result.rows).toBe(9);
    expect(result.clusters).toBe(2);
  });

  it('names a row whose verdict JSON was edited as altered', async () => {
    const { subscriptionId, partition } = await trail();
    const [, middle] = await historyRowsOf(tables, subscriptionId, 'aks-a');
    const verdict = JSON.parse(middle!['verdictJson'] as string);
    // Only the hash can tell: no other column is derived from the location or the message.
    verdict.location = 'eastus';
    verdict.findings[0].message = 'Nothing to see here.';
    await tables.history.updateEntity({ partitionKey: middle!.partitionKey!, rowKey: middle!.rowKey!, verdictJson: JSON.stringify(verdict) }, 'Merge');
    expect(await findingsIn(partition)).toEqual([{ problem: 'altered', rowKey: middle!.rowKey }]);
  });

  it('names a row whose status column alone was edited as altered', async () => {
    const { subscriptionId, partition } = await trail();
    const rows = await historyRowsOf(tables, subscriptionId, 'aks-a');
    const newest = rows.at(-1)!;
    await tables.history.updateEntity({ partitionKey: newest.partitionKey!, rowKey: newest.rowKey!, status: 'compliant' }, 'Merge');
    expect(await findingsIn(partition)).toEqual([{ problem: 'altered', rowKey: newest.rowKey }]);
  });

  it('names the gap left by a deleted middle row, with the hash of the row that is gone', async () => {
    const { subscriptionId, partition } = await trail();
    const [, middle, newest] = await historyRowsOf(tables, subscriptionId, 'aks-a');
    await tables.history.deleteEntity(middle!.partitionKey!, middle!.rowKey!);
    const result = await verifyChains(tables);
    expect(result.findings.filter((f) => f.partitionKey === partition)).toEqual([
      expect.objectContaining({ problem: 'removed', rowKey: newest!.rowKey, missingHash: middle!['hash'], clusterId: middle!['clusterId'] }),
    ]);
  });

  it('names a deleted first row and a deleted newest row (the latest state still names it)', async () => {
    const { subscriptionId, partition } = await trail();
    const [first, second] = await historyRowsOf(tables, subscriptionId, 'aks-a');
    const newestOfB = (await historyRowsOf(tables, subscriptionId, 'aks-b')).at(-1)!;
    await tables.history.deleteEntity(first!.partitionKey!, first!.rowKey!);
    await tables.history.deleteEntity(newestOfB.partitionKey!, newestOfB.rowKey!);
    expect(await findingsIn(partition)).toEqual(
      [{ problem: 'removed', rowKey: second!.rowKey }, { problem: 'removed', rowKey: newestOfB.rowKey }].sort((a, b) => a.rowKey!.localeCompare(b.rowKey!)),
    );
  });

  it('names a forged row with a made-up hash as inserted', async () => {
    const { subscriptionId, partition } = await trail();
    const [first] = await historyRowsOf(tables, subscriptionId, 'aks-a');
    const forgedKey = first!.rowKey!.replace('T06:00:00.000Z', 'T12:00:00.000Z');
    const { etag, timestamp, ...copy } = first!;
    await tables.history.createEntity({ ...copy, partitionKey: first!.partitionKey!, rowKey: forgedKey, recordedAt: hoursAfter(t0, 6), hash: 'f'.repeat(64) });
    expect(await findingsIn(partition)).toEqual([{ problem: 'inserted', rowKey: forgedKey }]);
  });

  it('names an inserted row whose hash is right for its content but whose previous hash is wrong', async () => {
    const { subscriptionId, partition } = await trail();
    const rows = await historyRowsOf(tables, subscriptionId, 'aks-b');
    // A verdict for a time after the newest, hashed correctly, chained to a made-up predecessor.
    const { historyEntity } = await import('../../../shared/store/complianceStore.js');
    const { historyRecordHash } = await import('../../../shared/store/historyRecord.js');
    const at = hoursAfter(t0, 50);
    const record = { kind: 'verdict' as const, clusterId: rows[0]!['clusterId'] as string, subscriptionId, scanId: 'forged-scan', recordedAt: at, verdict: verdictFor(subscriptionId, 'aks-b', 'compliant', at), previousHash: 'e'.repeat(64) };
    const forged = historyEntity(record, historyRecordHash(record));
    await tables.history.createEntity(forged);
    expect(await findingsIn(partition)).toEqual([{ problem: 'inserted', rowKey: forged.rowKey }]);
  });

  it('notices a removed deletion record: the cluster has no latest state, yet its trail ends in a verdict', async () => {
    const { subscriptionId, partition } = await trail();
    await recordDeletionAt(store, subscriptionId, 'aks-a', hoursAfter(t0, 60));
    const rows = await historyRowsOf(tables, subscriptionId, 'aks-a');
    const deletion = rows.at(-1)!;
    expect(deletion['kind']).toBe('deleted');
    expect(await findingsIn(partition)).toEqual([]);
    await tables.history.deleteEntity(deletion.partitionKey!, deletion.rowKey!);
    expect(await findingsIn(partition)).toEqual([{ problem: 'removed', rowKey: rows.at(-2)!.rowKey }]);
  });

  it("names a cluster whose whole trail was removed, every history row and its latest state, from the scans' checkpoints", async () => {
    const { subscriptionId, partition } = await trail();
    const rows = await historyRowsOf(tables, subscriptionId, 'aks-a');
    for (const row of rows) await tables.history.deleteEntity(row.partitionKey!, row.rowKey!);
    await tables.state.deleteEntity(partition, rows[0]!.rowKey!.split('|')[0]!);
    const result = await verifyChains(tables);
    expect(result.findings.filter((f) => f.partitionKey === partition)).toEqual([
      expect.objectContaining({ problem: 'removed', table: 'ComplianceHistory', rowKey: rows.at(-1)!.rowKey, clusterId: clusterIdOf(subscriptionId, 'aks-a') }),
    ]);
    expect(result.intact).toBe(false);
  });

  it('checkpoints scans that finish together in one checkpoint, and still names a removed trail by its own row', async () => {
    const subscriptionId = `00000000-0000-4000-8000-${String(++nextSubscription).padStart(12, '0')}`;
    const partition = subscriptionKey(subscriptionId);
    const headBefore = await tables.checkpoints.getEntity<{ seq: number }>(CHECKPOINT_PARTITION, HEAD_ROW).then((row) => row.seq, () => 0);
    const names = ['aks-1', 'aks-2', 'aks-3', 'aks-4', 'aks-5', 'aks-6'];
    await Promise.all(names.map((name, i) => recordScanAt(store, hoursAfter(t0, i), [verdictFor(subscriptionId, name, 'warning', hoursAfter(t0, i))])));
    const headAfter = (await tables.checkpoints.getEntity<{ seq: number }>(CHECKPOINT_PARTITION, HEAD_ROW)).seq;
    // The first scan's checkpoint is written alone; those that finish while it is written share the next.
    expect(headAfter - headBefore).toBeGreaterThan(0);
    expect(headAfter - headBefore).toBeLessThan(names.length);
    expect(await findingsIn(partition)).toEqual([]);

    const [row] = await historyRowsOf(tables, subscriptionId, 'aks-4');
    await tables.history.deleteEntity(row!.partitionKey!, row!.rowKey!);
    await tables.state.deleteEntity(partition, clusterKey(clusterIdOf(subscriptionId, 'aks-4')));
    expect(await findingsIn(partition)).toEqual([{ problem: 'removed', rowKey: row!.rowKey }]);
  });

  it('holds the trail to checkpoints written before entries named their rows', async () => {
    const { subscriptionId, partition } = await trail();
    const newest = (await historyRowsOf(tables, subscriptionId, 'aks-a')).at(-1)!;
    const recordedAt = new Date(newest.rowKey!.split('|')[1]!);
    // Checkpoints as the store wrote them until entries carried the row key: `[cluster id, hash]`.
    const legacyCheckpoint = async (recordedBy: string, hash: string) => {
      const entries: CheckpointEntry[] = [[clusterIdOf(subscriptionId, 'aks-a'), hash]];
      const head = await tables.checkpoints.getEntity<{ seq: number; hash: string }>(CHECKPOINT_PARTITION, HEAD_ROW);
      const unhashed = { seq: head.seq + 1, recordedBy, part: 0, recordedAt, previous: head.hash, partitions: [{ partition, count: 1, root: entriesRoot(entries) }] };
      const header = { ...unhashed, hash: headerHash(unhashed) };
      await tables.checkpoints.upsertEntity(entriesEntity(partition, recordedBy, 0, recordedAt, entries), 'Replace');
      await tables.checkpoints.submitTransaction([
        ['create', headerEntity(header)],
        ['update', { partitionKey: CHECKPOINT_PARTITION, rowKey: HEAD_ROW, seq: header.seq, hash: header.hash }, 'Replace', { etag: head.etag }],
      ]);
    };
    await legacyCheckpoint(`legacy-${subscriptionId}-1`, newest['hash'] as string);
    expect(await findingsIn(partition)).toEqual([]);

    await legacyCheckpoint(`legacy-${subscriptionId}-2`, 'ff'.repeat(32));
    // Without a row key, the row an entry names is the header's recordedBy and recordedAt.
    expect(await findingsIn(partition)).toEqual([
      { problem: 'removed', rowKey: `${clusterKey(clusterIdOf(subscriptionId, 'aks-a'))}|${recordedAt.toISOString()}|legacy-${subscriptionId}-2` },
    ]);
  });

  it('names a whole subscription removed from the history and the latest states', async () => {
    const { subscriptionId, partition } = await trail();
    for (const name of ['aks-a', 'aks-b']) {
      for (const row of await historyRowsOf(tables, subscriptionId, name)) await tables.history.deleteEntity(row.partitionKey!, row.rowKey!);
    }
    for await (const row of tables.state.listEntities({ queryOptions: { filter: `PartitionKey eq '${partition}'` } })) await tables.state.deleteEntity(row.partitionKey!, row.rowKey!);
    const removed = (await verifyChains(tables)).findings.filter((f) => f.partitionKey === partition);
    expect(removed.map((f) => [f.problem, f.clusterId.split('/').at(-1)])).toEqual([['removed', 'aks-a'], ['removed', 'aks-b']]);
  });
});
