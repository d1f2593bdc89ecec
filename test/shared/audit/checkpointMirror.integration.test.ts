import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { blobCheckpointMirror } from '../../../shared/audit/checkpointMirror.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { BlobCheckpointMirror } from '../../../shared/store/checkpointMirror.js';
import { ComplianceStore, type ComplianceTables } from '../../../shared/store/complianceStore.js';
import { CHECKPOINT_PARTITION, headerEntity, headerFromEntity, headerHash, mirrorBlobName, parseMirrorDocument } from '../../../shared/store/trailCheckpoints.js';
import { subscriptionKey } from '../../../shared/store/tableKeys.js';
import { clusterIdOf, historyRowsOf, hoursAfter, recordDeletionAt, recordScanAt, verdictFor } from '../../support/auditTrail.js';
import { azuriteTables } from '../../support/environment.js';

/**
 * The checkpoint mirror in Azurite's blob service (the same code path as an Azure container with a
 * version-level immutability policy): every checkpoint is mirrored, and `verify` holds the tables to
 * the mirror, so that even a whole trail removed together with the checkpoint table's rows is named.
 */
const S = '5e5e5e5e-0000-4000-8000-00000000005e';
const t0 = new Date('2026-04-01T06:00:00Z');

let azurite: RunningAzurite;
let tables: ComplianceTables;
let container: ContainerClient;
let store: ComplianceStore;
beforeEach(async () => {
  azurite = await startAzurite();
  tables = azuriteTables(azurite.connectionString);
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('trail-checkpoints');
  await container.create();
  store = await ComplianceStore.open(tables, 'azurite', { mirror: new BlobCheckpointMirror(container) });
});
afterEach(async () => azurite?.stop());

const withMirror = () => ({ ...tables, mirror: blobCheckpointMirror(container) });

async function trail(on = store): Promise<void> {
  for (const [day, status] of (['compliant', 'warning', 'violation'] as const).entries()) {
    const at = hoursAfter(t0, 24 * day);
    await recordScanAt(on, at, [verdictFor(S, 'aks-a', status, at), verdictFor(S, 'aks-b', 'compliant', at)]);
  }
}

async function blobNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) names.push(blob.name);
  return names;
}

async function deleteAll(table: ComplianceTables[keyof ComplianceTables], filter?: string): Promise<void> {
  for await (const row of table.listEntities({ queryOptions: filter ? { filter } : {} })) await table.deleteEntity(row.partitionKey!, row.rowKey!);
}

describe('the checkpoint mirror', () => {
  it('holds every checkpoint, scans and deletions, with the hashes the clusters were left at', async () => {
    await trail();
    await recordDeletionAt(store, S, 'aks-b', hoursAfter(t0, 60));
    expect(await blobNames()).toEqual([1, 2, 3, 4].map(mirrorBlobName));
    const third = parseMirrorDocument((await container.getBlobClient(mirrorBlobName(3)).downloadToBuffer()).toString('utf8'))!;
    const newestOfA = (await historyRowsOf(tables, S, 'aks-a')).at(-1)!;
    expect(third.partitions).toEqual([expect.objectContaining({ partition: subscriptionKey(S), count: 2 })]);
    expect(third.partitions[0]!.entries).toContainEqual([clusterIdOf(S, 'aks-a'), newestOfA['hash'], newestOfA.rowKey]);
    expect(third.previous).toBe(parseMirrorDocument((await container.getBlobClient(mirrorBlobName(2)).downloadToBuffer()).toString('utf8'))!.hash);

    const result = await verifyChains(withMirror());
    expect(result.findings).toEqual([]);
    expect(result).toMatchObject({ intact: true, checkpoints: 4, mirror: { checkpoints: 4, unmirrored: 0 } });
  });

  it('names a cluster whose whole trail was removed along with every row of the checkpoint table', async () => {
    await trail();
    const rowsOfA = await historyRowsOf(tables, S, 'aks-a');
    for (const row of rowsOfA) await tables.history.deleteEntity(row.partitionKey!, row.rowKey!);
    await tables.state.deleteEntity(subscriptionKey(S), rowsOfA[0]!.rowKey!.split('|')[0]!);
    await deleteAll(tables.checkpoints);

    // The tables alone no longer show it: that is what the mirror is for.
    expect((await verifyChains(tables)).findings).toEqual([]);

    const result = await verifyChains(withMirror());
    expect(result.tampered).toBe(true);
    expect(result.findings.filter((f) => f.table === 'ComplianceHistory')).toEqual([
      expect.objectContaining({ problem: 'removed', partitionKey: subscriptionKey(S), rowKey: rowsOfA.at(-1)!.rowKey, clusterId: clusterIdOf(S, 'aks-a'), missingHash: rowsOfA.at(-1)!['hash'] }),
    ]);
    // And the checkpoint rows: the three headers, and each one's entries for the subscription.
    const entries = expect.stringMatching(new RegExp(`^removed ${subscriptionKey(S)}/[0-9a-f-]{36}\\|0000$`));
    expect(result.findings.filter((f) => f.table === 'TrailCheckpoints').map((f) => `${f.problem} ${f.partitionKey}/${f.rowKey}`)).toEqual([
      entries, entries, entries,
      `removed ${CHECKPOINT_PARTITION}/cp|000000000001`, `removed ${CHECKPOINT_PARTITION}/cp|000000000002`, `removed ${CHECKPOINT_PARTITION}/cp|000000000003`,
    ]);
  });

  it('names a checkpoint rewritten in the table, even with its hash recomputed, and holds the trail to the mirror copy', async () => {
    await trail();
    const stored = await tables.checkpoints.getEntity<Record<string, unknown>>(CHECKPOINT_PARTITION, 'cp|000000000003');
    const header = headerFromEntity(stored)!;
    // Drop aks-a's entry from the newest checkpoint: its slice now claims one entry, with its root and hash recomputed.
    const forged = { ...header, partitions: header.partitions.map((s) => ({ ...s, count: 1 })) };
    const rewritten = headerEntity({ ...forged, hash: headerHash(forged) });
    await tables.checkpoints.updateEntity(rewritten, 'Replace');
    await tables.checkpoints.updateEntity({ partitionKey: CHECKPOINT_PARTITION, rowKey: 'head', seq: 3, hash: rewritten['hash'] }, 'Replace');

    const result = await verifyChains(withMirror());
    expect(result.findings.map((f) => `${f.problem} ${f.table} ${f.rowKey}`)).toEqual([`altered TrailCheckpoints cp|000000000003`]);
    expect(result.findings[0]!.detail).toMatch(/differs from its copy in the mirror/);
  });

  it('mirrors later a checkpoint that was not mirrored when it was written', async () => {
    const unmirrored = await ComplianceStore.open(tables, 'azurite');
    await recordScanAt(unmirrored, t0, [verdictFor(S, 'aks-a', 'compliant', t0)]);
    expect(await blobNames()).toEqual([]);
    expect(await verifyChains(withMirror())).toMatchObject({ intact: true, checkpoints: 1, mirror: { checkpoints: 0, unmirrored: 1 } });

    await recordScanAt(store, hoursAfter(t0, 24), [verdictFor(S, 'aks-a', 'warning', hoursAfter(t0, 24))]);
    expect(await blobNames()).toEqual([mirrorBlobName(1), mirrorBlobName(2)]);
    expect(await verifyChains(withMirror())).toMatchObject({ intact: true, checkpoints: 2, mirror: { checkpoints: 2, unmirrored: 0 } });
  });

  it('never overwrites a mirrored checkpoint', async () => {
    const mirror = new BlobCheckpointMirror(container);
    await mirror.put(7, '{"first":true}\n');
    await mirror.put(7, '{"second":true}\n');
    expect((await container.getBlobClient(mirrorBlobName(7)).downloadToBuffer()).toString('utf8')).toBe('{"first":true}\n');
  });

  it('goes on chaining checkpoints when the head row was removed', async () => {
    await trail();
    await tables.checkpoints.deleteEntity(CHECKPOINT_PARTITION, 'head');
    expect((await verifyChains(tables)).findings.map((f) => `${f.problem} ${f.rowKey}`)).toEqual(['removed head']);
    await recordScanAt(store, hoursAfter(t0, 96), [verdictFor(S, 'aks-a', 'compliant', hoursAfter(t0, 96))]);
    const result = await verifyChains(withMirror());
    expect(result.findings).toEqual([]);
    expect(result.checkpoints).toBe(4);
  });
});
