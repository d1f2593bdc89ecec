import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { ScanReport } from '../../../shared/domain/report.js';
import { runScan } from '../../../shared/scan/runScan.js';
import { ComplianceStore , type ComplianceTables } from '../../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import { allStoredText, apiServerProbeFor, azuriteStore, fleetReaderFor, simulatorFor, versionSupportFor } from '../../support/environment.js';

const now = new Date();
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let report: ScanReport;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now });
  simulator = await simulatorFor(fleet, { pageSize: 7 });
  ({ azurite, store, tables } = await azuriteStore());
  const outcome = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator), apiServerProbe: apiServerProbeFor(simulator), evidenceSources: [versionSupportFor(simulator)], store, now: () => now });
  expect(outcome.storeError).toBeUndefined();
  report = outcome.report;
});

afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const expectedClusters = () => fleet.clusters.filter((c) => c.expected);
const verdictOf = (id: string) => report.clusters.find((v) => v.id === id);

describe('runScan over the demo fleet (real SDKs -> ARM simulator, Azurite)', () => {
  it('reports every cluster of every readable subscription, across pages', () => {
    const readable = new Set(fleet.subscriptions.filter((s) => !s.listError).map((s) => s.subscriptionId));
    const listed = fleet.clusters.filter((c) => readable.has(c.subscriptionId));
    expect(report.clusters.map((v) => v.id).sort()).toEqual(listed.map((c) => c.resource.id).sort());
    expect(report.scan.subscriptions).toBe(fleet.subscriptions.length);
  });

  it('names the subscription it could not list, and scans the others anyway', () => {
    const broken = fleet.subscriptions.filter((s) => s.listError);
    expect(report.scan.errors.map((e) => e.scope)).toEqual(broken.map((s) => `/subscriptions/${s.subscriptionId}`));
    for (const error of report.scan.errors) expect(error.message).toMatch(/HTTP 403/);
  });

  it.each(['status', 'findings', 'reasons'] as const)('reaches the expected %s for every demo cluster', (aspect) => {
    for (const cluster of expectedClusters()) {
      const verdict = verdictOf(cluster.resource.id);
      const expected = cluster.expected!;
      const context = `${cluster.resource.name}: ${expected.purpose}`;
      if (aspect === 'status') expect(verdict?.status, context).toBe(expected.status);
      if (aspect === 'findings') expect([...new Set(verdict?.findings.map((f) => f.code))].sort(), context).toEqual([...expected.findingCodes].sort());
      if (aspect === 'reasons') expect(verdict?.autoRotation.reasons.slice().sort(), context).toEqual([...expected.autoRotationReasons].sort());
    }
  });

  it('reads the API server certificate of every public cluster from its TLS handshake', () => {
    for (const cluster of fleet.clusters.filter((c) => c.apiServer && !fleet.subscriptions.find((s) => s.subscriptionId === c.subscriptionId)?.listError)) {
      const apiserver = verdictOf(cluster.resource.id)?.certificates.filter((c) => c.source === 'apiserver');
      expect(apiserver?.map((c) => c.subject), cluster.resource.name).toEqual(['CN=apiserver']);
    }
  });

  it('gives a cluster whose credentials are all forbidden an unknown status and says why', () => {
    const forbidden = fleet.clusters.filter((c) => 'error' in (c.credentials.monitoring ?? {}) && 'error' in (c.credentials.user ?? {}));
    expect(forbidden.length).toBeGreaterThan(0);
    for (const cluster of forbidden) {
      const verdict = verdictOf(cluster.resource.id)!;
      expect(verdict.certificates.filter((c) => c.source === 'cluster-ca' || c.source === 'client')).toEqual([]);
      expect(verdict.findings).toContainEqual(expect.objectContaining({ code: 'CERT_SOURCE_UNAVAILABLE', reason: 'forbidden', message: expect.stringMatching(/HTTP 403/) }));
    }
  });

  it('records a latest-state row and a history row per cluster, and a scan row', async () => {
    for (const verdict of report.clusters) {
      const state = await tables.state.getEntity<{ status: string; hash: string }>(subscriptionKey(verdict.subscriptionId), clusterKey(verdict.id));
      expect(state.status).toBe(verdict.status);
      const history = await tables.history.getEntity<{ hash: string; previousHash: string }>(
        subscriptionKey(verdict.subscriptionId), `${clusterKey(verdict.id)}|${now.toISOString()}|${report.scan.id}`);
      expect(history.hash).toBe(state.hash);
    }
    const scans = [];
    for await (const row of tables.scans.listEntities<{ scanId: string; clusters: number }>()) scans.push(row);
    expect(scans).toContainEqual(expect.objectContaining({ scanId: report.scan.id, clusters: report.clusters.length }));
  });

  it('never lets a private key or token from a kubeconfig reach the tables or the report', async () => {
    expect(fleet.secrets.length).toBeGreaterThan(0);
    const stored = await allStoredText(tables);
    const reported = JSON.stringify(report);
    for (const secret of fleet.secrets) {
      expect(stored.includes(secret), 'a secret reached Table Storage').toBe(false);
      expect(reported.includes(secret), 'a secret reached the report').toBe(false);
    }
  });

  it('chains a second scan of a cluster to the first by hash', async () => {
    const later = new Date(now.getTime() + 60_000);
    const second = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator), store, now: () => later });
    const verdict = second.report.clusters[0]!;
    const partition = subscriptionKey(verdict.subscriptionId);
    const first = await tables.history.getEntity<{ hash: string }>(partition, `${clusterKey(verdict.id)}|${now.toISOString()}|${report.scan.id}`);
    const next = await tables.history.getEntity<{ previousHash: string }>(partition, `${clusterKey(verdict.id)}|${later.toISOString()}|${second.report.scan.id}`);
    expect(next.previousHash).toBe(first.hash);
  });
});
