/**
 * `akscert scan` of AKS enabled by Azure Arc clusters (the ARM simulator, through the core REST
 * client) into Azurite, then `akscert revocation`: the RenewRevocation manifest of a recorded
 * certificate, recorded in the cluster's history (REVOCATION_ISSUED), whose chain still verifies.
 */
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_SUBSCRIPTIONS, DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { clusterRefOf } from '../../../shared/domain/clusterId.js';
import { validateRevocationManifest } from '../../../shared/domain/revocationManifest.js';
import { runCli } from '../../support/cli.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const staging = DEMO_SUBSCRIPTIONS.staging.subscriptionId;
let azurite: RunningAzurite;
let simulator: ArmSimulator;
let env: Record<string, string>;
let kioskId: string;
let scanned: { clusters: Array<{ id: string; name: string; platform: string; status: string; action: string; certificates: Array<{ source: string; serialNumber: string }>; findings: Array<{ code: string }> }> };

beforeAll(async () => {
  const secrets = new Set<string>();
  const connectedClusters = await buildArcClusters(new Date(), DEMO_TENANT_ID, secrets);
  [azurite, simulator] = await Promise.all([
    startAzurite(),
    simulatorFor({ subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters: [], connectedClusters, secrets: [...secrets] }),
  ]);
  env = { COMPLIANCE_STORAGE: azurite.connectionString, AZURE_STATIC_TOKEN: TEST_TOKEN };
  const scan = await runCli(['scan', '--arm-endpoint', simulator.url, '--subscription', staging, '--no-apiserver-probe', '--output', 'json'], env);
  expect(scan.code, scan.stderr).toBe(0);
  scanned = JSON.parse(scan.stdout);
  kioskId = scanned.clusters.find((c) => c.name === 'aks-arc-kiosk-22')!.id;
}, 60_000);
afterAll(async () => Promise.all([azurite?.stop(), simulator?.close()]));

describe('akscert scan of AKS enabled by Azure Arc clusters', () => {
  it('reports them with their platform, judged by the Arc rules, and alerts instead of rotating', () => {
    expect(scanned.clusters.map((c) => [c.name, c.platform, c.status, c.action, c.findings.map((f) => f.code).sort().join(' ')]).sort()).toEqual([
      ['aks-arc-depot-11', 'aks-arc', 'violation', 'alert', 'ARC_CONNECTIVITY_EXPIRED'],
      ['aks-arc-kiosk-22', 'aks-arc', 'warning', 'none', 'CERT_EXPIRING_SOON'],
    ]);
  });
});

describe('akscert revocation', () => {
  it('prints the manifest for a recorded serial number, valid and ready for kubectl, and records it in the history', async () => {
    const client = scanned.clusters.find((c) => c.id === kioskId)!.certificates.find((c) => c.source === 'client')!;
    const { code, stdout, stderr } = await runCli(['revocation', clusterRefOf(kioskId), '--serial', client.serialNumber.toUpperCase(), '--not-before', '2026-11-20T08:00:00Z'], env);
    expect(stderr).toMatch(/^akscert: REVOCATION_ISSUED recorded in the history of aks-arc-kiosk-22; apply it with kubectl apply -f -/);
    expect(code).toBe(0);
    const manifest = validateRevocationManifest(stdout);
    expect(manifest).toMatchObject({ apiVersion: 'certificates.microsoft.com/v1', kind: 'RenewRevocation', metadata: { namespace: 'kube-system' } });
    expect(parse(stdout).spec.revocations).toEqual([{ description: expect.any(String), kind: 'serialnumber', serialNumber: client.serialNumber, notBefore: '2026-11-20T08:00:00Z' }]);

    const history = await runCli(['history', kioskId, '--output', 'json'], env);
    expect(history.code).toBe(0);
    const text = history.stdout;
    expect(text).toContain('REVOCATION_ISSUED');
    expect(text).toContain(client.serialNumber);
    const verify = await runCli(['verify', '--output', 'json'], env);
    expect(verify.code, verify.stdout).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ intact: true });
  });

  it('writes a group, DNS or IP revocation with its notBefore, as JSON when asked', async () => {
    const { code, stdout } = await runCli(['revocation', kioskId, '--group', 'system:nodes', '--not-before', '2026-11-20', '--output', 'json'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).spec.revocations[0]).toMatchObject({ kind: 'Group', group: 'system:nodes', notBefore: '2026-11-20T00:00:00Z' });
  });

  it('refuses bad input with one line naming it, exit 2, printing and recording nothing', async () => {
    const refusals: Array<[string[], RegExp]> = [
      [[kioskId, '--serial', 'ffff'], /--serial ffff: no certificate of the cluster's latest record has this serial number/],
      [[kioskId, '--dns', '.cluster.local'], /--not-before is required to revoke by DNS name/],
      [[kioskId, '--group', 'g', '--ip', '10.0.0.1'], /give exactly one of --serial, --group, --dns, --ip \(got --group, --ip\)/],
      [[`${staging}~rg-edge-depots~aks-arc-kiosk-22`, '--group', 'g', '--not-before', '2026-11-20'], /is an AKS cluster; RenewRevocation manifests are for AKS enabled by Azure Arc/],
      [[`${staging}~rg-edge-depots~nowhere~aks-arc`, '--group', 'g', '--not-before', '2026-11-20'], /the trail holds no verdict of .*nowhere; scan it first/],
    ];
    const before = await runCli(['history', kioskId, '--output', 'json'], env);
    const results = await Promise.all(refusals.map(([args]) => runCli(['revocation', ...args], env)));
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      expect(stderr, refusals[i]![0].join(' ')).toMatch(refusals[i]![1]);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect([code, stdout]).toEqual([2, '']);
    }
    expect((await runCli(['history', kioskId, '--output', 'json'], env)).stdout).toBe(before.stdout);
  });
});
