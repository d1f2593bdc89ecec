import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { CLUSTER_QUERY, ResourceGraphFleet } from '../../../shared/azure/resourceGraphFleet.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { SourceReadError } from '../../../shared/domain/errors.js';
import type { DiscoveryPage } from '../../../shared/scan/ports.js';
import { platformOf } from '../../../shared/domain/clusterId.js';
import { platformFleetFor, resourceGraphFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { clusterResource } from '../../dev/armSimulator/simulatorKit.js';

/** Discovery through the real Resource Graph SDK against the simulator's Resource Graph. */

const FAST_RETRY = { retries: 4, baseDelayMs: 10, maxDelayMs: 2_000 };
let simulator: ArmSimulator | undefined;
let demo: SimulatedFleet;

beforeAll(async () => {
  demo = await buildDemoFleet({ now: new Date('2026-11-01T06:00:00Z') });
});

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const guid = (n: number) => `${n.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** `subscriptions` subscriptions holding 0 to 7 bare clusters each (no credentials: nothing is judged), listed out of order. */
function wideFleet(subscriptions: number): SimulatedFleet {
  const fleet: SimulatedFleet = { subscriptions: [], clusters: [], secrets: [] };
  for (let i = 0; i < subscriptions; i++) {
    const subscriptionId = guid((i * 7919) % 100_003);
    fleet.subscriptions.push({ subscriptionId, displayName: `sub-${i}`, tenantId: guid(1) });
    for (let c = 0; c < i % 8; c++) fleet.clusters.push({ subscriptionId, resource: clusterResource(subscriptionId, `rg-${c % 3}`, `aks-${i}-${c}`), credentials: {} });
  }
  return fleet;
}

async function pagesOf(discovery: AsyncIterable<DiscoveryPage>): Promise<DiscoveryPage[]> {
  const pages: DiscoveryPage[] = [];
  for await (const page of discovery) pages.push(page);
  return pages;
}

const graphRequests = (sim: ArmSimulator) => sim.requests.filter((r) => /microsoft\.resourcegraph\/resources/i.test(r.path));

describe('ResourceGraphFleet', () => {
  it('pages through more than 1,000 clusters of more than 300 subscriptions in two batches, losing and doubling none', async () => {
    const fleet = wideFleet(320);
    expect(fleet.clusters.length).toBeGreaterThan(1000);
    simulator = await simulatorFor(fleet, { throttle: false });
    const scope = fleet.subscriptions.map((s) => s.subscriptionId);
    const pages = await pagesOf(resourceGraphFor(simulator).discoverClusters(scope));

    const ids = pages.flatMap((p) => p.clusters.flatMap((share) => share.clusters.map((c) => c.id)));
    expect(ids.length).toBe(fleet.clusters.length);
    expect(new Set(ids)).toEqual(new Set(fleet.clusters.map((c) => c.resource.id)));
    expect(pages.flatMap((p) => p.clusters.flatMap((share) => share.invalid))).toEqual([]);
    // Every subscription completes once, empty ones too, and none gets clusters after it completed.
    const completed = new Set<string>();
    for (const page of pages) {
      for (const share of page.clusters) {
        expect(completed.has(share.subscriptionId)).toBe(false);
        expect(share.clusters.every((c) => c.subscriptionId === share.subscriptionId)).toBe(true);
      }
      for (const id of page.complete) {
        expect(completed.has(id)).toBe(false);
        completed.add(id);
      }
    }
    expect([...completed].sort()).toEqual([...scope].sort());
    // 300 subscriptions, then 20: a request each per 1,000 rows.
    const firstBatch = fleet.clusters.filter((c) => scope.slice(0, 300).includes(c.subscriptionId)).length;
    const secondBatch = fleet.clusters.length - firstBatch;
    expect(firstBatch).toBeGreaterThan(1000);
    const requests = graphRequests(simulator);
    expect(requests.map((r) => r.status)).toEqual(Array(Math.ceil(firstBatch / 1000) + Math.ceil(secondBatch / 1000)).fill(200));
    expect(pages).toHaveLength(requests.length);
  });

  it('reads each cluster into the same facts as the ARM listing does', async () => {
    const fleet = demo;
    simulator = await simulatorFor(fleet);
    const readable = fleet.subscriptions.filter((s) => !s.listError).map((s) => s.subscriptionId);
    const viaArm = new Map<string, ClusterFacts>();
    // Both platforms: the graph's query reads AKS Arc clusters too.
    const arm = platformFleetFor(simulator);
    for (const subscriptionId of readable) {
      for await (const page of arm.listClusterPages(subscriptionId)) for (const cluster of page.clusters) viaArm.set(cluster.id, cluster);
    }
    const pages = await pagesOf(resourceGraphFor(simulator).discoverClusters(readable));
    const viaGraph = new Map(pages.flatMap((p) => p.clusters.flatMap((share) => share.clusters)).map((c) => [c.id, c]));
    expect(viaGraph.size).toBe(viaArm.size);
    expect(Object.fromEntries(viaGraph)).toEqual(Object.fromEntries(viaArm));
    // The demo's facts the two reads could most easily disagree on are there to compare.
    const facts = [...viaGraph.values()];
    expect(facts.some((c) => c.createdAt !== undefined)).toBe(true);
    expect(facts.some((c) => platformOf(c) === 'aks-arc')).toBe(true);
    expect(facts.some((c) => c.customCaTrustCertificates.length > 0)).toBe(true);
    expect(facts.some((c) => c.agentPools.some((p) => p.enableCustomCATrust))).toBe(true);
    expect(facts.some((c) => c.privateFqdn !== undefined)).toBe(true);
  });

  it('gives no rows for a subscription the caller may not read, and completes it like an empty one', async () => {
    simulator = await simulatorFor(demo);
    const forbidden = demo.subscriptions.find((s) => s.listError?.status === 403)!;
    const hidden = forbidden.subscriptionId;
    simulator.fleet.clusters.push({ subscriptionId: hidden, resource: clusterResource(hidden, 'rg-hidden', 'aks-hidden'), credentials: {} });
    const pages = await pagesOf(resourceGraphFor(simulator).discoverClusters([forbidden.subscriptionId]));
    expect(pages).toEqual([{ clusters: [], complete: [forbidden.subscriptionId] }]);
  });

  it('waits for the quota to reset when none is left instead of running into 429', async () => {
    const fleet = wideFleet(40);
    simulator = await simulatorFor(fleet, { throttle: false, resourceGraph: { quota: { requests: 2, windowMs: 1_000 } } });
    // Pages of 40 rows: several queries, more than the quota allows in one window.
    const clients = new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN));
    const discovery = new ResourceGraphFleet(clients, FAST_RETRY, { pageRows: 40, subscriptionsPerRequest: 300 });
    const pages = await pagesOf(discovery.discoverClusters(fleet.subscriptions.map((s) => s.subscriptionId)));
    expect(pages.flatMap((p) => p.clusters.flatMap((s) => s.clusters)).length).toBe(fleet.clusters.length);
    const statuses = graphRequests(simulator).map((r) => r.status);
    expect(statuses.length).toBeGreaterThan(2);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('retries a throttled query after the quota resets (another client of the same caller spent it)', async () => {
    const fleet = wideFleet(12);
    simulator = await simulatorFor(fleet, { throttle: false, resourceGraph: { quota: { requests: 1, windowMs: 1_000 } } });
    const other = new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN)).resourceGraph();
    await other.resources({ query: CLUSTER_QUERY, subscriptions: [fleet.subscriptions[0]!.subscriptionId] });
    const pages = await pagesOf(resourceGraphFor(simulator, FAST_RETRY).discoverClusters(fleet.subscriptions.map((s) => s.subscriptionId)));
    expect(pages.flatMap((p) => p.clusters.flatMap((s) => s.clusters)).length).toBe(fleet.clusters.length);
    expect(graphRequests(simulator).map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it('fails with a forbidden SourceReadError when Resource Graph is denied', async () => {
    simulator = await simulatorFor(wideFleet(3));
    simulator.resourceGraph.configure({ denied: true });
    const failure = await pagesOf(resourceGraphFor(simulator, FAST_RETRY).discoverClusters([guid(0)])).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SourceReadError);
    expect(failure).toMatchObject({ reason: 'forbidden', code: 'AuthorizationFailed', status: 403 });
    expect((failure as Error).message).toMatch(/^querying Resource Graph answered HTTP 403 AuthorizationFailed: .*Microsoft\.ResourceGraph\/resources\/read/);
  });

  it('fails as unreachable when Resource Graph answers 5xx past every retry', async () => {
    simulator = await simulatorFor(wideFleet(3));
    // Retry-After 0: the SDK's and withArmRetry's retries, all of them, without their waits.
    simulator.injectFault({ pathIncludes: 'Microsoft.ResourceGraph', status: 503, times: 100, retryAfterSeconds: 0 });
    const failure = await pagesOf(resourceGraphFor(simulator, { retries: 1, baseDelayMs: 1, maxDelayMs: 5 }).discoverClusters([guid(0)])).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: 'unreachable', status: 503 });
    expect(graphRequests(simulator).length).toBeGreaterThan(2);
  });
});
