/**
 * The stale mark where a single cluster's verdict is read: `GET /api/findings` items and the
 * cluster's dashboard page. A cluster is stale once a complete listing of its subscription (a
 * succeeded full scan's ScanRuns row) started after ARM last saw it (audit/staleness.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../../dev/azurite.js';
import { clusterRefOf } from '../../../../shared/domain/clusterId.js';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy.js';
import { makeClusterPageHandler } from '../../../../shared/handlers/api/clusterPageHandler.js';
import { makeFindingsHandler } from '../../../../shared/handlers/api/findingsHandler.js';
import type { ComplianceStore, ComplianceTables } from '../../../../shared/store/complianceStore.js';
import { get, readOnlyTables } from '../../../support/auditApi.js';
import { clusterIdOf, hoursAfter, recordScanAt, verdictFor } from '../../../support/auditTrail.js';
import { azuriteStore } from '../../../support/environment.js';

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
afterAll(async () => azurite?.stop());

const S = '6a6a6a6a-0000-4000-8000-00000000006a';
const t1 = new Date('2026-05-01T06:00:00Z');
const t2 = hoursAfter(t1, 24);

describe('the stale mark on findings and the cluster page', () => {
  it('marks the findings and the page of a cluster the last complete listing did not see, and not the others', async () => {
    await recordScanAt(store, t1, [{ ...verdictFor(S, 'aks-gone-quiet', 'violation', t1), lastSeenAt: t1 }, { ...verdictFor(S, 'aks-seen', 'warning', t1), lastSeenAt: t1 }]);
    // A full scan at t2 lists the subscription to the end and sees only aks-seen.
    const scanId = randomUUID();
    await store.beginScan(scanId, t2);
    await store.recordVerdicts(scanId, t2, [{ ...verdictFor(S, 'aks-seen', 'warning', t2), lastSeenAt: t2 }], await store.latestStates(S));
    await store.recordScan({ id: scanId, startedAt: t2, finishedAt: hoursAfter(t2, 0.1), policy: DEFAULT_POLICY, subscriptions: 1, clusters: 1, errors: [] }, [{ status: 'warning' }], { listedCompletely: [S] });

    const deps = { tables: readOnlyTables(tables), now: () => hoursAfter(t2, 1) };
    const { items } = (await get(makeFindingsHandler(deps), `/api/findings?subscription=${S}`)).json() as { items: Array<{ clusterName: string; clusterStale?: true; clusterLastSeenAt?: string }> };
    const byCluster = (name: string) => items.filter((f) => f.clusterName === name);
    expect(byCluster('aks-gone-quiet').length).toBeGreaterThan(0);
    expect(byCluster('aks-gone-quiet').every((f) => f.clusterStale === true && f.clusterLastSeenAt === t1.toISOString())).toBe(true);
    expect(byCluster('aks-seen').length).toBeGreaterThan(0);
    expect(byCluster('aks-seen').every((f) => f.clusterStale === undefined && f.clusterLastSeenAt === t2.toISOString())).toBe(true);

    const page = (id: string) => get(makeClusterPageHandler(deps), `/api/dashboard/clusters/${clusterRefOf(id)}`, { id: clusterRefOf(id) }).then((a) => a.text);
    const quiet = await page(clusterIdOf(S, 'aks-gone-quiet'));
    expect(quiet).toMatch(/<h1>aks-gone-quiet .*class="sub stale"/);
    expect(quiet).toContain(`Last seen by ARM</dt><dd>`);
    expect(quiet).toContain('(stale)');
    const seen = await page(clusterIdOf(S, 'aks-seen'));
    expect(seen).not.toContain('class="sub stale"');
    expect(seen).not.toContain('(stale)');
  });
});
