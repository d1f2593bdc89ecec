import type { ClusterFacts } from '../domain/cluster.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { MaintenanceConfigurationSpec } from '../domain/maintenanceSchedule.js';

/** A started `rotateClusterCertificates`: enough to resume polling it from any instance, any time later. */
export interface RotationOperation {
  /** The operation's id (the last segment of its Azure-AsyncOperation / Location URL). */
  operationId: string;
  /** The SDK poller's serialized state (`poller.toString()`), restored by `checkRotation`. */
  resumeFrom: string;
  /** When the POST was accepted (ARM's clock when it says, else ours). */
  startedAt: Date;
}

export type RotationOperationStatus =
  | { status: 'running' }
  | { status: 'succeeded' }
  | { status: 'failed'; code: string; message: string }
  | { status: 'canceled' };

/** What the rotation orchestrator needs of Resource Manager (implemented by `azure/armRotation.ts`). */
export interface ClusterRotationApi {
  /** The cluster as ARM returns it now (a listing may be stale); undefined when ARM answers 404. */
  readCluster(cluster: ClusterId): Promise<ClusterFacts | undefined>;
  /** Its planned maintenance configurations (`maintenanceConfigurations.listByManagedCluster`). */
  listMaintenanceConfigurations(cluster: ClusterId): Promise<MaintenanceConfigurationSpec[]>;
  /** POSTs `rotateClusterCertificates` and returns once ARM accepted it (202), without waiting for the end. */
  startRotation(cluster: ClusterId): Promise<RotationOperation>;
  /** Polls the operation once, restoring the SDK's poller from its saved state. */
  checkRotation(operation: RotationOperation): Promise<RotationOperationStatus>;
}
