import { readFile } from 'node:fs/promises';
import type { AuditTables } from '../audit/auditTables.js';
import { TlsApiServerProbe } from '../azure/apiServerProbe.js';
import { ArmClients } from '../azure/armClients.js';
import { ArmFleet } from '../azure/armFleet.js';
import { ArmRotation } from '../azure/armRotation.js';
import { ArcFleet } from '../azure/arcFleet.js';
import { armTarget } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import type { CloudName, Config } from '../config.js';
import { PolicyError } from '../domain/errors.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../domain/policy.js';
import { ScanQueues } from '../queue/scanQueues.js';
import { RescanScheduler } from '../queue/rescanScheduler.js';
import { scanConcurrency } from '../scan/runScan.js';
import { blobCheckpointMirror } from '../audit/checkpointMirror.js';
import { BlobCheckpointMirror } from '../store/checkpointMirror.js';
import { ComplianceStore, complianceTables } from '../store/complianceStore.js';
import { PENDING_RESCANS_TABLE, PendingRescansTable } from '../store/pendingRescans.js';
import { ensureTable } from '../store/tableBatch.js';
import { PlatformFleet } from './platformFleet.js';
import { storageClients, type StorageClients } from './storage.js';

/** The wiring of real adapters from configuration: the one place that knows which adapter serves which port. */
export interface ArmOverrides {
  cloud?: CloudName;
  armEndpoint?: string;
}

/** AKS (the SDK) and AKS enabled by Azure Arc (the REST client) through one set of clients: one credential, one write budget per subscription. */
export function createFleetReader(config: Config, overrides: ArmOverrides = {}): PlatformFleet {
  const target = armTarget(overrides.cloud ?? config.AZURE_CLOUD, overrides.armEndpoint ?? config.ARM_ENDPOINT);
  const clients = new ArmClients(target, createArmCredential(target, config.AZURE_STATIC_TOKEN));
  return new PlatformFleet(new ArmFleet(clients), new ArcFleet(clients));
}

/** Resource Manager's side of certificate rotation (the orchestrator's `ClusterRotationApi`), as the fleet is reached. */
export function createClusterRotation(config: Config, overrides: ArmOverrides = {}): ArmRotation {
  const target = armTarget(overrides.cloud ?? config.AZURE_CLOUD, overrides.armEndpoint ?? config.ARM_ENDPOINT);
  return new ArmRotation(new ArmClients(target, createArmCredential(target, config.AZURE_STATIC_TOKEN)));
}

export function createApiServerProbe(config: Config, overrides: ArmOverrides = {}): TlsApiServerProbe | undefined {
  const customArm = (overrides.armEndpoint ?? config.ARM_ENDPOINT) !== undefined;
  const probe = config.APISERVER_PROBE === 'auto' ? !customArm || config.APISERVER_CONNECT_TO !== undefined : config.APISERVER_PROBE === 'on';
  return probe ? new TlsApiServerProbe({ connectTo: config.APISERVER_CONNECT_TO }) : undefined;
}

/** What every scan reads through, from configuration: ARM, the API-server probe, and how many calls at once. */
export function scanSources(config: Config, overrides: ArmOverrides = {}) {
  return {
    fleet: createFleetReader(config, overrides),
    apiServerProbe: createApiServerProbe(config, overrides),
    concurrency: scanConcurrency(config.SCAN_CONCURRENCY),
  };
}

/** COMPLIANCE_STORAGE's clients; an account URL is reached with the managed identity (never the static ARM token). */
export function complianceStorage(config: Config): StorageClients {
  return storageClients(config.COMPLIANCE_STORAGE, () => createArmCredential(armTarget(config.AZURE_CLOUD, config.ARM_ENDPOINT)));
}

/** The trail writer, its tables created when missing; it mirrors its checkpoints where CHECKPOINT_MIRROR says. */
export function openComplianceStore(config: Config, storage = complianceStorage(config)): Promise<ComplianceStore> {
  const mirror = config.CHECKPOINT_MIRROR ? new BlobCheckpointMirror(storage.blobContainer(config.CHECKPOINT_MIRROR)) : undefined;
  return ComplianceStore.open(complianceTables(storage.table), storage.where, mirror ? { mirror } : {});
}

/** The auditors' read-only view of the same tables (nothing is created), and of the checkpoint mirror. */
export function openAuditTables(config: Config, storage = complianceStorage(config)): AuditTables {
  const tables = complianceTables(storage.table);
  return config.CHECKPOINT_MIRROR ? { ...tables, mirror: blobCheckpointMirror(storage.blobContainer(config.CHECKPOINT_MIRROR)) } : tables;
}

export function openScanQueues(config: Config, storage = complianceStorage(config)): Promise<ScanQueues> {
  return ScanQueues.open(storage.queueService());
}

/** The debounce of event-driven rescans: its markers in PendingRescans, its scans on the scan-cluster queue. */
export async function openRescanScheduler(config: Config, queues: ScanQueues, storage = complianceStorage(config)): Promise<RescanScheduler> {
  const markers = storage.table(PENDING_RESCANS_TABLE);
  await ensureTable(markers);
  return new RescanScheduler(new PendingRescansTable(markers), queues, config.RESCAN_DEBOUNCE_SECONDS * 1000);
}

/** The policy from `--policy` or POLICY_FILE, else POLICY_JSON, else the defaults: the one place it is read. */
export async function loadPolicy(config: Config, policyFile = config.POLICY_FILE): Promise<Policy> {
  if (policyFile) {
    let text: string;
    try {
      text = await readFile(policyFile, 'utf8');
    } catch (error) {
      throw new PolicyError(`policy file ${policyFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
    }
    return parsePolicyJson(text, `policy file ${policyFile}`);
  }
  if (config.POLICY_JSON) return parsePolicyJson(config.POLICY_JSON, 'POLICY_JSON');
  return DEFAULT_POLICY;
}
