import { armTarget } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import { principalOf } from '../azure/credentialPrincipal.js';
import type { Config } from '../config.js';
import type { Policy } from '../domain/policy.js';
import type { RotationDependencies } from '../rotation/orchestratorPorts.js';
import type { ScanDependencies } from '../scan/runScan.js';
import { runScan } from '../scan/runScan.js';
import type { ComplianceStore } from '../store/complianceStore.js';
import { RotationLeasesTable } from '../store/rotationLeases.js';
import { RotationRecordsTable, rotationTables } from '../store/rotationRecords.js';
import { ensureTable } from '../store/tableBatch.js';
import { createClusterRotation, type ArmOverrides } from './adapters.js';
import type { StorageClients } from './storage.js';

/** The rotation records and leases in COMPLIANCE_STORAGE, their tables created when missing. */
export async function openRotationTables(storage: StorageClients): Promise<{ records: RotationRecordsTable; leases: RotationLeasesTable }> {
  const tables = rotationTables(storage.table);
  await Promise.all([ensureTable(tables.records), ensureTable(tables.leases)]);
  return { records: new RotationRecordsTable(tables.records), leases: new RotationLeasesTable(tables.leases) };
}

/** The rotation records for readers (the API, `akscert rotations`): no table is created. */
export function openRotationRecords(storage: StorageClients): RotationRecordsTable {
  return new RotationRecordsTable(rotationTables(storage.table).records);
}

/**
 * What the rotation orchestrator acts through, from configuration: ARM (the same endpoint and
 * credential as the scan), the records and leases, the trail, a rescan through the scan path, and
 * who acts (the credential's principal, else ROTATION_ACTOR).
 */
export async function rotationDependencies(
  config: Config,
  parts: { storage: StorageClients; store: ComplianceStore | Promise<ComplianceStore>; policy: Policy; sources: Omit<ScanDependencies, 'store'>; overrides?: ArmOverrides; log?: (line: string) => void },
): Promise<RotationDependencies> {
  const { records, leases } = await openRotationTables(parts.storage);
  const store = await parts.store;
  const target = armTarget(parts.overrides?.cloud ?? config.AZURE_CLOUD, parts.overrides?.armEndpoint ?? config.ARM_ENDPOINT);
  const credential = createArmCredential(target, config.AZURE_STATIC_TOKEN);
  return {
    arm: createClusterRotation(config, parts.overrides), records, leases, trail: store, policy: parts.policy,
    rescan: async (cluster) => {
      const outcome = await runScan({ clusters: [{ id: cluster.id, subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup, name: cluster.name }], policy: parts.policy }, { ...parts.sources, store });
      if (outcome.storeError) parts.log?.(`the rescan of ${cluster.id} was not recorded: ${outcome.storeError.message}`);
      return outcome.report.clusters[0];
    },
    actor: () => principalOf(credential, target.scope, config.ROTATION_ACTOR),
    ...(parts.log ? { log: parts.log } : {}),
  };
}
