import { readFile } from 'node:fs/promises';
import type { AuditTables } from '../audit/auditTables.js';
import { TlsApiServerProbe } from '../azure/apiServerProbe.js';
import { ArmClients } from '../azure/armClients.js';
import { ArmFleet } from '../azure/armFleet.js';
import { ArmRotation } from '../azure/armRotation.js';
import { ResourceGraphFleet } from '../azure/resourceGraphFleet.js';
import { VmssNodeProbe, type NodeProbeHistory } from '../azure/nodeProbe.js';
import { TrailNodeProbes } from '../audit/lastNodeProbe.js';
import { ArcFleet } from '../azure/arcFleet.js';
import { armTarget } from '../azure/cloud.js';
import { ArmVersionSupport, RegionVersionCache } from '../azure/versionSupport.js';
import { createArmCredential } from '../azure/credential.js';
import type { CloudName, Config } from '../config.js';
import { PolicyError } from '../domain/errors.js';
import { DEFAULT_POLICY, parsePolicyJson, type Policy } from '../domain/policy.js';
import { ScanQueues } from '../queue/scanQueues.js';
import { RescanScheduler } from '../queue/rescanScheduler.js';
import { scanConcurrency } from '../scan/runScan.js';
import { evidenceCarry } from '../scan/evidenceCarry.js';
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

/** The SDK clients of the ARM target the configuration names (one write budget per subscription, one Resource Graph quota). */
export function armClients(config: Config, overrides: ArmOverrides = {}): ArmClients {
  const target = armTarget(overrides.cloud ?? config.AZURE_CLOUD, overrides.armEndpoint ?? config.ARM_ENDPOINT);
  return new ArmClients(target, createArmCredential(target, config.AZURE_STATIC_TOKEN));
}

/** AKS (the SDK) and AKS enabled by Azure Arc (the REST client) through one set of clients: one credential, one write budget per subscription. */
export function createFleetReader(config: Config, overrides: ArmOverrides = {}, clients = armClients(config, overrides)): PlatformFleet {
  return new PlatformFleet(new ArmFleet(clients), new ArcFleet(clients));
}

/** DISCOVERY: Resource Graph (falling back to the per-subscription listing under `auto`), or none under `arm`. */
export function createFleetDiscovery(config: Config, overrides: ArmOverrides = {}, clients = armClients(config, overrides)): { source: ResourceGraphFleet; fallBack: boolean } | undefined {
  if (config.DISCOVERY === 'arm') return undefined;
  return { source: new ResourceGraphFleet(clients), fallBack: config.DISCOVERY === 'auto' };
}

/** Resource Manager's side of certificate rotation (the orchestrator's `ClusterRotationApi`), as the fleet is reached. */
export function createClusterRotation(config: Config, overrides: ArmOverrides = {}): ArmRotation {
  return new ArmRotation(armClients(config, overrides));
}

export function createApiServerProbe(config: Config, overrides: ArmOverrides = {}): TlsApiServerProbe | undefined {
  const customArm = (overrides.armEndpoint ?? config.ARM_ENDPOINT) !== undefined;
  const probe = config.APISERVER_PROBE === 'auto' ? !customArm || config.APISERVER_CONNECT_TO !== undefined : config.APISERVER_PROBE === 'on';
  return probe ? new TlsApiServerProbe({ connectTo: config.APISERVER_CONNECT_TO }) : undefined;
}

/** What the node probe may change per scan: on or off (`--node-probe`), and whether it reads its last results from the trail. */
export interface NodeProbeOverrides {
  nodeProbe?: boolean;
  /** The trail's latest verdicts, for NODE_PROBE_HOURS; default COMPLIANCE_STORAGE's. `false`: probe every time (`--no-store`). */
  nodeProbeHistory?: NodeProbeHistory | false;
}

/**
 * What every scan reads through, from configuration: ARM, Resource Graph, the API-server probe, further
 * evidence sources (version support; the node probe when on), how many calls at once, and when
 * recorded evidence is carried.
 */
export function scanSources(config: Config, overrides: ArmOverrides & NodeProbeOverrides = {}) {
  const target = armTarget(overrides.cloud ?? config.AZURE_CLOUD, overrides.armEndpoint ?? config.ARM_ENDPOINT);
  // One set of clients: the node probe's run commands draw from the same write budget as the credential listings.
  const clients = new ArmClients(target, createArmCredential(target, config.AZURE_STATIC_TOKEN));
  const nodeProbeOn = overrides.nodeProbe ?? config.NODE_PROBE === 'on';
  const history = nodeProbeOn ? overrides.nodeProbeHistory ?? new TrailNodeProbes(complianceTables(complianceStorage(config).table).state) : undefined;
  const nodeProbe = nodeProbeOn ? new VmssNodeProbe(clients, { everyHours: config.NODE_PROBE_HOURS, ...(history ? { history } : {}) }) : undefined;
  return {
    fleet: createFleetReader(config, overrides, clients),
    discovery: createFleetDiscovery(config, overrides, clients),
    apiServerProbe: createApiServerProbe(config, overrides),
    concurrency: scanConcurrency(config.SCAN_CONCURRENCY),
    /**
     * A getter: each scan's `{ ...sources }` takes fresh sources, so the region version cache lives
     * as long as one scan (one listKubernetesVersions per region per scan), never a process.
     */
    get evidenceSources() {
      return [new ArmVersionSupport(clients, new RegionVersionCache()), ...(nodeProbe ? [nodeProbe] : [])];
    },
    carry: evidenceCarry(config.FULL_REFRESH_HOURS, config.SCAN_SCHEDULE),
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
