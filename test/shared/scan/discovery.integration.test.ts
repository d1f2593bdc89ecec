import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { ResourceGraphFleet } from '../../../shared/azure/resourceGraphFleet.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { FleetDiscovery, FleetReader } from '../../../shared/scan/ports.js';
import { runScan, type ScanDependencies } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { azuriteStore, fleetReaderFor, platformFleetFor, resourceGraphFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';

/**
 * A full scan through Resource Graph: the same verdicts as listing each subscription, the listing as
 * the fall-back where the graph fails, and the graph's lag never deciding a deletion on its own.
 */

const t1 = new Date('2026-11-01T06:00:00Z');
const t2 = new Date('2026-11-02T06:00:00Z');
const FAST_RETRY = { retries: 2, baseDelayMs: 5, maxDelayMs: 50 };

let demo: SimulatedFleet;
let readable: string[];
let allSubscriptions: string[];
let simulator: ArmSimulator | undefined;
let azurite: RunningAzurite | undefined;

beforeAll(async () => {
  demo = await buildDemoFleet({ now: t1 });
  allSubscriptions = demo.subscriptions.map((s) => s.subscriptionId);
  readable = demo.subscriptions.filter((s) => !s.listError).map((s) => s.subscriptionId);
});

afterEach(async () => {
  await simulator?.close();
  await azurite?.stop();
  simulator = azurite = undefined;
});

const scan = (deps: ScanDependencies, subscriptionIds = allSubscriptions, at = t1) => runScan({ subscriptionIds, policy: DEFAULT_POLICY }, { now: () => at, ...deps });
const graph = (sim: ArmSimulator, fallBack = true, limits?: ConstructorParameters<typeof ResourceGraphFleet>[2]) => ({
  source: limits ? new ResourceGraphFleet(new ArmClients(armTarget('AzureCloud', sim.url), new StaticTokenCredential(TEST_TOKEN)), FAST_RETRY, limits) : resourceGraphFor(sim, FAST_RETRY),
  fallBack,
});
const graphRequests = (sim: ArmSimulator) => sim.requests.filter((r) => /microsoft\.resourcegraph\/resources/i.test(r.path));
const listRequests = (sim: ArmSimulator) => sim.requests.filter((r) => r.method === 'GET' && /\/managedclusters$/i.test(r.path));
/** Each cluster's status and finding codes, by id: what the two ways of listing must agree on. */
const outcomes = (clusters: Array<{ id: string; status: string; findings: Array<{ code: string }> }>) =>
  Object.fromEntries(clusters.map((c) => [c.id.toLowerCase(), `${c.status} ${c.findings.map((f) => f.code).sort().join(',')}`]));

describe('a full scan through Resource Graph', () => {
  it('judges every cluster as listing each subscription does, with one query, and still names the forbidden subscription', async () => {
    simulator = await simulatorFor(demo);
    const viaArm = await scan({ fleet: fleetReaderFor(simulator) });
    const armLists = listRequests(simulator).length;
    const viaGraph = await scan({ fleet: fleetReaderFor(simulator), discovery: graph(simulator) });

    expect(viaGraph.report.scan.discovery).toBe('resource-graph');
    expect(viaArm.report.scan.discovery).toBe('arm');
    expect(viaGraph.discoveryFallback).toBeUndefined();
    expect(viaGraph.report.clusters.length).toBe(demo.clusters.filter((c) => readable.includes(c.subscriptionId)).length);
    expect(outcomes(viaGraph.report.clusters)).toEqual(outcomes(viaArm.report.clusters));
    expect(viaGraph.report.scan.errors).toEqual(viaArm.report.scan.errors.map((e) => ({ ...e })));
    const forbidden = demo.subscriptions.find((s) => s.listError?.status === 403)!.subscriptionId;
    expect(viaGraph.report.scan.errors).toContainEqual(expect.objectContaining({ scope: `/subscriptions/${forbidden}`, code: 'AuthorizationFailed' }));
    expect(graphRequests(simulator).map((r) => r.status)).toEqual([200]);
    // Only the subscriptions the graph returned nothing for were listed from ARM.
    const graphLists = listRequests(simulator).length - armLists;
    const withoutRows = allSubscriptions.filter((id) => !demo.clusters.some((c) => c.subscriptionId === id) || !readable.includes(id));
    expect(graphLists).toBe(withoutRows.length);
  });

  for (const [failure, fault] of [
    ['denied (403)', (sim: ArmSimulator) => sim.resourceGraph.configure({ denied: true })],
    ['unavailable (503 past every retry)', (sim: ArmSimulator) => sim.injectFault({ pathIncludes: 'Microsoft.ResourceGraph', status: 503, times: 50, retryAfterSeconds: 0 })],
  ] as const) {
    it(`falls back to listing each subscription when Resource Graph is ${failure}, and says so`, async () => {
      simulator = await simulatorFor(demo);
      fault(simulator);
      const outcome = await scan({ fleet: fleetReaderFor(simulator), discovery: graph(simulator) });
      expect(outcome.report.scan.discovery).toBe('arm');
      expect(outcome.discoveryFallback).toMatch(/^querying Resource Graph answered HTTP (403|503)/);
      expect(outcome.report.clusters.length).toBe(demo.clusters.filter((c) => readable.includes(c.subscriptionId)).length);
      expect(outcome.report.scan.errors.map((e) => e.scope)).toEqual([`/subscriptions/${demo.subscriptions.find((s) => s.listError?.status === 403)!.subscriptionId}`]);
    });
  }

  it('does not fall back under DISCOVERY=resource-graph: each subscription is a scan error', async () => {
    simulator = await simulatorFor(demo);
    simulator.resourceGraph.configure({ denied: true });
    const outcome = await scan({ fleet: fleetReaderFor(simulator), discovery: graph(simulator, false) }, readable);
    expect(outcome.report.scan.discovery).toBe('resource-graph');
    expect(outcome.report.clusters).toEqual([]);
    expect(outcome.report.scan.errors.map((e) => [e.scope, e.code])).toEqual(readable.map((id) => [`/subscriptions/${id}`, 'AuthorizationFailed']));
    expect(listRequests(simulator)).toEqual([]);
  });

  /** The real discovery, counting the clusters the scan has taken from it and not judged yet. */
  const counting = (source: FleetDiscovery, judged: () => number) => {
    const seen = { taken: 0, mostAhead: 0, pages: 0 };
    const discovery: FleetDiscovery = {
      name: 'resource-graph',
      async *discoverClusters(ids) {
        for await (const page of source.discoverClusters(ids)) {
          seen.pages++;
          seen.taken += page.clusters.reduce((n, share) => n + share.clusters.length + share.invalid.length, 0);
          seen.mostAhead = Math.max(seen.mostAhead, seen.taken - judged());
          yield page;
        }
      },
    };
    return { discovery, seen };
  };

  it('takes at most aheadAtMost clusters from the discovery, and one page more, before they are judged', async () => {
    simulator = await simulatorFor(demo);
    const { source } = graph(simulator, false, { pageRows: 4, subscriptionsPerRequest: 300 });
    let judged = 0;
    const { discovery, seen } = counting(source, () => judged);
    const outcome = await scan({ fleet: platformFleetFor(simulator), discovery: { source: discovery, fallBack: false, aheadAtMost: 6 }, onProgress: (p) => (judged = p.clustersJudged) }, readable.slice(0, 2));
    expect(seen.pages).toBeGreaterThan(4);
    expect(outcome.report.clusters.length).toBe(seen.taken);
    expect(seen.mostAhead).toBeGreaterThan(4);
    expect(seen.mostAhead).toBeLessThanOrEqual(6 + 4);
  });

  it('goes on discovering while a subscription is judged slowly: the subscriptions after it are judged meanwhile', async () => {
    simulator = await simulatorFor(demo);
    const { source } = graph(simulator, false, { pageRows: 6, subscriptionsPerRequest: 300 });
    const reader = platformFleetFor(simulator);
    // The first subscription whose certificates are read waits (as a large one paced by its write
    // bucket does) until a cluster of another subscription is read, or 5 seconds; pages of 6 rows, so
    // the others are pages behind it.
    let slow: string | undefined;
    let release!: () => void;
    const released = new Promise<'other' | 'timeout'>((resolve) => {
      release = () => resolve('other');
      setTimeout(() => resolve('timeout'), 5000).unref();
    });
    const fleet: FleetReader = {
      listSubscriptions: () => reader.listSubscriptions(),
      listClusterPages: (id) => reader.listClusterPages(id),
      getCluster: (cluster) => reader.getCluster(cluster),
      readCertificateEvidence: async (cluster) => {
        slow ??= cluster.subscriptionId;
        if (cluster.subscriptionId === slow) await released;
        else release();
        return reader.readCertificateEvidence(cluster);
      },
    };
    const outcome = await scan({ fleet, discovery: { source, fallBack: false, aheadAtMost: 1000 } }, readable.slice(0, 3));
    expect(await released).toBe('other');
    expect(new Set(outcome.report.clusters.map((c) => c.subscriptionId)).size).toBe(3);
  });

  it('lists from ARM what a discovery failing part way had not finished, judging no cluster twice', async () => {
    simulator = await simulatorFor(demo);
    const sim = simulator;
    let faulted = false;
    const outcome = await scan({
      fleet: fleetReaderFor(sim),
      discovery: graph(sim, true, { pageRows: 4, subscriptionsPerRequest: 300 }),
      onProgress: () => {
        if (faulted) return;
        faulted = true;
        sim.injectFault({ pathIncludes: 'Microsoft.ResourceGraph', status: 503, times: 50, retryAfterSeconds: 0 });
      },
    });
    expect(graphRequests(sim).filter((r) => r.status === 200).length).toBeGreaterThan(0);
    expect(graphRequests(sim).some((r) => r.status === 503)).toBe(true);
    expect(outcome.report.scan.discovery).toBe('arm');
    const ids = outcome.report.clusters.map((c) => c.id.toLowerCase());
    expect(ids.length).toBe(new Set(ids).size);
    expect(new Set(ids)).toEqual(new Set(demo.clusters.filter((c) => readable.includes(c.subscriptionId)).map((c) => c.resource.id.toLowerCase())));
  });
});

describe('Resource Graph lagging Resource Manager', () => {
  let subscriptionId: string;
  let store: ComplianceStore;
  let tables: ComplianceTables;

  beforeAll(() => {
    const sizes = readable.map((id) => ({ id, n: demo.clusters.filter((c) => c.subscriptionId === id).length })).sort((a, b) => b.n - a.n);
    subscriptionId = sizes[0]!.id;
  });

  async function start() {
    simulator = await simulatorFor(demo);
    ({ azurite, store, tables } = await azuriteStore());
    return simulator;
  }

  async function stateOf(id: string) {
    for await (const row of tables.state.listEntities<Record<string, unknown>>({ queryOptions: { filter: `PartitionKey eq '${subscriptionKey(subscriptionId)}'` } })) {
      if (row.rowKey === clusterKey(id)) return row;
    }
    return undefined;
  }

  function remove(sim: ArmSimulator, cluster: SimulatedCluster) {
    sim.fleet.clusters.splice(sim.fleet.clusters.indexOf(cluster), 1);
  }

  /** A new cluster of the subscription: another cluster's resource and credentials under a new name. */
  function newCluster(sim: ArmSimulator, name: string): SimulatedCluster {
    const model = sim.fleet.clusters.find((c) => c.subscriptionId === subscriptionId)!;
    const id = model.resource.id.replace(/[^/]+$/, name);
    const cluster = { ...structuredClone(model), resource: { ...structuredClone(model.resource), id, name } };
    sim.fleet.clusters.push(cluster);
    return cluster;
  }

  it('re-reads from ARM a cluster the graph still lists but ARM deleted: a recorded one is recorded deleted, an unrecorded one is left out', async () => {
    const sim = await start();
    const first = await scan({ fleet: fleetReaderFor(sim), discovery: graph(sim), store }, [subscriptionId], t1);
    expect(first.storeError).toBeUndefined();
    const victim = sim.fleet.clusters.find((c) => c.subscriptionId === subscriptionId)!;
    expect(await stateOf(victim.resource.id)).toBeDefined();
    // Created after the first scan and deleted again: the graph saw it, and still lists it beside the victim.
    const unrecorded = newCluster(sim, 'aks-created-and-deleted');
    sim.resourceGraph.freeze();
    remove(sim, unrecorded);
    remove(sim, victim);

    const second = await scan({ fleet: fleetReaderFor(sim), discovery: graph(sim), store }, [subscriptionId], t2);
    expect(second.report.scan.discovery).toBe('resource-graph');
    const ids = second.report.clusters.map((c) => c.id);
    expect(ids).not.toContain(victim.resource.id);
    expect(ids).not.toContain(unrecorded.resource.id);
    expect(second.report.scan.deletionsRecorded).toBe(1);
    expect(second.deleted?.map((c) => c.id)).toEqual([victim.resource.id]);
    expect(await stateOf(victim.resource.id)).toBeUndefined();
    expect(await stateOf(unrecorded.resource.id)).toBeUndefined();
    expect(second.report.clusters.filter((c) => c.status === 'unknown' && c.findings.some((f) => f.reason === 'not_found'))).toEqual([]);
  });

  it('never deletes on the graph\'s word: a recorded cluster the graph does not list yet is re-read from ARM and judged', async () => {
    const sim = await start();
    sim.resourceGraph.freeze();
    const late = newCluster(sim, 'aks-not-in-graph-yet');
    // Recorded by a scan that listed the subscription from ARM.
    await scan({ fleet: fleetReaderFor(sim), store }, [subscriptionId], t1);
    expect(await stateOf(late.resource.id)).toBeDefined();

    const second = await scan({ fleet: fleetReaderFor(sim), discovery: graph(sim), store }, [subscriptionId], t2);
    expect(second.report.scan.discovery).toBe('resource-graph');
    expect(second.report.scan.deletionsRecorded).toBe(0);
    expect(second.report.clusters.find((c) => c.id === late.resource.id)).toMatchObject({ lastSeenAt: t2 });
    expect(await stateOf(late.resource.id)).toBeDefined();
    expect(sim.requests.some((r) => r.method === 'GET' && r.path.endsWith('/aks-not-in-graph-yet'))).toBe(true);
  });
});
