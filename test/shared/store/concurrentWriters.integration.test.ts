import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { historyRecordFromEntity } from '../../../shared/store/historyEntity.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { azuriteStore } from '../../support/environment.js';

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
afterAll(async () => azurite?.stop());

const subscriptionId = '11111111-2222-3333-4444-555555555555';
const verdict = (name: string, status: ClusterVerdict['status']): ClusterVerdict => ({
  id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
  subscriptionId, resourceGroup: 'rg', name, location: 'westeurope', status,
  autoRotation: { eligible: true, reasons: [] }, certificates: [], findings: [], action: 'none',
});

describe('two scans recording the same cluster at once', () => {
  it('keep one chain: the later writer chains to the earlier one instead of forking', async () => {
    const t0 = new Date('2026-11-20T00:00:00Z');
    await store.recordVerdicts('scan-0', t0, [verdict('aks-shared', 'violation')], await store.latestStates(subscriptionId));

    // A subscription scan takes its snapshot of the latest states; meanwhile an event rescan records the cluster.
    const staleSnapshot = await store.latestStates(subscriptionId);
    await store.recordVerdicts('event-scan', new Date('2026-11-20T00:01:00Z'), [verdict('aks-shared', 'warning')], await store.latestStates(subscriptionId));
    await store.recordVerdicts('subscription-scan', new Date('2026-11-20T00:02:00Z'), [verdict('aks-shared', 'compliant'), verdict('aks-other', 'compliant')], staleSnapshot);

    const rows = [];
    for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${verdict('aks-shared', 'compliant').id}'` } })) {
      rows.push(historyRecordFromEntity(row));
    }
    expect(rows.map((r) => r.kind === 'verdict' && r.scanId)).toEqual(['scan-0', 'event-scan', 'subscription-scan']);
    const result = await verifyChains(tables);
    expect(result.findings).toEqual([]);
    expect(result.intact).toBe(true);
  });

  it('never take the latest state back in time: a verdict older than the one recorded meanwhile is dropped from the trail', async () => {
    const id = verdict('aks-late', 'compliant').id;
    await store.recordVerdicts('scan-a', new Date('2026-11-21T00:00:00Z'), [verdict('aks-late', 'violation')], await store.latestStates(subscriptionId));
    const staleSnapshot = await store.latestStates(subscriptionId);
    await store.recordVerdicts('scan-newer', new Date('2026-11-21T00:10:00Z'), [verdict('aks-late', 'compliant')], await store.latestStates(subscriptionId));
    await store.recordVerdicts('scan-older', new Date('2026-11-21T00:05:00Z'), [verdict('aks-late', 'warning')], staleSnapshot);

    const latest = await tables.state.getEntity<{ status: string; scanId: string }>(subscriptionId, encodeURIComponent(id.toLowerCase()));
    expect([latest.status, latest.scanId]).toEqual(['compliant', 'scan-newer']);
    const scans = [];
    for await (const row of tables.history.listEntities<{ scanId: string }>({ queryOptions: { filter: `clusterId eq '${id}'` } })) scans.push(row.scanId);
    expect(scans).toEqual(['scan-a', 'scan-newer']);
    expect((await verifyChains(tables)).intact).toBe(true);
  });
});
