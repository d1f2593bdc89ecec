/**
 * Rotation tests' fixtures: a small fleet with real certificates built the way dev/demoFleet/ builds
 * them (due, fresh, stopped, failed, tagged off, window closed), and the orchestrator's dependencies
 * wired to the real parts: ArmRotation through the SDK to the simulator, the records, leases and
 * trail in Azurite, rescans through runScan.
 */
import { TableClient } from '@azure/data-tables';
import { buildDemoCluster, sharedKeys } from '../../dev/demoFleet/buildCluster.js';
import { issuedDaysAgo, systemPool, verdict, type DemoClusterSpec } from '../../dev/demoFleet/clusterSpec.js';
import { DEMO_SUBSCRIPTIONS, DEMO_TENANT_ID } from '../../dev/demoFleet/index.js';
import type { SimulatedFleet, SimulatedMaintenanceConfiguration } from '../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../dev/armSimulator/server.js';
import { ArmClients } from '../../shared/azure/armClients.js';
import { ArmRotation } from '../../shared/azure/armRotation.js';
import { armTarget } from '../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../shared/azure/credential.js';
import { principalOf } from '../../shared/azure/credentialPrincipal.js';
import { parsePolicy, type Policy } from '../../shared/domain/policy.js';
import type { RotationDependencies } from '../../shared/rotation/orchestratorPorts.js';
import { runScan } from '../../shared/scan/runScan.js';
import type { ComplianceStore } from '../../shared/store/complianceStore.js';
import { RotationLeasesTable } from '../../shared/store/rotationLeases.js';
import { RotationRecordsTable, rotationTables } from '../../shared/store/rotationRecords.js';
import { ensureTable } from '../../shared/store/tableBatch.js';
import { fleetReaderFor, TEST_TOKEN } from './environment.js';

export const ROTATION_SUBSCRIPTION = DEMO_SUBSCRIPTIONS.sandbox.subscriptionId;
export const AUTO_POLICY: Policy = parsePolicy({ rotation: { mode: 'auto', maxConcurrent: 20, maxConcurrentPerSubscription: 20, cooldownHours: 24 } });

/** A window that opened an hour ago and stays open for 6 more: open now. */
function dailyWindow(now: Date, startsInHours: number): SimulatedMaintenanceConfiguration {
  const start = new Date(now.getTime() + startsInHours * 3_600_000);
  const hhmm = `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')}`;
  return { name: 'aksManagedNodeOSUpgradeSchedule', properties: { maintenanceWindow: { schedule: { daily: { intervalDays: 1 } }, durationHours: 4, utcOffset: '+00:00', startTime: hhmm } } };
}

const spec = (name: string, extra: Partial<DemoClusterSpec> = {}): DemoClusterSpec => ({
  subscription: 'sandbox', name, resourceGroup: 'rg-rotation', location: 'westeurope', tags: {}, kubernetesVersion: '1.30.4',
  pools: [systemPool('Standard_D2ds_v5', 1)], ...issuedDaysAgo(120),
  expected: verdict('violation', [], [], 'rotation test cluster'), ...extra,
});

/** Names of the clusters `rotationFleet` holds, by what they are for. */
export const ROTATION_CLUSTERS = {
  due: ['due-a', 'due-b', 'due-c'],
  dueInOpenWindow: 'due-window-open',
  dueInClosedWindow: 'due-window-closed',
  stopped: 'due-stopped',
  failed: 'due-failed',
  taggedOff: 'due-tagged-off',
  fresh: 'fresh',
} as const;

export async function rotationFleet(now: Date, extra: string[] = []): Promise<SimulatedFleet> {
  const keys = await sharedKeys();
  const secrets = new Set<string>();
  const specs = [
    ...ROTATION_CLUSTERS.due.map((name) => spec(name)),
    ...extra.map((name) => spec(name)),
    spec(ROTATION_CLUSTERS.dueInOpenWindow),
    spec(ROTATION_CLUSTERS.dueInClosedWindow),
    spec(ROTATION_CLUSTERS.stopped, { powerState: 'Stopped' }),
    spec(ROTATION_CLUSTERS.failed, { provisioningState: 'Failed' }),
    spec(ROTATION_CLUSTERS.taggedOff, { tags: { 'aks-cert-compliance/rotation': 'off' } }),
    spec(ROTATION_CLUSTERS.fresh, { ...issuedDaysAgo(5) }),
  ];
  const clusters = await Promise.all(specs.map((s) => buildDemoCluster(s, now, DEMO_TENANT_ID, keys, secrets)));
  for (const cluster of clusters) {
    if (cluster.resource.name === ROTATION_CLUSTERS.dueInOpenWindow) cluster.maintenanceConfigurations = [dailyWindow(now, -1)];
    if (cluster.resource.name === ROTATION_CLUSTERS.dueInClosedWindow) cluster.maintenanceConfigurations = [dailyWindow(now, 8)];
  }
  return { subscriptions: [{ ...DEMO_SUBSCRIPTIONS.sandbox, tenantId: DEMO_TENANT_ID }], clusters, secrets: [...secrets] };
}

export function clusterIdOf(fleet: SimulatedFleet, name: string): string {
  return fleet.clusters.find((c) => c.resource.name === name)!.resource.id;
}

/** The rotation records and leases in an Azurite. */
export async function rotationStoreOf(connectionString: string): Promise<{ records: RotationRecordsTable; leases: RotationLeasesTable }> {
  const tables = rotationTables((name) => TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true }));
  await Promise.all([ensureTable(tables.records), ensureTable(tables.leases)]);
  return { records: new RotationRecordsTable(tables.records), leases: new RotationLeasesTable(tables.leases) };
}

/** The orchestrator's dependencies, every one a real part. */
export function rotationDependenciesFor(
  simulator: ArmSimulator,
  store: ComplianceStore,
  rotation: { records: RotationRecordsTable; leases: RotationLeasesTable },
  policy: Policy = AUTO_POLICY,
): RotationDependencies {
  const target = armTarget('AzureCloud', simulator.url);
  const credential = new StaticTokenCredential(TEST_TOKEN);
  const fleet = fleetReaderFor(simulator);
  return {
    arm: new ArmRotation(new ArmClients(target, credential), { retries: 1, baseDelayMs: 10, maxDelayMs: 50 }),
    ...rotation, trail: store, policy,
    rescan: async (cluster) => (await runScan({ clusters: [cluster], policy }, { fleet, store })).report.clusters[0],
    actor: () => principalOf(credential, target.scope, 'rotation-tests'),
  };
}
