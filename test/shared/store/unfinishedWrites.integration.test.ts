import { TableClient } from '@azure/data-tables';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { ComplianceStore, complianceTables, type ComplianceTables } from '../../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { clusterIdOf, historyRowsOf, hoursAfter, recordScanAt, verdictFor } from '../../support/auditTrail.js';
import { azuriteTables } from '../../support/environment.js';
import { startStorageProxy, type StorageProxy } from '../../support/storageProxy.js';

/**
 * The store's own unfinished writes, against real Azurite through a proxy that fails or holds
 * requests: each reads `incomplete` (not forged) until the next scan of the subscription settles it,
 * and settling is safe while the write's own writer is still alive.
 */
const S = '6f6f6f6f-0000-4000-8000-00000000006f';
const t0 = new Date('2026-06-01T06:00:00Z');

let azurite: RunningAzurite;
let proxy: StorageProxy;
let tables: ComplianceTables;
let store: ComplianceStore;
let proxied: ComplianceStore;
beforeEach(async () => {
  azurite = await startAzurite();
  proxy = await startStorageProxy(azurite.tableUrl);
  tables = azuriteTables(azurite.connectionString);
  store = await ComplianceStore.open(tables);
  // No SDK retries through the proxy: one injected failure fails the request.
  proxied = await ComplianceStore.open(complianceTables((name) => TableClient.fromConnectionString(proxy.connectionString, name, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } })));
});
afterEach(async () => {
  await proxy?.close();
  await azurite?.stop();
});

const problems = async () => (await verifyChains(tables)).findings.map((f) => `${f.problem} ${f.rowKey.split('|').slice(1).join('|')}`);
const scansOf = async (name: string) => (await historyRowsOf(tables, S, name)).map((r) => `${r['scanId'] ?? r['kind']} ${r['status']}`);
const at = (hours: number) => hoursAfter(t0, hours);

describe('an unfinished write of the store', () => {
  it('stopped by a 503 on the state batch is completed by the next scan, its verdict kept in the chain', async () => {
    await store.recordVerdicts('scan-1', at(0), [verdictFor(S, 'aks-a', 'compliant', at(0))]);
    proxy.setRule({ mode: 'fail', table: 'ClusterState', status: 503 });
    await expect(proxied.recordVerdicts('scan-2', at(1), [verdictFor(S, 'aks-a', 'warning', at(1))])).rejects.toThrow(/could not record 1 verdicts of scan scan-2: HTTP 503/);
    expect(await problems()).toEqual([`incomplete ${at(1).toISOString()}|scan-2`]);
    expect((await verifyChains(tables)).findings[0]).toMatchObject({ scanId: 'scan-2', clusterId: clusterIdOf(S, 'aks-a') });

    await store.recordVerdicts('scan-3', at(2), [verdictFor(S, 'aks-a', 'violation', at(2))]);
    expect(await problems()).toEqual([]);
    expect(await scansOf('aks-a')).toEqual(['scan-1 compliant', 'scan-2 warning', 'scan-3 violation']);
    expect([...(await rows(tables.intents))]).toEqual([]);
  });

  it('is completed by another scan while its writer is alive; the writer then finds its rows chained and stops', async () => {
    await store.recordVerdicts('scan-1', at(0), [verdictFor(S, 'aks-a', 'compliant', at(0)), verdictFor(S, 'aks-b', 'compliant', at(0))]);
    proxy.setRule({ mode: 'hold', table: 'ClusterState' });
    const writing = proxied.recordVerdicts('scan-2', at(1), [verdictFor(S, 'aks-a', 'warning', at(1)), verdictFor(S, 'aks-b', 'warning', at(1))]);
    await proxy.held();
    expect(await problems()).toEqual([`incomplete ${at(1).toISOString()}|scan-2`, `incomplete ${at(1).toISOString()}|scan-2`]);

    // An event's rescan of aks-a settles the subscription first: it completes scan-2's rows of both clusters.
    await store.recordVerdicts('rescan', at(2), [verdictFor(S, 'aks-a', 'violation', at(2))], await store.latestStates(S, [clusterIdOf(S, 'aks-a')]));
    proxy.release();
    await writing;
    expect(await problems()).toEqual([]);
    expect(await scansOf('aks-a')).toEqual(['scan-1 compliant', 'scan-2 warning', 'rescan violation']);
    expect(await scansOf('aks-b')).toEqual(['scan-1 compliant', 'scan-2 warning']);
  });

  it('superseded by a newer verdict recorded meanwhile is dropped, and nothing else changes', async () => {
    await store.recordVerdicts('scan-1', at(0), [verdictFor(S, 'aks-a', 'compliant', at(0))]);
    const before = await store.latestStates(S); // a snapshot taken before the failed write, as a running scan holds one
    proxy.setRule({ mode: 'fail', table: 'ClusterState', status: 503 });
    await expect(proxied.recordVerdicts('scan-2', at(1), [verdictFor(S, 'aks-a', 'warning', at(1))])).rejects.toThrow();
    await store.recordVerdicts('scan-3', at(2), [verdictFor(S, 'aks-a', 'violation', at(2))], before);
    expect(await problems()).toEqual([`incomplete ${at(1).toISOString()}|scan-2`]);

    await store.latestStates(S);
    expect(await problems()).toEqual([]);
    expect(await scansOf('aks-a')).toEqual(['scan-1 compliant', 'scan-3 violation']);
  });

  it('of a deletion, stopped before the latest state was removed, is completed by the next scan of the subscription', async () => {
    await recordScanAt(store, at(0), [verdictFor(S, 'aks-a', 'compliant', at(0)), verdictFor(S, 'aks-b', 'compliant', at(0))]);
    proxy.setRule({ mode: 'fail', table: 'ClusterState', status: 503, method: 'DELETE' });
    const cluster = { id: clusterIdOf(S, 'aks-b'), subscriptionId: S };
    await expect(proxied.recordDeletion({ cluster, eventId: 'ev-1', deletedAt: at(1) })).rejects.toThrow(/could not record the deletion/);
    expect((await verifyChains(tables)).findings).toEqual([expect.objectContaining({ problem: 'incomplete', scanId: 'event-ev-1' })]);

    await recordScanAt(store, at(2), [verdictFor(S, 'aks-a', 'warning', at(2))]);
    expect(await problems()).toEqual([]);
    expect(await scansOf('aks-b')).toEqual([expect.stringMatching(/ compliant$/), 'deleted deleted']);
    await expect(tables.state.getEntity(subscriptionKey(S), clusterKey(cluster.id))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('is not taken for the store\'s own when no intent names it: a copied row is still inserted', async () => {
    await recordScanAt(store, at(0), [verdictFor(S, 'aks-a', 'compliant', at(0))]);
    proxy.setRule({ mode: 'fail', table: 'ClusterState', status: 503 });
    await expect(proxied.recordVerdicts('scan-2', at(1), [verdictFor(S, 'aks-a', 'warning', at(1))])).rejects.toThrow();
    for (const intent of await rows(tables.intents)) await tables.intents.deleteEntity(intent.partitionKey!, intent.rowKey!);
    expect(await problems()).toEqual([`inserted ${at(1).toISOString()}|scan-2`]);
  });
});

async function rows(table: TableClient) {
  const all = [];
  for await (const row of table.listEntities()) all.push(row);
  return all;
}
