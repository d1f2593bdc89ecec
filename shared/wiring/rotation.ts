import { armTarget } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import { principalOf } from '../azure/credentialPrincipal.js';
import type { Config } from '../config.js';
import type { Policy } from '../domain/policy.js';
import type { Alerting, RotationStep as AlertedRotationStep } from '../alerts/alerting.js';
import { clusterIdentity, parseClusterId } from '../domain/clusterId.js';
import { messageOf } from '../domain/errors.js';
import type { RotationDependencies, RotationStep, RotationTrail } from '../rotation/orchestratorPorts.js';
import type { ScanDependencies, ScanOutcome } from '../scan/runScan.js';
import { runScan } from '../scan/runScan.js';
import type { ComplianceStore } from '../store/complianceStore.js';
import { RotationLeasesTable } from '../store/rotationLeases.js';
import { RotationRecordsTable, rotationTables } from '../store/rotationRecords.js';
import { ensureTable } from '../store/tableBatch.js';
import { createClusterRotation, type ArmOverrides } from './adapters.js';
import { openAlerting } from './alerting.js';
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
  const alerting = await openAlerting(config, parts.storage);
  // Alerting never fails a rotation: what is recorded is decided again by the next scan's alerts.
  const alertingFailed = (error: unknown) => parts.log?.(`alerts were not decided: ${messageOf(error)}`);
  const trail = alerting ? new AlertedTrail(store, alerting, alertingFailed) : undefined;
  return {
    arm: createClusterRotation(config, parts.overrides), records, leases, policy: parts.policy,
    trail: trail ?? store,
    rescan: async (cluster) => {
      // A rotation renews the certificates: its verification reads them, never carries them.
      const outcome = await runScan({ clusters: [{ id: cluster.id, subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup, name: cluster.name }], policy: parts.policy, fullRead: true }, { ...parts.sources, store });
      if (outcome.storeError) parts.log?.(`the rescan of ${cluster.id} was not recorded: ${outcome.storeError.message}`);
      trail?.rescanned(cluster.id, outcome);
      return outcome.report.clusters[0];
    },
    actor: () => principalOf(credential, target.scope, config.ROTATION_ACTOR),
    ...(parts.log ? { log: parts.log } : {}),
  };
}

/** The alert step a rotation step is, when on-call hears of it: started, failed twice, kubeconfigs to fetch again. */
export function alertedStepOf(step: Pick<RotationStep, 'event' | 'attempt'>): AlertedRotationStep | undefined {
  if (step.event === 'ROTATION_STARTED') return 'rotation_started';
  if (step.event === 'ROTATION_SUCCEEDED') return 'kubeconfig_refresh';
  return step.attempt >= 2 ? 'rotation_failed_twice' : undefined;
}

/**
 * Rotation steps join the cluster's alert conversation once they are in its trail. The rescan that
 * verifies a rotation comes before its last step is recorded; its verdict (what resolves the alert)
 * is decided after that step, so on-call hears "fetch the kubeconfigs again" while the alert is open.
 */
class AlertedTrail implements RotationTrail {
  private readonly rescans = new Map<string, ScanOutcome>();

  constructor(
    private readonly trail: RotationTrail,
    private readonly alerting: Alerting,
    private readonly failed: (error: unknown) => void,
  ) {}

  rescanned(clusterId: string, outcome: ScanOutcome): void {
    this.rescans.set(clusterIdentity(clusterId), outcome);
  }

  async recordRotationEvent(step: RotationStep): Promise<'recorded' | 'unknown-cluster'> {
    const outcome = await this.trail.recordRotationEvent(step);
    const alerted = alertedStepOf(step);
    const cluster = parseClusterId(step.clusterId);
    if (outcome === 'recorded' && alerted && cluster) {
      await this.alerting.rotation(cluster, alerted, `rotation-${step.rotationId}-${step.event}`, step.recordedAt).catch(this.failed);
    }
    const rescan = this.rescans.get(clusterIdentity(step.clusterId));
    if (rescan) {
      this.rescans.delete(clusterIdentity(step.clusterId));
      await this.alerting.afterScan(rescan).catch(this.failed);
    }
    return outcome;
  }
}
