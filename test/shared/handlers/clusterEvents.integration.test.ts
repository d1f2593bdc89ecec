import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { makeClusterEventsHandler } from '../../../shared/handlers/clusterEvents.js';
import { QUEUES } from '../../../shared/queue/messages.js';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { scanClusterMessage } from '../../../shared/queue/messages.js';
import { RescanScheduler } from '../../../shared/queue/rescanScheduler.js';
import { PENDING_RESCANS_TABLE, PendingRescansTable } from '../../../shared/store/pendingRescans.js';
import { ScanQueues } from '../../../shared/queue/scanQueues.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { historyRecordFromEntity } from '../../../shared/store/historyEntity.js';
import { ensureTable } from '../../../shared/store/tableBatch.js';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { buildDemoFleet, DEMO_SUBSCRIPTIONS } from '../../../dev/demoFleet/index.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import type { ArmFleet } from '../../../shared/azure/armFleet.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ComplianceStore as Store, complianceTables } from '../../../shared/store/complianceStore.js';
import type { RescanMarkers } from '../../../shared/queue/rescanScheduler.js';
import type { ScanClusterMessage } from '../../../shared/queue/messages.js';
import { readClusterEvent } from '../../../shared/events/clusterEvent.js';
import { azuriteStore, fleetReaderFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { resourceEvent } from '../../support/events.js';
import { capturingContext } from '../../support/functionContext.js';
import { drain, queueLength } from '../../support/queues.js';

const subscriptionId = '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34';
const clusterId = (name: string) => `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`;
const write = (name: string, time = new Date(), id?: string) =>
  resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: clusterId(name), operationName: 'Microsoft.ContainerService/managedClusters/write', time, id });

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let queues: ScanQueues;
let handler: ReturnType<typeof makeClusterEventsHandler>;
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let arm: ArmFleet;
/** ARM retried by the SDK only: a failing confirmation fails within the test's time. */
const fastRetry = { retries: 0, baseDelayMs: 10, maxDelayMs: 50 };

/** A scheduler of its own (another Function instance) over the same markers and queues. */
const scheduler = () =>
  new RescanScheduler(new PendingRescansTable(TableClient.fromConnectionString(azurite.connectionString, PENDING_RESCANS_TABLE, { allowInsecureConnection: true })), queues, 30_000);

beforeAll(async () => {
  // The demo fleet's production subscription is this test's: its clusters are live in ARM, aks-* are not.
  expect(DEMO_SUBSCRIPTIONS.production.subscriptionId).toBe(subscriptionId);
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet);
  arm = fleetReaderFor(simulator, fastRetry);
  ({ azurite, store, tables } = await azuriteStore());
  queues = await ScanQueues.open(QueueServiceClient.fromConnectionString(azurite.connectionString));
  await ensureTable(TableClient.fromConnectionString(azurite.connectionString, PENDING_RESCANS_TABLE, { allowInsecureConnection: true }));
  const rescans = scheduler();
  handler = makeClusterEventsHandler({ scope: [subscriptionId], store: async () => store, rescans: async () => rescans, fleet: arm });
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});
beforeEach(async () => {
  await queues.client(QUEUES.scanCluster).clearMessages(); // delayed (trailing) messages too
});

function verdict(name: string): ClusterVerdict {
  return { id: clusterId(name), subscriptionId, resourceGroup: 'rg', name, location: 'westeurope', status: 'compliant', autoRotation: { eligible: true, reasons: [] }, certificates: [], findings: [], action: 'none' };
}

describe('clusterEvents', () => {
  it('queues one leading rescan for a change to a managed cluster', async () => {
    const event = write('aks-a');
    const { context, text } = capturingContext('clusterEvents');
    await handler(event, context);
    expect(await drain(queues, QUEUES.scanCluster)).toEqual([
      { schemaVersion: 2, kind: 'scan-cluster', subscriptionId, trigger: 'leading', clusters: [{ clusterId: clusterId('aks-a'), eventId: event.id }], requestedAt: expect.any(String) },
    ]);
    expect(text()).toMatch(/rescan scheduled/);
  });

  it('turns a duplicate delivery and a burst of events for one cluster into one scan', async () => {
    const event = write('aks-b');
    for (const e of [event, event, write('aks-b'), write('aks-b'), write('aks-b')]) await handler(e, capturingContext('clusterEvents').context);
    expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1);
  });

  it('schedules one trailing scan, at the end of the window, for events after the scan started', async () => {
    await handler(write('aks-c'), capturingContext('clusterEvents').context);
    const [leading] = await drain(queues, QUEUES.scanCluster);
    await scheduler().begin(scanClusterMessage.parse(leading));
    const late = write('aks-c');
    for (const event of [late, late, write('aks-c'), write('aks-c')]) await handler(event, capturingContext('clusterEvents').context);
    expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1);
    const visibleNow = await queues.client(QUEUES.scanCluster).receiveMessages({ numberOfMessages: 32 });
    expect(visibleNow.receivedMessageItems).toHaveLength(0); // delayed until the window closes
  });

  it('recognises a redelivered event while the scan it asked for is under way', async () => {
    const event = write('aks-h');
    await handler(event, capturingContext('clusterEvents').context);
    const [leading] = await drain(queues, QUEUES.scanCluster);
    await scheduler().begin(scanClusterMessage.parse(leading));
    const { context, text } = capturingContext('clusterEvents');
    await handler(event, context);
    expect(text()).toMatch(/rescan duplicate$/m);
    expect(await queueLength(queues, QUEUES.scanCluster)).toBe(0);
  });

  it('ignores an event older than the cluster\'s last recorded state (out-of-order delivery)', async () => {
    const judgedAt = new Date();
    await store.recordVerdicts('scan-x', judgedAt, [verdict('aks-d')]);
    const { context, text } = capturingContext('clusterEvents');
    await handler(write('aks-d', new Date(judgedAt.getTime() - 60_000)), context);
    expect(await queueLength(queues, QUEUES.scanCluster)).toBe(0);
    expect(text()).toMatch(/was judged at .* after this/);
  });

  it('ignores events of subscriptions outside the configured scope, with a log line', async () => {
    const outside = resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: clusterId('aks-e').replace(subscriptionId, '99999999-9999-9999-9999-999999999999'), operationName: 'Microsoft.ContainerService/managedClusters/write' });
    const { context, text } = capturingContext('clusterEvents');
    await handler(outside, context);
    expect(await queueLength(queues, QUEUES.scanCluster)).toBe(0);
    expect(text()).toMatch(/outside the configured scope/);
  });

  it('rejects a malformed event with a message, without throwing', async () => {
    const { context, text } = capturingContext('clusterEvents');
    await expect(handler({ id: 'broken', eventType: 'Microsoft.Resources.ResourceWriteSuccess' }, context)).resolves.toBeUndefined();
    expect(text()).toMatch(/^error rejected event: event broken .*"eventTime"/m);
  });

  it('records a deletion in the history, chained to the last verdict, removes the latest state, and keeps history', async () => {
    const judgedAt = new Date(Date.now() - 60_000);
    await store.recordVerdicts('scan-y', judgedAt, [verdict('aks-f')]);
    const lastHash = (await store.latestStateOf(subscriptionId, clusterId('aks-f')))!.hash;
    const deletion = resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: clusterId('aks-f'), operationName: 'Microsoft.ContainerService/managedClusters/delete' });
    const first = capturingContext('clusterEvents');
    await handler(deletion, first.context);
    expect(first.text()).toMatch(/deletion of .*aks-f: recorded/);
    expect(await store.latestStateOf(subscriptionId, clusterId('aks-f'))).toBeUndefined();

    const again = capturingContext('clusterEvents');
    await handler(deletion, again.context);
    expect(again.text()).toMatch(/: duplicate$/m);

    const rows = [];
    for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${clusterId('aks-f')}'` } })) rows.push(historyRecordFromEntity(row));
    expect(rows.map((r) => r.kind)).toEqual(['verdict', 'deleted']);
    expect(rows[1]!.previousHash).toBe(lastHash);
  });

  describe('an event dated ahead of the clock', () => {
    const now = new Date();
    const FIVE_MINUTES = 5 * 60_000;
    const at = (clock: Date) => {
      const rescans = scheduler();
      return makeClusterEventsHandler({ scope: [subscriptionId], store: async () => store, rescans: async () => rescans, fleet: arm, now: () => clock });
    };

    it('refuses a deletion dated 2099, naming the event and its time, and records nothing', async () => {
      await store.recordVerdicts('scan-future', new Date(), [verdict('aks-future')]);
      const deletion = resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: clusterId('aks-future'), operationName: 'Microsoft.ContainerService/managedClusters/delete', time: new Date('2099-01-01T00:00:00Z') });
      const { context, text } = capturingContext('clusterEvents');
      await handler(deletion, context);
      expect(text()).toContain(`refused event ${deletion.id}: dated 2099-01-01T00:00:00.000Z, more than 5 minutes ahead of this clock`);
      expect(await store.latestStateOf(subscriptionId, clusterId('aks-future'))).toBeDefined();
      const kinds = [];
      for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${clusterId('aks-future')}'` } })) kinds.push(historyRecordFromEntity(row).kind);
      expect(kinds).toEqual(['verdict']);
    });

    it('refuses a change dated more than 5 minutes ahead: no rescan', async () => {
      const event = write('aks-future-1', new Date(now.getTime() + FIVE_MINUTES + 1));
      const { context, text } = capturingContext('clusterEvents');
      await at(now)(event, context);
      expect(text()).toContain(`refused event ${event.id}: dated ${event.eventTime}, more than 5 minutes ahead of this clock (${now.toISOString()})`);
      expect(await queueLength(queues, QUEUES.scanCluster)).toBe(0);
    });

    it('takes a change dated exactly 5 minutes ahead (clock skew within bounds)', async () => {
      const event = write('aks-future-2', new Date(now.getTime() + FIVE_MINUTES));
      const { context, text } = capturingContext('clusterEvents');
      await at(now)(event, context);
      expect(text()).toMatch(/rescan scheduled/);
      expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1);
    });
  });

  describe('a deletion is confirmed with Resource Manager before it is recorded', () => {
    const live = (i: number) => fleet.clusters.filter((c) => c.subscriptionId === subscriptionId && (c.resource['properties'] as { provisioningState?: string } | undefined)?.provisioningState === 'Succeeded')[i]!;
    const deletionOf = (id: string, time = new Date()) => resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: id, operationName: 'Microsoft.ContainerService/managedClusters/delete', time });
    const historyKinds = async (id: string) => {
      const kinds = [];
      for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${id}'` } })) kinds.push(historyRecordFromEntity(row).kind);
      return kinds;
    };
    const judgedBefore = async (id: string) => {
      await store.recordVerdicts('scan-live', new Date(Date.now() - 60_000), [{ ...verdict('x'), id, name: parseClusterId(id)!.name, resourceGroup: parseClusterId(id)!.resourceGroup }]);
    };

    it('does not record a forged deletion of a cluster that still exists: says so, and asks for a rescan instead', async () => {
      const cluster = live(0).resource.id;
      await judgedBefore(cluster);
      const forged = deletionOf(cluster);
      const { context, text } = capturingContext('clusterEvents');
      await handler(forged, context);
      expect(text()).toContain(`event ${forged.id}: deletion of ${cluster} not confirmed: the cluster still exists in Resource Manager`);
      expect(text()).toMatch(/rescan scheduled$/m);
      expect(await store.latestStateOf(subscriptionId, cluster)).toBeDefined();
      expect(await historyKinds(cluster)).toEqual(['verdict']);
      expect(await drain(queues, QUEUES.scanCluster)).toEqual([expect.objectContaining({ trigger: 'leading', clusters: [{ clusterId: cluster, eventId: forged.id }] })]);
    });

    it('records the deletion of a cluster really deleted (ARM answers 404)', async () => {
      const cluster = live(1).resource.id;
      await judgedBefore(cluster);
      const ref = parseClusterId(cluster)!;
      simulator.setOperationDuration(10, 'delete');
      await new ContainerServiceClient(new StaticTokenCredential(TEST_TOKEN), ref.subscriptionId, { endpoint: simulator.url }).managedClusters.beginDeleteAndWait(ref.resourceGroup, ref.name, { updateIntervalInMs: 20 });
      const { context, text } = capturingContext('clusterEvents');
      await handler(deletionOf(cluster), context);
      expect(text()).toMatch(/deletion of .*: recorded$/m);
      expect(await store.latestStateOf(subscriptionId, cluster)).toBeUndefined();
      expect(await historyKinds(cluster)).toEqual(['verdict', 'deleted']);
    });

    it.each([
      ['throttled', 2, { status: 429, retryAfterSeconds: 0 }],
      ['failing', 4, { status: 503 }],
    ])('throws, recording nothing, when ARM is %s while confirming (Event Grid redelivers)', async (_, index, fault) => {
      const cluster = live(index).resource.id;
      await judgedBefore(cluster);
      // More failures than the SDK's and the adapter's retries together: this cluster's GET keeps failing.
      simulator.injectFault({ method: 'GET', pathIncludes: `/managedClusters/${parseClusterId(cluster)!.name}?`, times: 100, ...fault });
      const deletion = deletionOf(cluster);
      await expect(handler(deletion, capturingContext('clusterEvents').context)).rejects.toThrow(
        new RegExp(`could not confirm the deletion of ${cluster} \\(event ${deletion.id}\\) with Resource Manager: .*nothing recorded`),
      );
      expect(await store.latestStateOf(subscriptionId, cluster)).toBeDefined();
      expect(await historyKinds(cluster)).toEqual(['verdict']);
    }, 60_000);

    it('throws, recording nothing, while ARM still shows the cluster being deleted', async () => {
      const cluster = live(3).resource.id;
      await judgedBefore(cluster);
      const ref = parseClusterId(cluster)!;
      simulator.setOperationDuration(60_000, 'delete');
      await new ContainerServiceClient(new StaticTokenCredential(TEST_TOKEN), ref.subscriptionId, { endpoint: simulator.url }).managedClusters.beginDelete(ref.resourceGroup, ref.name);
      await expect(handler(deletionOf(cluster), capturingContext('clusterEvents').context)).rejects.toThrow(/is still being deleted \(provisioning state Deleting\)/);
      expect(await store.latestStateOf(subscriptionId, cluster)).toBeDefined();
      expect(await historyKinds(cluster)).toEqual(['verdict']);
    });
  });

  describe('a batch of events (Event Grid delivers up to 5,000 at once)', () => {
    /** A handler whose table clients count the requests they send, over the same tables. */
    async function countingHandler(markers?: (real: RescanMarkers) => RescanMarkers) {
      const counter = { requests: 0 };
      const policy: PipelinePolicy = { name: 'count', sendRequest: (request, next) => (counter.requests++, next(request)) };
      const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true, additionalPolicies: [{ policy, position: 'perCall' }] });
      const countedStore = await Store.open(complianceTables(table));
      const real = new PendingRescansTable(table(PENDING_RESCANS_TABLE));
      const rescans = new RescanScheduler(markers ? markers(real) : real, queues, 30_000);
      counter.requests = 0;
      return { counter, handler: makeClusterEventsHandler({ store: async () => countedStore, rescans: async () => rescans, fleet: arm }) };
    }
    const storm = (prefix: string, clusters: number, perCluster: number) =>
      Array.from({ length: clusters * perCluster }, (_, i) => write(`${prefix}-${i % clusters}`));

    it('costs a few table requests, not three per event, when the runtime invokes the function once per event, all at once', async () => {
      const { counter, handler: counted } = await countingHandler();
      const events = storm('aks-storm', 5, 100);
      await Promise.all(events.map((event) => counted(event, capturingContext('clusterEvents').context)));
      expect(counter.requests).toBeLessThan(20); // one request per event each for the state, the marker read and its write: 1,500
      const scans = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      expect(scans).toHaveLength(1); // the five clusters' markers were one transaction: their scans are one message
      expect(scans[0]!.clusters.map((c) => c.clusterId).sort()).toEqual([0, 1, 2, 3, 4].map((i) => clusterId(`aks-storm-${i}`)).sort());
      expect(scans[0]!.trigger).toBe('leading');
      // Each cluster's scan names the first event of its window.
      const firsts = new Map([...events].reverse().map((e) => [e.data.resourceUri, e.id]));
      for (const { clusterId: id, eventId } of scans[0]!.clusters) expect(eventId).toBe(firsts.get(id));
    });

    it('takes the batch as an array too, in one invocation, with the debounce of one event at a time', async () => {
      const { counter, handler: counted } = await countingHandler();
      const first = write('aks-array-0');
      const events = [first, first, ...storm('aks-array', 3, 50)];
      const { context, text } = capturingContext('clusterEvents');
      await counted(events, context);
      expect(counter.requests).toBeLessThan(20);
      expect(text().match(/rescan scheduled$/gm)).toHaveLength(3);
      expect(text()).toContain(`event ${first.id}: Microsoft.ContainerService/managedClusters/write on ${clusterId('aks-array-0')}: rescan duplicate`);
      expect(text().match(/rescan coalesced$/gm)).toHaveLength(152 - 3 - 1);
      expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1);
    });

    it('queues one trailing scan per cluster for a batch that arrives after the scans started, and recognises its redelivery', async () => {
      const { handler: counted } = await countingHandler();
      await counted(storm('aks-late', 2, 1), capturingContext('clusterEvents').context);
      for (const leading of await drain(queues, QUEUES.scanCluster)) await scheduler().begin(scanClusterMessage.parse(leading));
      const late = storm('aks-late', 2, 40);
      await counted(late, capturingContext('clusterEvents').context);
      const again = capturingContext('clusterEvents');
      await counted(late, again.context);
      expect(again.text().match(/rescan duplicate$/gm)).toHaveLength(80);
      // Their windows opened together and close together: one trailing message for both clusters.
      expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1);
      const visibleNow = await queues.client(QUEUES.scanCluster).receiveMessages({ numberOfMessages: 32 });
      expect(visibleNow.receivedMessageItems).toHaveLength(0); // delayed until the windows close
    });

    it('writes the markers of more than a hundred clusters, over two subscriptions, in transactions of a hundred at most', async () => {
      const { counter, handler: counted } = await countingHandler();
      const other = '11111111-2222-4333-8444-555555555555';
      const events = [subscriptionId, other].flatMap((subscription) => storm('aks-wide', 120, 2).map((event) => {
        const uri = event.data.resourceUri.replace(subscriptionId, subscription);
        return resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: uri, operationName: event.data.operationName });
      }));
      const { context, text } = capturingContext('clusterEvents');
      await counted(events, context);
      expect(text().match(/rescan scheduled$/gm)).toHaveLength(240);
      expect(counter.requests).toBeLessThan(20); // per subscription: a state query, a marker query, two transactions
      // A message per transaction: 100 and 20 clusters in each subscription, every cluster in one of them.
      const scans = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      expect(scans.map((m) => m.clusters.length).sort((a, b) => a - b)).toEqual([20, 20, 100, 100]);
      expect(scans.every((m) => m.clusters.every((c) => c.clusterId.includes(`/subscriptions/${m.subscriptionId}/`)))).toBe(true);
      expect(new Set(scans.flatMap((m) => m.clusters.map((c) => c.clusterId))).size).toBe(240);
    });

    const otherSubscription = '22222222-3333-4444-8555-666666666666';
    /** Events for clusters of this test's subscription and of another, read as the handler reads them. */
    const clusterEventsOf = (prefix: string, perSubscription: number, perCluster: number) =>
      [subscriptionId, otherSubscription].flatMap((subscription) => storm(`${prefix}-${subscription.slice(0, 2)}`, perSubscription, perCluster).map((e) => {
        const reading = readClusterEvent(resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: e.data.resourceUri.replace(subscriptionId, subscription), operationName: e.data.operationName }));
        if (reading.kind !== 'cluster') throw new Error('not a cluster event');
        return reading.event;
      }));
    const outcomesOf = (results: PromiseSettledResult<string>[]) => results.map((r) => (r.status === 'fulfilled' ? r.value : `failed: ${(r.reason as Error).message}`));

    it('fails the events of the clusters whose scan message could not be queued, and only those, leaving no marker of theirs behind', async () => {
      const markers = new PendingRescansTable(TableClient.fromConnectionString(azurite.connectionString, PENDING_RESCANS_TABLE, { allowInsecureConnection: true }));
      const flaky = { sendScanCluster: (message: ScanClusterMessage, delay?: number) => (message.subscriptionId === otherSubscription ? Promise.reject(new Error('queue down')) : queues.sendScanCluster(message, delay)) };
      const events = clusterEventsOf('aks-unqueued', 2, 2);
      const results = await new RescanScheduler(markers, flaky, 30_000).requestMany(events);
      expect(outcomesOf(results)).toEqual([
        'scheduled', 'scheduled', 'coalesced', 'coalesced',
        'failed: queue down', 'failed: queue down', 'failed: queue down', 'failed: queue down',
      ]);
      for (const event of events.slice(4)) expect(await markers.read(event.cluster)).toBeUndefined();
      const scans = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      expect(scans.map((m) => m.clusters.map((c) => c.clusterId))).toEqual([events.slice(0, 2).map((e) => e.cluster.id)]);
    });

    it('puts no cluster whose marker could not be written in a scan message', async () => {
      const real = new PendingRescansTable(TableClient.fromConnectionString(azurite.connectionString, PENDING_RESCANS_TABLE, { allowInsecureConnection: true }));
      const refusing: RescanMarkers = {
        read: (cluster) => real.read(cluster), create: (cluster, marker) => real.create(cluster, marker),
        replace: (cluster, marker, etag) => real.replace(cluster, marker, etag), update: (cluster, changes, etag) => real.update(cluster, changes, etag),
        remove: (cluster) => real.remove(cluster), readMany: (subscription, clusters) => real.readMany(subscription, clusters),
        writeMany: (subscription, writes) => (subscription === otherSubscription ? Promise.reject(new Error('table down')) : real.writeMany(subscription, writes)),
      };
      const events = clusterEventsOf('aks-unwritten', 3, 1);
      const results = await new RescanScheduler(refusing, queues, 30_000).requestMany(events);
      expect(outcomesOf(results)).toEqual(['scheduled', 'scheduled', 'scheduled', 'failed: table down', 'failed: table down', 'failed: table down']);
      const scans = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      expect(scans.flatMap((m) => m.clusters.map((c) => c.clusterId)).sort()).toEqual(events.slice(0, 3).map((e) => e.cluster.id).sort());
    });

    it('queues a storm over a thousand clusters as ten leading messages, every cluster in one of them', async () => {
      const events = clusterEventsOf('aks-thousand', 500, 1);
      const results = await scheduler().requestMany(events);
      expect(results.every((r) => r.status === 'fulfilled' && r.value === 'scheduled')).toBe(true);
      const scans = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      expect(scans).toHaveLength(10);
      expect(scans.every((m) => m.trigger === 'leading' && m.clusters.length === 100)).toBe(true);
      const queued = scans.flatMap((m) => m.clusters.map((c) => c.clusterId));
      expect(new Set(queued).size).toBe(1_000);
      expect(new Set(queued)).toEqual(new Set(events.map((e) => e.cluster.id)));
    });

    it('starts the scan of a message in the first form (one cluster), still in a queue from before an upgrade', async () => {
      const [event] = clusterEventsOf('aks-v1', 1, 1);
      await scheduler().requestMany([event!]);
      await drain(queues, QUEUES.scanCluster);
      await scheduler().begin(scanClusterMessage.parse({
        schemaVersion: 1, kind: 'scan-cluster', clusterId: event!.cluster.id, subscriptionId, trigger: 'leading', eventId: event!.id, requestedAt: new Date().toISOString(),
      }));
      const { context, text } = capturingContext('clusterEvents');
      await handler(resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: event!.cluster.id, operationName: 'Microsoft.ContainerService/managedClusters/write' }), context);
      expect(text()).toMatch(/rescan trailing-scheduled$/m);
    });

    it('starts the scans of every cluster of a message at once, and a trailing message ends their windows', async () => {
      const events = clusterEventsOf('aks-begin', 3, 1).slice(0, 3);
      await scheduler().requestMany(events);
      const [leading] = (await drain(queues, QUEUES.scanCluster)) as ScanClusterMessage[];
      const markers = new PendingRescansTable(TableClient.fromConnectionString(azurite.connectionString, PENDING_RESCANS_TABLE, { allowInsecureConnection: true }));
      await scheduler().begin(scanClusterMessage.parse(leading));
      for (const event of events) expect((await markers.read(event.cluster))?.scanStarted).toBe(true);
      await scheduler().begin(scanClusterMessage.parse({ ...leading, trigger: 'trailing' }));
      for (const event of events) expect(await markers.read(event.cluster)).toBeUndefined();
    });

    it('reads the markers again when another instance moved one between its read and its write (one transaction, all or nothing)', async () => {
      let armed = false;
      let raced = false;
      const { handler: counted } = await countingHandler((real) => ({
        read: (cluster) => real.read(cluster),
        create: (cluster, marker) => real.create(cluster, marker),
        replace: (cluster, marker, etag) => real.replace(cluster, marker, etag),
        update: (cluster, changes, etag) => real.update(cluster, changes, etag),
        remove: (cluster) => real.remove(cluster),
        readMany: (subscription, clusters) => real.readMany(subscription, clusters),
        writeMany: async (subscription, writes) => {
          if (armed && !raced) {
            raced = true; // the worker of another instance starts the leading scan of aks-race-0 meanwhile
            const marker = (await real.read(parseClusterId(clusterId('aks-race-0'))!))!;
            await real.update(parseClusterId(clusterId('aks-race-0'))!, { scanStarted: true }, marker.etag);
          }
          return real.writeMany(subscription, writes);
        },
      }));
      await counted(storm('aks-race', 3, 1), capturingContext('clusterEvents').context);
      await drain(queues, QUEUES.scanCluster);
      armed = true;
      const { context, text } = capturingContext('clusterEvents');
      await counted(storm('aks-race', 3, 2), context);
      expect(raced).toBe(true);
      // aks-race-0's scan had started: its events queue a trailing scan; the others join their leading scans.
      expect(text().match(/rescan trailing-scheduled$/gm)).toHaveLength(1);
      expect(text().match(/rescan coalesced$/gm)).toHaveLength(5);
      expect(await queueLength(queues, QUEUES.scanCluster)).toBe(1); // the trailing scan, delayed until the window closes
    });
  });

  it('does not let a late deletion event remove a cluster re-created and judged since', async () => {
    const deletedAt = new Date(Date.now() - 120_000);
    await store.recordVerdicts('scan-z', new Date(), [verdict('aks-g')]);
    const deletion = resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: clusterId('aks-g'), operationName: 'Microsoft.ContainerService/managedClusters/delete', time: deletedAt });
    const { context, text } = capturingContext('clusterEvents');
    await handler(deletion, context);
    expect(text()).toMatch(/: stale$/m);
    expect(await store.latestStateOf(subscriptionId, clusterId('aks-g'))).toBeDefined();
  });
});
