/**
 * The demo's seeded past (Azurite + the ARM simulator, the way `akscert demo` wires them): the same
 * certificates as the demo's own scan, judged 14 and 7 days earlier.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDemoEnvironment, type DemoEnvironment } from '../../dev/demoEnvironment.js';
import { seedDemoHistory } from '../../dev/demoHistory.js';
import type { CertificateSource } from '../../shared/domain/certificate.js';
import { DEFAULT_POLICY } from '../../shared/domain/policy.js';
import type { ScanReport } from '../../shared/domain/report.js';
import { daysSinceRotation } from '../../shared/domain/verdictMetrics.js';
import { runScan } from '../../shared/scan/runScan.js';
import { ComplianceStore, type ComplianceTables } from '../../shared/store/complianceStore.js';
import { clusterHistoryPage } from '../../shared/audit/historyQueries.js';
import type { VerdictRecord } from '../../shared/store/historyRecord.js';
import { apiServerProbeFor, azuriteTables, fleetReaderFor, versionSupportFor } from '../support/environment.js';

const DAY = 86_400_000;
const now = new Date();
const fourteenDaysAgo = new Date(now.getTime() - 14 * DAY);
const sevenDaysAgo = new Date(now.getTime() - 7 * DAY);

let demo: DemoEnvironment;
let store: ComplianceStore;
let tables: ComplianceTables;
let seeded: number;
let current: ScanReport;

beforeAll(async () => {
  // Free ports, not Azurite's well-known ones: another demo may be running.
  demo = await startDemoEnvironment({ root: join(__dirname, '..', '..'), now, latencyMs: 0, azuritePorts: { blob: 0, queue: 0, table: 0 } });
  // As the demo calls it: the fleet the demo environment serves.
  seeded = await seedDemoHistory({ storage: demo.storage, tls: inject('devTls'), now, fleet: demo.fleet });
  tables = azuriteTables(demo.storage);
  store = await ComplianceStore.open(tables);
  const outcome = await runScan(
    { policy: DEFAULT_POLICY },
    // The sources the seeded past was read with (scanSources), so that now and then are judged alike.
    { fleet: fleetReaderFor(demo.simulator), apiServerProbe: apiServerProbeFor(demo.simulator), evidenceSources: [versionSupportFor(demo.simulator)], store, now: () => now },
  );
  expect(outcome.storeError).toBeUndefined();
  current = outcome.report;
}, 120_000);

afterAll(async () => {
  await demo?.stop();
});

/** The cluster's verdict records, oldest first. */
async function recordsOf(name: string): Promise<VerdictRecord[]> {
  const cluster = demo.fleet.clusters.find((c) => c.resource.name === name)!;
  const page = await clusterHistoryPage(tables.history, cluster.subscriptionId, cluster.resource.id, {}, { pageSize: 100 });
  expect(page.continuationToken).toBeUndefined();
  return page.items.flatMap((e) => (e.kind === 'verdict' ? [e] : []));
}

const serials = (record: VerdictRecord, source: CertificateSource) =>
  record.verdict.certificates.filter((c) => c.source === source).map((c) => c.serialNumber).sort();
const codes = (record: VerdictRecord) => [...new Set(record.verdict.findings.map((f) => f.code))].sort();

describe('seedDemoHistory', () => {
  it('seeds two scans into the empty store, and nothing once the store has scans', async () => {
    expect(seeded).toBe(2);
    expect(await seedDemoHistory({ storage: demo.storage, tls: inject('devTls'), now, fleet: demo.fleet })).toBe(0);
    const scans: Date[] = [];
    for await (const scan of tables.scans.listEntities<{ startedAt: Date }>()) scans.push(new Date(scan.startedAt));
    expect(scans.map((d) => d.getTime()).sort()).toEqual([fourteenDaysAgo, sevenDaysAgo, now].map((d) => d.getTime()));
  });

  it('records a cluster that was never rotated with the same certificates 14 days ago, 7 days ago and now, 7 days older each time', async () => {
    const records = await recordsOf('aks-checkout-prod-eus2'); // created and issued 400 days ago
    expect(records.map((r) => r.recordedAt)).toEqual([fourteenDaysAgo, sevenDaysAgo, now]);
    const [past, recent, latest] = records as [VerdictRecord, VerdictRecord, VerdictRecord];
    for (const source of ['cluster-ca', 'client', 'apiserver'] as const) {
      expect(serials(latest, source), source).toHaveLength(1);
      expect(serials(past, source), source).toEqual(serials(latest, source));
      expect(serials(recent, source), source).toEqual(serials(latest, source));
    }
    const days = records.map((r) => daysSinceRotation(r.verdict, r.recordedAt));
    expect(days).toEqual([386, 393, 400]);
  });

  it('judges the past by its own time: a cluster now over the 90-day policy was under it two weeks ago', async () => {
    const [past, recent, latest] = (await recordsOf('aks-pos-prod-eus2')) as [VerdictRecord, VerdictRecord, VerdictRecord]; // issued 100 days ago
    expect(serials(past, 'cluster-ca')).toEqual(serials(latest, 'cluster-ca'));
    // On Kubernetes 1.24 throughout: unsupported, and below 1.27 for kubelet serving certificate rotation.
    const versionCodes = ['KUBELET_SERVING_ROTATION_DISABLED', 'KUBERNETES_VERSION_UNSUPPORTED'];
    expect(codes(past)).toEqual(['AUTO_ROTATION_INELIGIBLE', 'CERT_AGE_NEAR_POLICY', ...versionCodes]); // 86 days
    expect(codes(recent)).toEqual(['AUTO_ROTATION_INELIGIBLE', 'CERT_AGE_EXCEEDS_POLICY', ...versionCodes]); // 93 days
    expect(codes(latest)).toEqual(['AUTO_ROTATION_INELIGIBLE', 'CERT_AGE_EXCEEDS_POLICY', ...versionCodes]); // 100 days
    expect([past, recent, latest].map((r) => r.verdict.status)).toEqual(['warning', 'violation', 'violation']);
  });

  it('leaves a cluster out of the scans from before its certificates were issued', async () => {
    // Created 400 days ago but rotated 12 days ago: its certificates of 14 days ago were never built.
    expect((await recordsOf('aks-search-stg-weu')).map((r) => r.recordedAt)).toEqual([sevenDaysAgo, now]);
    // Rotated 5 days ago.
    expect((await recordsOf('aks-mariner-sbx-neu')).map((r) => r.recordedAt)).toEqual([now]);
  });

  it('for every cluster: a past record only once all its certificates were issued, and always the certificates of now', async () => {
    for (const verdict of current.clusters) {
      const records = await recordsOf(verdict.name);
      const latest = records.at(-1)!;
      expect(latest.recordedAt, verdict.name).toEqual(now);
      const issued = Math.max(...verdict.certificates.map((c) => c.notBefore.getTime()));
      const expectedPast = [fourteenDaysAgo, sevenDaysAgo].filter((t) => !(issued > t.getTime()));
      expect(records.slice(0, -1).map((r) => r.recordedAt), verdict.name).toEqual(expectedPast);
      for (const record of records) {
        const of = (v: typeof verdict) => v.certificates.map((c) => `${c.source} ${c.serialNumber} ${c.notBefore.toISOString()}`).sort();
        expect(of(record.verdict), verdict.name).toEqual(of(verdict));
      }
    }
  });
});
