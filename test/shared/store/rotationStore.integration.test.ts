import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { pointInTimeReport } from '../../../shared/audit/pointInTimeReport.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { historyEntryFromRow } from '../../../shared/audit/historyQueries.js';
import type { RotationRecord } from '../../../shared/rotation/rotationRecord.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { RotationLeasesTable } from '../../../shared/store/rotationLeases.js';
import { RotationRecordsTable, rotationTables } from '../../../shared/store/rotationRecords.js';
import { ensureTable } from '../../../shared/store/tableBatch.js';
import { verdictFor } from '../../support/auditTrail.js';
import { azuriteStore } from '../../support/environment.js';

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let leases: RotationLeasesTable;
let records: RotationRecordsTable;
beforeAll(async () => {
  ({ azurite, store, tables } = await azuriteStore());
  const rotation = rotationTables((name) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true }));
  await Promise.all([ensureTable(rotation.leases), ensureTable(rotation.records)]);
  leases = new RotationLeasesTable(rotation.leases);
  records = new RotationRecordsTable(rotation.records);
});
afterAll(async () => azurite?.stop());

const SUB = '33333333-3333-3333-3333-333333333333';
const now = new Date('2026-11-23T06:00:00Z');
const later = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe('rotation leases', () => {
  it('of 20 takers at once exactly one gets the lease; the others see it held', async () => {
    const cluster = { id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/leased`, subscriptionId: SUB };
    const holders = Array.from({ length: 20 }, () => randomUUID());
    const taken = await Promise.all(holders.map((holder) => leases.take(cluster, holder, later(60), now)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const winner = holders[taken.indexOf(true)]!;
    expect(await leases.holderOf(cluster, now)).toBe(winner);
    await leases.release(cluster, holders.find((h) => h !== winner)!); // not theirs: nothing happens
    expect(await leases.holderOf(cluster, now)).toBe(winner);
    await leases.release(cluster, winner);
    expect(await leases.holderOf(cluster, now)).toBeUndefined();
  });

  it('an expired lease is taken over by one of those who try, once', async () => {
    const cluster = { id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/expired`, subscriptionId: SUB };
    expect(await leases.take(cluster, 'gone', later(10), now)).toBe(true);
    expect(await leases.take(cluster, 'early', later(70), later(5))).toBe(false);
    const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => leases.take(cluster, `late-${i}`, later(80), later(11))));
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});

describe('rotation records', () => {
  it('round-trip, update only as read, and list what a poller must move on', async () => {
    const clusterId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/recorded`;
    const record: RotationRecord = {
      id: randomUUID(), leaseHolder: 'h', clusterId, subscriptionId: SUB, resourceGroup: 'rg', name: 'recorded', state: 'requested', attempt: 1,
      trigger: 'policy', reasons: ['CERT_AGE_EXCEEDS_POLICY', 'CERT_EXPIRED'], actor: 'app:1234', requestedAt: now, trailed: true,
    };
    const created = await records.create(record);
    const started = await records.update({ ...created, state: 'started', startedAt: later(1), operationId: 'op-1', resumeFrom: 'x'.repeat(40_000), trailed: false });
    expect(started).toBeDefined();
    expect(await records.update({ ...created, state: 'failed' })).toBeUndefined(); // stale ETag: another instance moved it
    const [read] = await records.list({ clusterId, subscriptionId: SUB });
    expect(read).toMatchObject({ state: 'started', operationId: 'op-1', reasons: ['CERT_AGE_EXCEEDS_POLICY', 'CERT_EXPIRED'], startedAt: later(1), trailed: false });
    expect(read!.resumeFrom).toHaveLength(40_000);
    expect((await records.pending()).map((r) => r.id)).toContain(record.id);
    await records.update({ ...read!, state: 'succeeded', finishedAt: later(20), verified: true, trailed: true });
    expect((await records.pending()).map((r) => r.id)).not.toContain(record.id);
    expect((await records.list({ state: 'succeeded' })).map((r) => r.id)).toEqual([record.id]);
  });
});

describe('rotation steps in the trail', () => {
  it('chain into the cluster history, keep verify intact and leave the point-in-time report on the verdict', async () => {
    const verdict = verdictFor(SUB, 'chained', 'violation', now);
    await store.recordVerdicts('scan-1', now, [verdict]);
    const step = {
      clusterId: verdict.id, subscriptionId: SUB, rotationId: randomUUID(), attempt: 1, operationId: 'op-7', reasons: ['CERT_AGE_EXCEEDS_POLICY'],
      actor: 'app:1234', message: 'started', refreshCommand: 'az aks get-credentials -g rg-audit -n chained --overwrite-existing',
    };
    expect(await store.recordRotationEvent({ ...step, event: 'ROTATION_STARTED', recordedAt: later(1) })).toBe('recorded');
    expect(await store.recordRotationEvent({ ...step, event: 'ROTATION_STARTED', recordedAt: later(1) })).toBe('recorded'); // a retry: same row
    expect(await store.recordRotationEvent({ ...step, event: 'ROTATION_SUCCEEDED', recordedAt: later(20), message: 'verified' })).toBe('recorded');
    await store.recordVerdicts('scan-2', later(30), [verdictFor(SUB, 'chained', 'compliant', later(30), 0)]);

    const rows = [];
    for await (const row of tables.history.listEntities()) if (row['clusterId'] === verdict.id) rows.push(historyEntryFromRow(row));
    expect(rows.map((r) => (r.kind === 'rotation' ? r.event : r.kind))).toEqual(['verdict', 'ROTATION_STARTED', 'ROTATION_SUCCEEDED', 'verdict']);
    const result = await verifyChains(tables);
    expect(result.findings).toEqual([]);
    expect(result.intact).toBe(true);

    const report = await pointInTimeReport(tables, { asOf: later(25), subscriptionId: SUB });
    expect(report.clusters.find((c) => c.id === verdict.id)?.status).toBe('violation');
  });

  it('are not written for a cluster with no recorded state', async () => {
    const outcome = await store.recordRotationEvent({
      clusterId: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/never`, subscriptionId: SUB, rotationId: 'r',
      attempt: 1, operationId: '', reasons: [], actor: 'a', message: '', refreshCommand: '', event: 'ROTATION_STARTED', recordedAt: now,
    });
    expect(outcome).toBe('unknown-cluster');
  });
});
