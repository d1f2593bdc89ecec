/**
 * The node probe through the real Compute SDK to the ARM simulator's scale sets and run-command
 * long-running operations, over the demo fleet's nodes (dev/demoFleet/nodes.ts and its scenarios), and
 * its cadence through a real trail in Azurite.
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoCluster, sharedKeys } from '../../../dev/demoFleet/buildCluster.js';
import { PRODUCTION_CLUSTERS } from '../../../dev/demoFleet/productionClusters.js';
import { SANDBOX_CLUSTERS } from '../../../dev/demoFleet/sandboxClusters.js';
import { STAGING_CLUSTERS } from '../../../dev/demoFleet/stagingClusters.js';
import { DEMO_TENANT_ID, demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { TrailNodeProbes } from '../../../shared/audit/lastNodeProbe.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { ArmFleet } from '../../../shared/azure/armFleet.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { VmssNodeProbe } from '../../../shared/azure/nodeProbe.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { judgeCluster } from '../../../shared/scan/judgeCluster.js';
import { runScan } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { allStoredText, azuriteStore, simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const now = new Date();
let fleet: SimulatedFleet;
let simulator: ArmSimulator;

/** The demo clusters these tests read (the whole demo fleet takes seconds to build). */
const CLUSTERS = ['aks-portal-prod-weu', 'aks-payments-prod-weu', 'aks-checkout-prod-eus2', 'aks-payments-stg-weu', 'aks-imagebuild-stg-weu', 'aks-mariner-sbx-neu', 'aks-analytics-stg-eus2'];

beforeAll(async () => {
  const keys = await sharedKeys();
  const specs = [...PRODUCTION_CLUSTERS, ...STAGING_CLUSTERS, ...SANDBOX_CLUSTERS].filter((spec) => CLUSTERS.includes(spec.name));
  const clusters = await Promise.all(specs.map((spec) => buildDemoCluster(spec, now, DEMO_TENANT_ID, keys, new Set(), { nodes: true })));
  fleet = { subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters, secrets: [] };
  simulator = await simulatorFor(fleet, { throttle: false });
});
afterAll(async () => simulator?.close());

const clientsFor = (sim: ArmSimulator) => new ArmClients(armTarget('AzureCloud', sim.url), new StaticTokenCredential(TEST_TOKEN));
const named = (name: string) => fleet.clusters.find((c) => c.resource.name === name)!;
/** The cluster as the scan reads it from ARM, through the SDK (its node resource group included). */
const factsOf = async (cluster: SimulatedCluster, sim = simulator): Promise<ClusterFacts> => (await new ArmFleet(clientsFor(sim)).getCluster(parseClusterId(cluster.resource.id)!))!;
const runCommands = (sim: ArmSimulator, since = 0) => sim.requests.slice(since).filter((r) => r.method === 'POST' && /\/runCommand$/i.test(r.path));
/** The certificate facts of a simulated node file, as an independent reading (node:crypto) states them. */
const fileFacts = (pem: string) => {
  const certificate = new X509Certificate(pem);
  return { serialNumber: certificate.serialNumber.toLowerCase(), notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo), sha256: certificate.fingerprint256.replaceAll(':', '').toLowerCase() };
};

describe('VmssNodeProbe', () => {
  it('reads the kubelet and API server certificates of one node of every pool, Linux and Windows, with one run command per pool', async () => {
    const cluster = named('aks-portal-prod-weu');
    const facts = await factsOf(cluster);
    expect(facts.nodeResourceGroup).toBe(`MC_${facts.resourceGroup}_${facts.name}_${facts.location}`);
    const before = simulator.requests.length;
    const evidence = await new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 }).read(facts, now);

    const pools = cluster.nodes!;
    expect(pools.map((p) => p.pool)).toEqual(['system', 'win22']);
    const expected = [
      ...pools.flatMap((p) => [{ source: 'kubelet-client', ...fileFacts(p.files['kubelet-client']!) }, { source: 'kubelet-serving', ...fileFacts(p.files['kubelet-serving']!) }]),
      // The API server's certificate is on every node: one certificate, read once.
      { source: 'node-apiserver', ...fileFacts(pools[0]!.files['node-apiserver']!) },
    ];
    expect(evidence.certificates.map(({ source, serialNumber, notBefore, notAfter, sha256 }) => ({ source, serialNumber, notBefore, notAfter, sha256 })))
      .toEqual(expect.arrayContaining(expected));
    expect(evidence.certificates).toHaveLength(expected.length);
    // Windows prints the names as .NET does, Linux as OpenSSL.
    expect(evidence.certificates.map((c) => c.subject)).toEqual(expect.arrayContaining(['CN = system:node:aks-system-vmss000000, O = system:nodes', 'O=system:nodes, CN=system:node:aks-win22-vmss000000']));
    expect(evidence.unavailable).toEqual([]);
    expect(evidence.nodeProbe).toEqual({ probedAt: now, pools: [{ pool: 'system', bootstrapKubeconfig: true }, { pool: 'win22', bootstrapKubeconfig: true }] });
    expect(runCommands(simulator, before).map((r) => r.path)).toEqual(expect.arrayContaining([expect.stringMatching(/\/aks-system-\d{8}-vmss\/virtualMachines\/0\/runCommand$/), expect.stringMatching(/\/aks-win22-\d{8}-vmss\/virtualMachines\/0\/runCommand$/)]));
    expect(runCommands(simulator, before)).toHaveLength(2);
  });

  it('sees a pool without its bootstrap kubeconfig, which makes the cluster ineligible for auto-rotation (TLS_BOOTSTRAP_DISABLED)', async () => {
    const facts = await factsOf(named('aks-payments-stg-weu'));
    const probe = new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 });
    const verdict = await judgeCluster(facts, { fleet: new ArmFleet(clientsFor(simulator)), evidenceSources: [probe] }, DEFAULT_POLICY, now);
    expect(verdict.nodeProbe?.pools).toEqual([{ pool: 'system', bootstrapKubeconfig: false }, { pool: 'payments', bootstrapKubeconfig: true }]);
    expect(verdict.autoRotation).toEqual({ eligible: false, reasons: ['TLS_BOOTSTRAP_DISABLED'] });
    expect(verdict.findings.map((f) => f.code)).toEqual(['AUTO_ROTATION_INELIGIBLE']);
    expect(verdict.certificates.map((c) => c.source).sort()).toEqual(['client', 'cluster-ca', 'kubelet-client', 'kubelet-client', 'kubelet-serving', 'kubelet-serving', 'node-apiserver']);
  });

  it('reports a pool whose run command fails with its reason and ARM\'s code, and still reads the other pools', async () => {
    const evidence = await new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 }).read(await factsOf(named('aks-imagebuild-stg-weu')), now);
    expect(evidence.unavailable).toEqual([{ source: 'node-probe', reason: 'error', message: expect.stringMatching(/^Node probe of node pool system \(aks-system-\d{8}-vmss\): .*VMAgentStatusCommunicationError/) }]);
    expect(evidence.nodeProbe?.pools).toEqual([{ pool: 'custom', bootstrapKubeconfig: true }]);
    expect(evidence.certificates.map((c) => c.source).sort()).toEqual(['kubelet-client', 'kubelet-serving', 'node-apiserver']);
  });

  it('gives up a run command that does not finish in time, reporting its pool unreachable, and reads the others', async () => {
    const served = simulator.fleet.clusters.find((c) => c.resource.name === 'aks-payments-stg-weu')!;
    served.nodes![1]!.runCommandHangs = true;
    try {
      const evidence = await new VmssNodeProbe(clientsFor(simulator), { everyHours: 24, runCommandTimeoutMs: 300 }).read(await factsOf(served), now);
      expect(evidence.unavailable).toEqual([{ source: 'node-probe', reason: 'unreachable', message: expect.stringMatching(/^Node probe of node pool payments .*the run command did not finish within 0.3 seconds/) }]);
      expect(evidence.nodeProbe?.pools).toEqual([{ pool: 'system', bootstrapKubeconfig: false }]);
    } finally {
      delete served.nodes![1]!.runCommandHangs;
    }
  });

  it('refuses output not in the script\'s form as unreadable, without repeating it', async () => {
    const evidence = await new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 }).read(await factsOf(named('aks-mariner-sbx-neu')), now);
    expect(evidence.unavailable).toEqual([{ source: 'node-probe', reason: 'unreadable', message: expect.stringContaining('line 1 is not the probe\'s first line') }]);
    expect(JSON.stringify(evidence)).not.toContain('Welcome');
  });

  it('probes no stopped cluster (its nodes are deallocated), and says so when ARM names no node resource group', async () => {
    const stopped = fleet.clusters.find((c) => (c.resource['properties'] as { powerState?: { code?: string } }).powerState?.code === 'Stopped')!;
    const before = simulator.requests.length;
    const probe = new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 });
    expect(await probe.read(await factsOf(stopped), now)).toEqual({ certificates: [], unavailable: [] });
    expect(simulator.requests.slice(before).filter((r) => /Microsoft\.Compute/i.test(r.path))).toEqual([]);
    const { nodeResourceGroup: _, ...withoutGroup } = await factsOf(named('aks-portal-prod-weu'));
    expect(await probe.read(withoutGroup, now)).toEqual({ certificates: [], unavailable: [{ source: 'node-probe', reason: 'not_found', message: 'ARM reports no node resource group for the cluster.' }] });
  });

  it('names a file missing on a node, and a node resource group without any node pool scale set', async () => {
    const served = simulator.fleet.clusters.find((c) => c.resource.name === 'aks-checkout-prod-eus2')!;
    const probe = new VmssNodeProbe(clientsFor(simulator), { everyHours: 24 });
    delete served.nodes![0]!.files['kubelet-serving'];
    const evidence = await probe.read(await factsOf(served), now);
    expect(evidence.unavailable).toEqual([{ source: 'kubelet-serving', reason: 'no_certificate', message: expect.stringMatching(/^Node probe of node pool system \(aks-system-\d{8}-vmss\), instance 0: Kubelet serving certificate is not on the node\.$/) }]);
    delete served.nodes;
    expect(await probe.read(await factsOf(served), now)).toEqual({ certificates: [], unavailable: [{ source: 'node-probe', reason: 'not_found', message: expect.stringMatching(/^Node probe: node resource group MC_.* holds no node pool scale set \(none tagged aks-managed-poolName\)\.$/) }] });
  });

  it('draws its run commands from the write budget the credential listings spent: paced, never throttled', async () => {
    const throttled = await simulatorFor(fleet, { throttle: { reads: { capacity: 250, refillPerSecond: 25 }, writes: { capacity: 3, refillPerSecond: 10 } } });
    try {
      const clients = clientsFor(throttled);
      const armFleet = new ArmFleet(clients);
      const clusters = await Promise.all(['aks-portal-prod-weu', 'aks-payments-prod-weu', 'aks-checkout-prod-eus2'].map((name) => factsOf(named(name), throttled)));
      await Promise.all(clusters.map((c) => armFleet.readCertificateEvidence(c))); // three POSTs: the bucket is empty
      const evidence = await new VmssNodeProbe(clients, { everyHours: 24 }).read(clusters[0]!, now);
      expect(evidence.unavailable).toEqual([]);
      expect(runCommands(throttled)).toHaveLength(2);
      expect(throttled.requests.filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await throttled.close();
    }
  });
});

describe('VmssNodeProbe with the trail (NODE_PROBE_HOURS)', () => {
  let azurite: RunningAzurite;
  let store: ComplianceStore;
  let tables: ComplianceTables;
  beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
  afterAll(async () => azurite?.stop());

  it('carries a cluster\'s last probe from its latest recorded verdict within the cadence, with its read time, and probes again after it', async () => {
    const cluster = named('aks-payments-prod-weu');
    const target = parseClusterId(cluster.resource.id)!;
    const probe = new VmssNodeProbe(clientsFor(simulator), { everyHours: 24, history: new TrailNodeProbes(tables.state) });
    const scanAt = async (at: Date) => {
      const before = simulator.requests.length;
      const outcome = await runScan({ clusters: [target], policy: DEFAULT_POLICY }, { fleet: new ArmFleet(clientsFor(simulator)), evidenceSources: [probe], store, now: () => at });
      return { verdict: outcome.report.clusters[0]!, runCommands: runCommands(simulator, before).length };
    };

    const first = await scanAt(now);
    expect(first.runCommands).toBe(2);
    // The serving certificate of its system pool expires in 20 days (nodeProbeScenarios.ts).
    const serving = first.verdict.certificates.find((c) => c.source === 'kubelet-serving' && c.subject.includes('aks-system'))!;
    expect(first.verdict.findings.filter((f) => f.certificate === serving.sha256).map((f) => f.code)).toEqual(['CERT_EXPIRING_SOON']);

    const later = new Date(now.getTime() + 23 * 3_600_000);
    const carried = await scanAt(later);
    expect(carried.runCommands).toBe(0);
    expect(carried.verdict.nodeProbe).toEqual({ probedAt: now, pools: first.verdict.nodeProbe!.pools });
    const nodeCertificates = (v: typeof first.verdict) => v.certificates.filter((c) => ['kubelet-client', 'kubelet-serving', 'node-apiserver'].includes(c.source));
    expect(nodeCertificates(carried.verdict)).toEqual(nodeCertificates(first.verdict));
    expect(carried.verdict.findings.map((f) => f.code)).toContain('CERT_EXPIRING_SOON');

    const next = await scanAt(new Date(now.getTime() + 24 * 3_600_000));
    expect(next.runCommands).toBe(2);
    expect(next.verdict.nodeProbe?.probedAt).toEqual(new Date(now.getTime() + 24 * 3_600_000));
    // Nothing the nodes printed but certificate facts reaches the trail.
    expect(await allStoredText(tables)).not.toMatch(/akscert-node-probe|\[stdout\]|PRIVATE KEY/);
  });
});
