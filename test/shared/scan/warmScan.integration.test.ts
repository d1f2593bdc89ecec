import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { applyRenewal, renewClusterCertificates } from '../../../dev/armSimulator/certificateRenewal.js';
import { buildDemoCluster, sharedKeys } from '../../../dev/demoFleet/buildCluster.js';
import { daysAgo, issuedDaysAgo, systemPool, verdict, type DemoClusterSpec } from '../../../dev/demoFleet/clusterSpec.js';
import { DEMO_SUBSCRIPTIONS, DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import type { ScanReport } from '../../../shared/domain/report.js';
import { makeClusterPageHandler } from '../../../shared/handlers/api/clusterPageHandler.js';
import { makeClustersHandler } from '../../../shared/handlers/api/clustersHandler.js';
import { makeScanClusterHandler } from '../../../shared/handlers/scanCluster.js';
import { formatReport } from '../../../shared/report/formatReport.js';
import { evidenceCarry } from '../../../shared/scan/evidenceCarry.js';
import { runScan } from '../../../shared/scan/runScan.js';
import { clusterKey, subscriptionKey } from '../../../shared/store/tableKeys.js';
import type { Services } from '../../../shared/wiring/services.js';
import { apiServerProbeFor, azuriteTables, simulatorFor } from '../../support/environment.js';
import { get, readOnlyTables } from '../../support/auditApi.js';
import { capturingContext } from '../../support/functionContext.js';
import { servicesFor } from '../../support/services.js';

const SUBSCRIPTION = DEMO_SUBSCRIPTIONS.sandbox.subscriptionId;
const SCHEDULE = '0 0 */6 * * *';
const HOUR_MS = 3_600_000;
const built = new Date();

const spec = (name: string, extra: Partial<DemoClusterSpec> = {}): DemoClusterSpec => ({
  subscription: 'sandbox', name, resourceGroup: 'rg-warm', location: 'westeurope', tags: {}, kubernetesVersion: '1.30.4',
  pools: [systemPool('Standard_D2ds_v5', 1, { nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202410.15.0' })],
  createdAt: daysAgo(400), ...issuedDaysAgo(10), expected: verdict('compliant', [], [], 'warm scan test cluster'), ...extra,
});

let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let services: Services;

beforeAll(async () => {
  const keys = await sharedKeys();
  const secrets = new Set<string>();
  const specs = [
    spec('steady-a'),
    spec('steady-b'),
    // Its certificates turn 60 days old (the policy's near-age warning) two hours from now.
    spec('near-age', { ca: { notBefore: daysAgo(60, -2 * HOUR_MS) }, client: { notBefore: daysAgo(60, -2 * HOUR_MS) } }),
    // No systemData: nothing dates its last change; carried once its API server serves the recorded certificate.
    spec('undated', { createdAt: undefined }),
    // No systemData, and no public API server to confirm its evidence by.
    spec('private-undated', { createdAt: undefined, privateCluster: true }),
    spec('forbidden', { credentials: 'all-forbidden' }),
    // Its API server has no public FQDN: never probed, which is no failed read.
    spec('private', { privateCluster: true }),
  ];
  const clusters = await Promise.all(specs.map((s) => buildDemoCluster(s, built, DEMO_TENANT_ID, keys, secrets)));
  fleet = { subscriptions: [{ ...DEMO_SUBSCRIPTIONS.sandbox, tenantId: DEMO_TENANT_ID }], clusters, secrets: [...secrets] };
  simulator = await simulatorFor(fleet);
  ({ services, azurite } = await servicesFor(simulator, { SCAN_SCHEDULE: SCHEDULE }));
});

afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const idOf = (name: string) => fleet.clusters.find((c) => c.resource.name === name)!.resource.id;
const ALL = ['steady-a', 'steady-b', 'near-age', 'undated', 'private-undated', 'forbidden', 'private'];

/** The clusters whose credentials were POSTed for while `scan` ran (counted at the simulator). */
async function credentialPostsDuring<T>(scan: () => Promise<T>): Promise<{ result: T; posted: string[] }> {
  const before = simulator.requests.length;
  const result = await scan();
  const posts = simulator.requests.slice(before).filter((r) => r.method === 'POST' && /\/listCluster\w*Credential$/i.test(r.path));
  const posted = ALL.filter((name) => posts.some((r) => r.path.toLowerCase().startsWith(`${idOf(name).toLowerCase()}/`)));
  return { result, posted };
}

const scanSubscription = () => credentialPostsDuring(() => services.scan({ subscriptionIds: [SUBSCRIPTION] }));
const verdictOf = (report: ScanReport, name: string) => report.clusters.find((v) => v.name === name)!;
const summary = (report: ScanReport) => report.clusters.map((v) => ({ name: v.name, status: v.status, findings: v.findings.map((f) => f.code).sort(), certificates: v.certificates.map((c) => c.sha256).sort() }));

let cold: ScanReport;
let warm: ScanReport;

describe('a warm scan (Azurite, the simulator through the real SDKs)', () => {
  it('reads every cluster on the first scan, and says each verdict was judged on evidence read now', async () => {
    const { result, posted } = await scanSubscription();
    cold = result.report;
    expect(posted).toEqual(ALL);
    for (const verdict of cold.clusters) expect(verdict.evidence, verdict.name).toEqual({ readAt: cold.scan.startedAt, carried: false });
  });

  it('makes no credential POST for an unchanged cluster far from every threshold, and reaches the same verdicts', async () => {
    const { result, posted } = await scanSubscription();
    warm = result.report;
    // The clusters near a threshold, unreadable last time, or without lastModifiedAt and a public API server to confirm by are read again.
    expect(posted).toEqual(['near-age', 'private-undated', 'forbidden']);
    expect(summary(warm)).toEqual(summary(cold));
    for (const name of ['steady-a', 'steady-b', 'private', 'undated']) expect(verdictOf(warm, name).evidence).toEqual({ readAt: cold.scan.startedAt, carried: true });
    for (const name of ['near-age', 'private-undated', 'forbidden']) expect(verdictOf(warm, name).evidence).toEqual({ readAt: warm.scan.startedAt, carried: false });
  });

  it('reads the API server again only with the certificates: a carried verdict holds the API server certificate read before', () => {
    expect(verdictOf(warm, 'steady-a').certificates.map((c) => c.source).sort()).toEqual(['apiserver', 'client', 'cluster-ca']);
  });

  it('says in the trail that a verdict was carried, and when its evidence was read', async () => {
    const tables = azuriteTables(azurite.connectionString);
    const row = await tables.history.getEntity<{ verdictJson: string }>(subscriptionKey(SUBSCRIPTION), `${clusterKey(idOf('steady-a'))}|${warm.scan.startedAt.toISOString()}|${warm.scan.id}`);
    expect(JSON.parse(row.verdictJson).evidence).toEqual({ readAt: cold.scan.startedAt.toISOString(), carried: true });
  });

  it('puts evidence {readAt, carried} in the JSON report', () => {
    const report = JSON.parse(formatReport(warm, 'json')) as { clusters: Array<{ name: string; evidence: unknown }> };
    expect(report.clusters.find((c) => c.name === 'steady-b')!.evidence).toEqual({ readAt: cold.scan.startedAt.toISOString(), carried: true });
    expect(report.clusters.find((c) => c.name === 'forbidden')!.evidence).toEqual({ readAt: warm.scan.startedAt.toISOString(), carried: false });
  });

  it('shows the evidence in /api/clusters and on the cluster page', async () => {
    const deps = { tables: readOnlyTables(azuriteTables(azurite.connectionString)) };
    const items = (await get(makeClustersHandler(deps), `/api/clusters?subscription=${SUBSCRIPTION}`)).json().items as Array<{ name: string; evidence: unknown }>;
    expect(items.find((i) => i.name === 'steady-a')!.evidence).toEqual({ readAt: cold.scan.startedAt.toISOString(), carried: true });
    expect(items.find((i) => i.name === 'private-undated')!.evidence).toEqual({ readAt: warm.scan.startedAt.toISOString(), carried: false });
    const page = await get(makeClusterPageHandler(deps), '/api/dashboard/clusters/x', { id: `${SUBSCRIPTION}~rg-warm~steady-a` });
    expect(page.text).toContain(`certificates read at <time datetime="${cold.scan.startedAt.toISOString()}">`);
    expect(page.text).toContain('(carried: the cluster was unchanged since)');
  });

  it('reads a cluster whose systemData.lastModifiedAt moved', async () => {
    const changed = simulator.fleet.clusters.find((c) => c.resource.name === 'steady-a')!;
    (changed.resource['systemData'] as Record<string, unknown>)['lastModifiedAt'] = new Date().toISOString();
    const { posted } = await scanSubscription();
    expect(posted).toEqual(['steady-a', 'near-age', 'private-undated', 'forbidden']);
  });

  it('reads a cluster without lastModifiedAt whose certificates were rotated outside the tool: its API server serves another certificate', async () => {
    const rotated = simulator.fleet.clusters.find((c) => c.resource.name === 'undated')!;
    const before = verdictOf(warm, 'undated').certificates.map((c) => c.sha256).sort();
    applyRenewal(rotated, await renewClusterCertificates(rotated), simulator.fleet);
    const { result, posted } = await scanSubscription();
    expect(posted).toContain('undated');
    const after = verdictOf(result.report, 'undated');
    expect(after.evidence).toEqual({ readAt: result.report.scan.startedAt, carried: false });
    // Every certificate is the renewed one: the kubeconfig's were read again, not carried beside the new API server's.
    expect(after.certificates.map((c) => c.sha256).sort().filter((sha) => before.includes(sha))).toEqual([]);
    expect(after.certificates.map((c) => c.source).sort()).toEqual(['apiserver', 'client', 'cluster-ca']);
    // And that read is carried by the next scan.
    expect((await scanSubscription()).posted).not.toContain('undated');
  });

  it('reads the cluster an event names, though its evidence could be carried', async () => {
    const handler = makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison: () => services.queues() });
    const { context } = capturingContext('scanCluster', { dequeueCount: 1 });
    const { posted } = await credentialPostsDuring(() => handler(
      { schemaVersion: 1, kind: 'scan-cluster', clusterId: idOf('steady-b'), subscriptionId: SUBSCRIPTION, trigger: 'leading', eventId: 'e-warm', requestedAt: new Date().toISOString() }, context));
    expect(posted).toEqual(['steady-b']);
  });

  it('reads every cluster when the scan asks for a full read (akscert scan --full)', async () => {
    const { posted } = await credentialPostsDuring(() => services.scan({ subscriptionIds: [SUBSCRIPTION], fullRead: true }));
    expect(posted).toEqual(ALL);
  });

  it('reads every cluster with FULL_REFRESH_HOURS=0', async () => {
    const store = await services.store();
    const { posted } = await credentialPostsDuring(() => runScan({ subscriptionIds: [SUBSCRIPTION], policy: cold.scan.policy }, { fleet: services.fleet, apiServerProbe: apiServerProbeFor(simulator), store, carry: evidenceCarry(0, SCHEDULE) }));
    expect(posted).toEqual(ALL);
  });

  it('carries evidence as long as no threshold comes near, and reads it once one does before the scan after next', async () => {
    const store = await services.store();
    const scanAt = (at: Date) => credentialPostsDuring(() => runScan({ subscriptionIds: [SUBSCRIPTION], policy: cold.scan.policy }, { fleet: services.fleet, apiServerProbe: apiServerProbeFor(simulator), store, carry: evidenceCarry(24 * 30, SCHEDULE), now: () => at }));
    const readAt = new Date();
    expect((await scanAt(new Date(readAt.getTime() + 20 * DAY_MS))).posted).toEqual(['near-age', 'private-undated', 'forbidden']);
    // Issued 10 days before the fleet was built: 60 days old (the near-age warning) 50 days after it.
    const { result, posted } = await scanAt(new Date(built.getTime() + 50 * DAY_MS - 3 * HOUR_MS));
    expect(posted).toContain('steady-b');
    expect(verdictOf(result.report, 'steady-b').evidence?.carried).toBe(false);
  });

  it('reads every cluster once its evidence is older than FULL_REFRESH_HOURS', async () => {
    const { posted } = await credentialPostsDuring(() => runScan({ subscriptionIds: [SUBSCRIPTION], policy: cold.scan.policy }, { fleet: services.fleet, apiServerProbe: apiServerProbeFor(simulator), store: services.store(), carry: evidenceCarry(24, SCHEDULE), now: () => new Date(built.getTime() + 52 * DAY_MS) }));
    expect(posted).toEqual(ALL);
  });
});

describe('the evidence a rotation voids', () => {
  it('is no longer carried once a rotation step joins the cluster\'s chain: the certificates were renewed', async () => {
    const store = await services.store();
    const id = idOf('steady-b');
    expect((await store.latestStates(SUBSCRIPTION)).recordedEvidence(id)).toBeDefined();
    await store.recordRotationEvent({
      clusterId: id, subscriptionId: SUBSCRIPTION, recordedAt: new Date(built.getTime() + 53 * DAY_MS), event: 'ROTATION_STARTED', rotationId: 'r-warm', attempt: 1,
      operationId: 'op-warm', reasons: ['CERT_AGE_NEAR_POLICY'], actor: 'test', message: 'started', refreshCommand: 'az aks get-credentials -g rg-warm -n steady-b',
    });
    expect((await store.latestStates(SUBSCRIPTION)).recordedEvidence(id)).toBeUndefined();
    expect((await store.latestStates(SUBSCRIPTION)).recordedEvidence(idOf('steady-a'))).toBeDefined();
  });
});
