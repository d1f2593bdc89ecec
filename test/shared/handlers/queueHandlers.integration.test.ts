import type { Timer } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { makeScanClusterHandler } from '../../../shared/handlers/scanCluster.js';
import { makeScanSubscriptionHandler } from '../../../shared/handlers/scanSubscription.js';
import { makeScheduledScanHandler } from '../../../shared/handlers/scheduledScan.js';
import { QUEUES, type ScanSubscriptionMessage } from '../../../shared/queue/messages.js';
import type { Services } from '../../../shared/wiring/services.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { allStoredText, azuriteTables, simulatorFor } from '../../support/environment.js';
import { capturingContext } from '../../support/functionContext.js';
import { drain } from '../../support/queues.js';
import { servicesFor } from '../../support/services.js';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let services: Services;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet);
  ({ services, azurite } = await servicesFor(simulator));
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const poison = () => services.queues();
const readable = () => fleet.subscriptions.filter((s) => !s.listError);

describe('scheduledScan (timer)', () => {
  it('fans the scan out as one scan-subscription message per subscription', async () => {
    const { context, text } = capturingContext('scheduledScan');
    await makeScheduledScanHandler({ subscriptionIds: () => services.subscriptionIds(), enqueue: async (m) => (await services.queues()).sendScanSubscription(m) })(timer, context);
    const messages = (await drain(await services.queues(), QUEUES.scanSubscription)) as ScanSubscriptionMessage[];
    expect(messages.map((m) => m.subscriptionId).sort()).toEqual(fleet.subscriptions.map((s) => s.subscriptionId).sort());
    expect(new Set(messages.map((m) => m.runId)).size).toBe(1);
    expect(text()).toMatch(/4 subscription scans queued/);
  });
});

describe('scanSubscription (queue)', () => {
  it('scans and records one subscription, and logs no secret', async () => {
    const subscription = readable()[0]!;
    const { context, text } = capturingContext('scanSubscription', { dequeueCount: 1 });
    await makeScanSubscriptionHandler({ scan: (scope) => services.scan(scope), poison })(
      { schemaVersion: 1, kind: 'scan-subscription', subscriptionId: subscription.subscriptionId, runId: 'run-1', requestedAt: new Date().toISOString() }, context);
    const store = await services.store();
    const clusters = fleet.clusters.filter((c) => c.subscriptionId === subscription.subscriptionId);
    // Its AKS enabled by Azure Arc clusters are scanned with the managed ones.
    const arc = (fleet.connectedClusters ?? []).filter((c) => c.expected && c.subscriptionId === subscription.subscriptionId);
    for (const cluster of [...clusters, ...arc]) expect(await store.latestStateOf(cluster.subscriptionId, cluster.resource.id), cluster.resource.name).toBeDefined();
    expect(text()).toMatch(new RegExp(`\\(run run-1\\): ${clusters.length + arc.length} clusters in 1 subscription:`));
    const stored = await allStoredText(azuriteTables(azurite.connectionString));
    for (const secret of fleet.secrets) {
      expect(text().includes(secret)).toBe(false);
      expect(stored.includes(secret)).toBe(false);
    }
  });

  it('moves an invalid message to the poison queue with the reason, at once', async () => {
    const { context, text } = capturingContext('scanSubscription', { dequeueCount: 1 });
    await makeScanSubscriptionHandler({ scan: (scope) => services.scan(scope), poison })({ schemaVersion: 2, kind: 'scan-subscription' }, context);
    expect(await drain(await services.queues(), `${QUEUES.scanSubscription}-poison`)).toEqual([
      { queue: 'scan-subscription', message: { schemaVersion: 2, kind: 'scan-subscription' }, reason: expect.stringMatching(/^invalid message: "schemaVersion"/), dequeueCount: 1, failedAt: expect.any(String) },
    ]);
    expect(text()).toMatch(/moved to scan-subscription-poison/);
  });

  it('throws to be retried while deliveries remain, and poisons the message with the reason on the 5th', async () => {
    const failing = makeScanSubscriptionHandler({ scan: async () => { throw new Error('storage is down'); }, poison });
    const message = { schemaVersion: 1, kind: 'scan-subscription', subscriptionId: readable()[0]!.subscriptionId, runId: 'r', requestedAt: new Date().toISOString() };
    await expect(failing(message, capturingContext('scanSubscription', { dequeueCount: 4 }).context)).rejects.toThrow('storage is down');
    await failing(message, capturingContext('scanSubscription', { dequeueCount: 5 }).context);
    expect(await drain(await services.queues(), `${QUEUES.scanSubscription}-poison`)).toEqual([
      expect.objectContaining({ message, reason: 'failed 5 times, last: storage is down', dequeueCount: 5 }),
    ]);
  });
});

describe('scanCluster (queue)', () => {
  it('re-judges one cluster through the full scan path and records a new history row', async () => {
    const cluster = fleet.clusters.find((c) => c.subscriptionId === readable()[1]!.subscriptionId && c.expected?.status === 'violation')!;
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison });
    const { context, text } = capturingContext('scanCluster', { dequeueCount: 1 });
    await handler({ schemaVersion: 1, kind: 'scan-cluster', clusterId: cluster.resource.id, subscriptionId: cluster.subscriptionId, trigger: 'leading', eventId: 'e-1', requestedAt: new Date().toISOString() }, context);
    expect(text()).toMatch(/leading rescan after event e-1\): 1 cluster in 1 subscription: 1 violation/);
    const state = await azuriteTables(azurite.connectionString).state.getEntity<{ status: string; findingCodes: string }>(subscriptionKey(cluster.subscriptionId), clusterKey(cluster.resource.id));
    expect(state.status).toBe('violation');
    expect(state.findingCodes.split(',').sort()).toEqual(cluster.expected!.findingCodes);
  });

  it('runs the rescans that arrive together as one scan, each message logging its own cluster', async () => {
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison });
    const clusters = fleet.clusters.filter((c) => readable().some((s) => s.subscriptionId === c.subscriptionId) && c.expected && c.expected.status !== 'unknown').slice(0, 4);
    const gone = clusters[0]!.resource.id.replace(/managedClusters\/.*/, 'managedClusters/aks-gone-too');
    const runs = [...clusters.map((c) => ({ id: c.resource.id, subscriptionId: c.subscriptionId })), { id: gone, subscriptionId: clusters[0]!.subscriptionId }].map(async ({ id, subscriptionId }, i) => {
      const { context, text } = capturingContext('scanCluster', { dequeueCount: 1 });
      await handler({ schemaVersion: 1, kind: 'scan-cluster', clusterId: id, subscriptionId, trigger: 'leading', eventId: `together-${i}`, requestedAt: new Date().toISOString() }, context);
      return text();
    });
    const logs = await Promise.all(runs);
    const scanIds = logs.map((log) => /scan (\S+) \(/.exec(log)![1]);
    // Those that arrive while a scan runs go together into the next.
    expect(new Set(scanIds).size).toBeLessThan(runs.length);
    for (const [i, cluster] of clusters.entries()) {
      expect(logs[i]).toMatch(new RegExp(`after event together-${i}\\): 1 cluster in 1 subscription: ${cluster.expected!.status === 'violation' ? 1 : 0} violation`));
    }
    expect(logs[4]).toMatch(/after event together-4\): 0 clusters in 1 subscription/);
    expect(logs[4]).toMatch(/aks-gone-too no longer exists/);
    expect(logs.slice(0, 4).some((log) => log.includes('aks-gone-too'))).toBe(false);
  });

  it('re-judges every cluster of a message naming several, in one scan, each logging its own cluster and event', async () => {
    const subscription = readable()[0]!.subscriptionId;
    const clusters = fleet.clusters.filter((c) => c.subscriptionId === subscription && c.expected && c.expected.status !== 'unknown').slice(0, 3);
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison });
    const { context, text } = capturingContext('scanCluster', { dequeueCount: 1 });
    await handler({
      schemaVersion: 2, kind: 'scan-cluster', subscriptionId: subscription, trigger: 'leading', requestedAt: new Date().toISOString(),
      clusters: clusters.map((c, i) => ({ clusterId: c.resource.id, eventId: `many-${i}` })),
    }, context);
    const scanIds = [...text().matchAll(/scan (\S+) \(leading rescan after event many-/g)].map((m) => m[1]);
    expect(scanIds).toHaveLength(clusters.length);
    expect(new Set(scanIds).size).toBe(1);
    for (const [i, cluster] of clusters.entries()) {
      expect(text()).toMatch(new RegExp(`after event many-${i}\\): 1 cluster in 1 subscription: ${cluster.expected!.status === 'violation' ? 1 : 0} violation`));
    }
  });

  it('moves a message naming a cluster of another subscription than its own to the poison queue', async () => {
    const [mine, theirs] = readable();
    const other = fleet.clusters.find((c) => c.subscriptionId === theirs!.subscriptionId)!;
    const message = {
      schemaVersion: 2, kind: 'scan-cluster', subscriptionId: mine!.subscriptionId, trigger: 'leading', requestedAt: new Date().toISOString(),
      clusters: [{ clusterId: other.resource.id, eventId: 'astray' }],
    };
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison });
    await handler(message, capturingContext('scanCluster', { dequeueCount: 1 }).context);
    expect(await drain(await services.queues(), `${QUEUES.scanCluster}-poison`)).toEqual([
      expect.objectContaining({ message, reason: 'invalid message: "clusters" names a cluster of another subscription' }),
    ]);
  });

  it('says a cluster that no longer exists is left to its deletion event', async () => {
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison });
    const gone = fleet.clusters[0]!.resource.id.replace(/managedClusters\/.*/, 'managedClusters/aks-gone');
    const { context, text } = capturingContext('scanCluster', { dequeueCount: 1 });
    await handler({ schemaVersion: 1, kind: 'scan-cluster', clusterId: gone, subscriptionId: fleet.clusters[0]!.subscriptionId, trigger: 'trailing', eventId: 'e-2', requestedAt: new Date().toISOString() }, context);
    expect(text()).toMatch(/aks-gone no longer exists/);
  });
});
