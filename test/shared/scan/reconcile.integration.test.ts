import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { pointInTimeReport } from '../../../shared/audit/pointInTimeReport.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { FleetReader } from '../../../shared/scan/ports.js';
import { makeClustersHandler } from '../../../shared/handlers/api/clustersHandler.js';
import { makeDashboardHandler } from '../../../shared/handlers/api/dashboardHandler.js';
import { formatPointInTimeReport } from '../../../shared/report/formatReport.js';
import { runScan } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { get, readOnlyTables } from '../../support/auditApi.js';
import { azuriteStore, fleetReaderFor, simulatorFor } from '../../support/environment.js';

/**
 * The safety net: a full scan that listed a subscription completely records the deletion of every
 * recorded cluster ARM neither lists nor returns any more (an Event Grid delivery was lost).
 */

const t1 = new Date('2026-11-01T06:00:00Z');
const t2 = new Date('2026-11-02T06:00:00Z');
const t3 = new Date('2026-11-03T06:00:00Z');

let demo: SimulatedFleet;
let subscriptionId: string;
let simulator: ArmSimulator | undefined;
let azurite: RunningAzurite | undefined;
let store: ComplianceStore;
let tables: ComplianceTables;

beforeAll(async () => {
  demo = await buildDemoFleet({ now: t1 });
  const readable = demo.subscriptions.filter((s) => !s.listError);
  const bySize = readable.map((s) => ({ s, n: demo.clusters.filter((c) => c.subscriptionId === s.subscriptionId).length })).sort((a, b) => b.n - a.n);
  subscriptionId = bySize[0]!.s.subscriptionId;
  expect(bySize[0]!.n).toBeGreaterThanOrEqual(3);
});

afterEach(async () => {
  await simulator?.close();
  await azurite?.stop();
  simulator = azurite = undefined;
});

async function start(pageSize = 20) {
  simulator = await simulatorFor(demo, { pageSize });
  ({ azurite, store, tables } = await azuriteStore());
  return simulator;
}

const scan = (fleet: FleetReader, at: Date) => runScan({ subscriptionIds: [subscriptionId], policy: DEFAULT_POLICY }, { fleet, store, now: () => at });

/** A cluster of the subscription, removed from what the simulator serves: no event, ARM answers 404. */
function vanish(sim: ArmSimulator, index = 1): SimulatedCluster {
  const clusters = sim.fleet.clusters;
  const victim = clusters.filter((c) => c.subscriptionId === subscriptionId)[index]!;
  clusters.splice(clusters.indexOf(victim), 1);
  return victim;
}

async function historyOf(id: string) {
  const prefix = `${clusterKey(id)}|`;
  const rows: Array<Record<string, unknown>> = [];
  for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${subscriptionKey(subscriptionId)}'` } })) {
    if (String(row.rowKey).startsWith(prefix)) rows.push(row);
  }
  return rows.sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
}

async function stateOf(id: string) {
  for await (const row of tables.state.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${subscriptionKey(subscriptionId)}'` } })) {
    if (row.rowKey === clusterKey(id)) return row;
  }
  return undefined;
}

/** A fleet reader whose listing lags: it leaves `hidden` out of the pages, while GET still returns it. */
function laggingListing(reader: FleetReader, hidden: string): FleetReader {
  return {
    listSubscriptions: () => reader.listSubscriptions(),
    getCluster: (cluster) => reader.getCluster(cluster),
    readCertificateEvidence: (cluster) => reader.readCertificateEvidence(cluster),
    async *listClusterPages(subscription) {
      for await (const page of reader.listClusterPages(subscription)) {
        yield { clusters: page.clusters.filter((c) => c.id.toLowerCase() !== hidden.toLowerCase()), invalid: page.invalid };
      }
    },
  };
}

describe('a full scan reconciles the clusters ARM no longer has', () => {
  it('records the deletion of a cluster that vanished without an event, once, and the trail still verifies', async () => {
    const sim = await start();
    const reader = fleetReaderFor(sim);
    const first = await scan(reader, t1);
    expect(first.storeError).toBeUndefined();
    expect(first.report.scan.deletionsRecorded).toBe(0);
    const victim = vanish(sim);
    const id = victim.resource.id;
    expect(await stateOf(id)).toBeDefined();

    const second = await scan(reader, t2);
    expect(second.storeError).toBeUndefined();
    expect(second.report.scan.deletionsRecorded).toBe(1);
    expect(second.report.scan.errors).toEqual([]);
    const rows = await historyOf(id);
    expect(rows.map((r) => r['kind'] ?? 'verdict').at(-1)).toBe('deleted');
    expect(rows.at(-1)).toMatchObject({ eventId: `scan-${second.report.scan.id}` });
    expect(new Date(rows.at(-1)!['recordedAt'] as string | Date).toISOString()).toBe(t2.toISOString());
    expect(await stateOf(id)).toBeUndefined();

    const present = await pointInTimeReport(tables, { asOf: t3, subscriptionId });
    expect(present.clusters.map((c) => c.id.toLowerCase())).not.toContain(id.toLowerCase());
    expect(present.clusters.length).toBe(sim.fleet.clusters.filter((c) => c.subscriptionId === subscriptionId).length);
    expect(present.clusters.filter((c) => c.stale)).toEqual([]);
    expect(await verifyChains(tables)).toMatchObject({ intact: true, findings: [] });

    const third = await scan(reader, t3);
    expect(third.report.scan.deletionsRecorded).toBe(0);
    expect((await historyOf(id)).length).toBe(rows.length);
    expect(await verifyChains(tables)).toMatchObject({ intact: true, findings: [] });
  });

  it('leaves a cluster the listing left out but ARM still returns (and judges it), and one whose GET fails (a scan error, then stale)', async () => {
    const sim = await start();
    const reader = fleetReaderFor(sim);
    await scan(reader, t1);
    const [lagging, unreadable] = sim.fleet.clusters.filter((c) => c.subscriptionId === subscriptionId).map((c) => c.resource.id);
    const second = await scan(laggingListing(reader, lagging!), t2);
    expect(second.report.scan.deletionsRecorded).toBe(0);
    expect(await stateOf(lagging!)).toBeDefined();
    expect((await historyOf(lagging!)).every((r) => r['kind'] !== 'deleted')).toBe(true);
    // Returned by id: seen by this scan, judged and recorded like the clusters listed.
    expect(second.report.clusters.find((v) => v.id === lagging)).toMatchObject({ lastSeenAt: t2 });
    const afterSecond = await pointInTimeReport(tables, { asOf: t3, subscriptionId });
    expect(afterSecond.clusters.filter((c) => c.stale)).toEqual([]);
    expect(afterSecond.clusters.find((c) => c.id === lagging)).toMatchObject({ lastSeenAt: t2, recordedAt: t2 });

    // Gone from the listing, and its GET is refused: not known to be deleted.
    vanish(sim, 1);
    sim.injectFault({ method: 'GET', pathIncludes: `/managedClusters/${unreadable!.split('/').at(-1)}?`, status: 403, code: 'AuthorizationFailed', times: 1 });
    const third = await scan(reader, t3);
    expect(third.report.scan.deletionsRecorded).toBe(0);
    expect(third.report.scan.errors).toEqual([expect.objectContaining({ scope: unreadable })]);
    expect(await stateOf(unreadable!)).toBeDefined();
    expect(await verifyChains(tables)).toMatchObject({ intact: true });

    // Kept, but not seen by the last complete listing of its subscription: stale, wherever the trail is shown.
    const later = new Date(t3.getTime() + 3_600_000);
    const report = await pointInTimeReport(tables, { asOf: later, subscriptionId });
    expect(report.clusters.filter((c) => c.stale).map((c) => c.id)).toEqual([unreadable]);
    expect(report.clusters.find((c) => c.id === unreadable)).toMatchObject({ stale: true, lastSeenAt: t2 });
    expect(report.clusters.find((c) => c.id === lagging)).not.toHaveProperty('stale');
    const name = unreadable!.split('/').at(-1)!;
    const tableLines = formatPointInTimeReport(report, 'table').split('\n');
    expect(tableLines.filter((line) => / stale /.test(line))).toEqual([expect.stringContaining(name)]);
    expect(formatPointInTimeReport(report, 'json')).toContain('"stale": true');
    const csv = formatPointInTimeReport(report, 'csv').split('\r\n');
    const column = (line: string, header: string) => line.split(',')[csv[0]!.split(',').indexOf(header)];
    const csvRow = (id: string) => csv.find((line) => line.startsWith(`${id},`))!;
    expect([column(csvRow(unreadable!), 'stale'), column(csvRow(unreadable!), 'lastSeenAt')]).toEqual(['true', t2.toISOString()]);
    expect(column(csvRow(lagging!), 'stale')).toBe('false');
    // Before the third scan's listing, nothing was stale.
    expect((await pointInTimeReport(tables, { asOf: t2, subscriptionId })).clusters.filter((c) => c.stale)).toEqual([]);

    const deps = { tables: readOnlyTables(tables), now: () => later };
    const { items } = (await get(makeClustersHandler(deps), `/api/clusters?subscription=${subscriptionId}`)).json();
    expect(items.filter((i: { stale?: boolean }) => i.stale).map((i: { id: string }) => i.id)).toEqual([unreadable]);
    const page = (await get(makeDashboardHandler(deps), '/api/dashboard')).text;
    expect(page.match(/class="sub stale"/g)).toHaveLength(1);
    const row = page.split('<tr').find((r) => r.includes(`>${name}<`))!;
    expect(row).toContain('stale');
  });

  it('reconciles nothing in a subscription whose listing failed part way', async () => {
    const sim = await start(2);
    const reader = fleetReaderFor(sim);
    await scan(reader, t1);
    const victim = vanish(sim, 0);
    sim.injectFault({ method: 'GET', pathIncludes: 'skiptoken', status: 403, code: 'AuthorizationFailed', times: 1 });
    const second = await scan(reader, t2);
    expect(second.report.scan.errors.map((e) => e.scope)).toEqual([`/subscriptions/${subscriptionId}`]);
    expect(second.report.scan.deletionsRecorded).toBe(0);
    expect(await stateOf(victim.resource.id)).toBeDefined();
    expect((await historyOf(victim.resource.id)).every((r) => r['kind'] !== 'deleted')).toBe(true);
  });
});
