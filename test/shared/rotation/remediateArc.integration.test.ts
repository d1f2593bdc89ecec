/**
 * AKS enabled by Azure Arc clusters are never rotated: scanned through the real adapters (PlatformFleet
 * of the SDK's ArmFleet and the REST client's ArcFleet) to the simulator, recorded in Azurite, then
 * remediated with rotation on `auto`, by policy and by hand: every one is held as `arc_cluster`, and
 * the orchestrator sends Resource Manager nothing at all about them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { ArcFleet } from '../../../shared/azure/arcFleet.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { isRotationCandidate } from '../../../shared/domain/rotationGuards.js';
import { parsePolicy } from '../../../shared/domain/policy.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import { remediate } from '../../../shared/rotation/remediate.js';
import { runScan } from '../../../shared/scan/runScan.js';
import { PlatformFleet } from '../../../shared/wiring/platformFleet.js';
import { azuriteStore, fleetReaderFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { rotationDependenciesFor, rotationStoreOf } from '../../support/rotation.js';

// criticalDays 20: the kiosk's client certificate (12 days left) is CERT_EXPIRING_CRITICAL, which rotation cures on AKS.
const policy = parsePolicy({ criticalDays: 20, rotation: { mode: 'auto', maxConcurrent: 20, maxConcurrentPerSubscription: 20 } });
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let verdicts: ClusterVerdict[];
let deps: Awaited<ReturnType<typeof rotationDependenciesFor>>;

beforeAll(async () => {
  const secrets = new Set<string>();
  const connectedClusters = await buildArcClusters(new Date(), DEMO_TENANT_ID, secrets);
  simulator = await simulatorFor({ subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters: [], connectedClusters, secrets: [...secrets] });
  const started = await azuriteStore();
  azurite = started.azurite;
  const fleet = new PlatformFleet(fleetReaderFor(simulator), new ArcFleet(new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN))));
  const outcome = await runScan({ policy }, { fleet, store: started.store });
  expect(outcome.storeError).toBeUndefined();
  verdicts = outcome.report.clusters;
  deps = rotationDependenciesFor(simulator, started.store, await rotationStoreOf(azurite.connectionString), policy);
}, 60_000);
afterAll(async () => Promise.all([simulator?.close(), azurite?.stop()]));

describe('remediating AKS enabled by Azure Arc clusters', () => {
  it('scans every AKS Arc cluster of the fleet, with an alert where AKS would rotate', () => {
    expect(verdicts.map((v) => v.name).sort()).toEqual(['aks-arc-depot-11', 'aks-arc-factory-03', 'aks-arc-kiosk-22', 'aks-arc-store-0142', 'aks-arc-store-0187']);
    const kiosk = verdicts.find((v) => v.name === 'aks-arc-kiosk-22')!;
    expect(kiosk.findings.map((f) => f.code)).toEqual(['CERT_EXPIRING_CRITICAL']);
    expect(isRotationCandidate(kiosk)).toBe(true);
    expect(kiosk.action).toBe('alert');
    expect(verdicts.filter((v) => v.action === 'rotate')).toEqual([]);
  });

  it('holds every one as arc_cluster, by policy and by hand, without a single call to Resource Manager', async () => {
    const before = simulator.requests.length;
    const byPolicy = await remediate(verdicts, deps);
    const byHand = await remediate(verdicts, deps, { trigger: 'manual' });
    expect(byPolicy.map((o) => [o.name, o.remediation])).toEqual([['aks-arc-kiosk-22', { state: 'held', reason: 'arc_cluster' }]]);
    expect(byHand.map((o) => o.remediation)).toEqual(verdicts.map(() => ({ state: 'held', reason: 'arc_cluster' })));
    expect(simulator.requests.slice(before)).toEqual([]);
    expect(simulator.requests.filter((r) => /rotateClusterCertificates/i.test(r.path))).toEqual([]);
    expect(await deps.records.list()).toEqual([]);
  });
});
