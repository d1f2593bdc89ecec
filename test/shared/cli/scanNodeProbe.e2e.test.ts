/** `akscert scan --node-probe`, the built CLI against the simulator: the nodes' certificates in the JSON report. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { buildDemoCluster, sharedKeys } from '../../../dev/demoFleet/buildCluster.js';
import { STAGING_CLUSTERS } from '../../../dev/demoFleet/stagingClusters.js';
import { DEMO_TENANT_ID, demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { runCli } from '../../support/cli.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;

beforeAll(async () => {
  const keys = await sharedKeys();
  const specs = STAGING_CLUSTERS.filter((spec) => ['aks-payments-stg-weu', 'aks-imagebuild-stg-weu'].includes(spec.name));
  const clusters = await Promise.all(specs.map((spec) => buildDemoCluster(spec, new Date(), DEMO_TENANT_ID, keys, new Set(), { nodes: true })));
  fleet = { subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters, secrets: [] };
  simulator = await simulatorFor(fleet);
});
afterAll(async () => simulator?.close());

const scan = (...flags: string[]) =>
  runCli(['scan', '--arm-endpoint', simulator.url, '--subscription', fleet.clusters[0]!.subscriptionId, '--no-store', '--no-apiserver-probe', '--output', 'json', ...flags], { AZURE_STATIC_TOKEN: TEST_TOKEN });

describe('akscert scan --node-probe', () => {
  it('adds the nodes\' certificates, the bootstrap evidence and the pools it could not probe to the report', async () => {
    const { code, stdout, stderr } = await scan('--node-probe');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const clusters = JSON.parse(stdout).clusters as Array<{ name: string; certificates: Array<{ source: string }>; autoRotation: { reasons: string[] }; findings: Array<{ source?: string; reason?: string }>; nodeProbe?: { probedAt: string; pools: unknown[] } }>;
    const payments = clusters.find((c) => c.name === 'aks-payments-stg-weu')!;
    expect(new Set(payments.certificates.map((c) => c.source))).toEqual(new Set(['cluster-ca', 'client', 'kubelet-client', 'kubelet-serving', 'node-apiserver']));
    expect(payments.autoRotation.reasons).toEqual(['TLS_BOOTSTRAP_DISABLED']);
    expect(payments.nodeProbe).toEqual({ probedAt: expect.stringMatching(/Z$/), pools: [{ pool: 'system', bootstrapKubeconfig: false }, { pool: 'payments', bootstrapKubeconfig: true }] });
    const imagebuild = clusters.find((c) => c.name === 'aks-imagebuild-stg-weu')!;
    expect(imagebuild.findings.filter((f) => f.source === 'node-probe')).toEqual([expect.objectContaining({ reason: 'error' })]);
  });

  it('reads no node without the flag (NODE_PROBE is off by default)', async () => {
    const before = simulator.requests.length;
    const { code, stdout } = await scan();
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/kubelet-|nodeProbe/);
    expect(simulator.requests.slice(before).filter((r) => /Microsoft\.Compute/i.test(r.path))).toEqual([]);
  });
});
