/**
 * PlatformFleet in runScan, against the ARM simulator (the SDK for AKS, the core REST client for AKS
 * enabled by Azure Arc) and Azurite: one scan lists and judges both kinds, a rescan by id reads each
 * through its own platform, and a full scan records the deletion of an Arc cluster ARM no longer has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_SUBSCRIPTIONS, DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { ArcFleet } from '../../../shared/azure/arcFleet.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { runScan } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { PlatformFleet } from '../../../shared/wiring/platformFleet.js';
import { azuriteStore, fleetReaderFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { rotationFleet } from '../../support/rotation.js';

const now = new Date();
const { staging, sandbox } = { staging: DEMO_SUBSCRIPTIONS.staging.subscriptionId, sandbox: DEMO_SUBSCRIPTIONS.sandbox.subscriptionId };
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let fleet: PlatformFleet;

beforeAll(async () => {
  const secrets = new Set<string>();
  const [aks, connectedClusters] = await Promise.all([rotationFleet(now), buildArcClusters(now, DEMO_TENANT_ID, secrets)]);
  simulator = await simulatorFor({ subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters: aks.clusters, connectedClusters, secrets: [...secrets, ...aks.secrets] }, { pageSize: 3 });
  ({ azurite, store, tables } = await azuriteStore());
  fleet = new PlatformFleet(fleetReaderFor(simulator), new ArcFleet(new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN))));
}, 60_000);
afterAll(async () => Promise.all([simulator?.close(), azurite?.stop()]));

describe('PlatformFleet', () => {
  it('lists and judges AKS and AKS Arc clusters in one scan, each by its own rules', async () => {
    const { report, storeError } = await runScan({ subscriptionIds: [staging, sandbox], policy: DEFAULT_POLICY }, { fleet, store });
    expect(storeError).toBeUndefined();
    expect(report.scan.errors).toEqual([]);
    const byPlatform = (platform: string) => report.clusters.filter((c) => c.platform === platform).map((c) => c.name).sort();
    expect(byPlatform('aks-arc')).toEqual(['aks-arc-depot-11', 'aks-arc-kiosk-22']);
    expect(byPlatform('aks')).toHaveLength(simulator.fleet.clusters.length);
    const depot = report.clusters.find((c) => c.name === 'aks-arc-depot-11')!;
    expect([depot.status, depot.action, depot.autoRotation, depot.findings.map((f) => f.code)]).toEqual(['violation', 'alert', { eligible: false, reasons: [] }, ['ARC_CONNECTIVITY_EXPIRED']]);
    expect(report.clusters.find((c) => c.name === 'due-a')).toMatchObject({ platform: 'aks', status: 'violation' });
  });

  it('rescans clusters by id through the reader of their platform, and says which no longer exist', async () => {
    const kiosk = parseClusterId(simulator.fleet.connectedClusters!.find((c) => c.resource.name === 'aks-arc-kiosk-22')!.resource.id)!;
    const due = parseClusterId(simulator.fleet.clusters.find((c) => c.resource.name === 'due-a')!.resource.id)!;
    const gone = { ...kiosk, id: kiosk.id.replace('aks-arc-kiosk-22', 'aks-arc-gone'), name: 'aks-arc-gone' };
    const { report, missing } = await runScan({ clusters: [kiosk, due, gone], policy: DEFAULT_POLICY }, { fleet, store });
    expect(report.clusters.map((c) => [c.name, c.platform]).sort()).toEqual([['aks-arc-kiosk-22', 'aks-arc'], ['due-a', 'aks']]);
    expect(missing).toEqual([gone.id]);
  });

  it('records the deletion of an Arc cluster ARM no longer lists nor returns, and the trail verifies', async () => {
    const connected = simulator.fleet.connectedClusters!;
    const depot = connected.splice(connected.findIndex((c) => c.resource.name === 'aks-arc-depot-11'), 1)[0]!;
    const { report, deleted } = await runScan({ subscriptionIds: [staging], policy: DEFAULT_POLICY }, { fleet, store });
    expect(report.scan.deletionsRecorded).toBe(1);
    expect(deleted?.map((c) => c.id)).toEqual([depot.resource.id]);
    expect(await verifyChains(tables)).toMatchObject({ intact: true, findings: [] });
  });
});
