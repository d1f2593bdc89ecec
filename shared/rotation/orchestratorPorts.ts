import type { ClusterId } from '../domain/clusterId.js';
import type { Policy } from '../domain/policy.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import type { ClusterRotationApi } from './ports.js';
import type { RotationLeases, RotationRecords } from './rotationRecord.js';

/** A rotation step as a row of the cluster's chain (store/complianceStore.ts `recordRotationEvent`). */
export interface RotationStep {
  clusterId: string;
  subscriptionId: string;
  recordedAt: Date;
  event: 'ROTATION_STARTED' | 'ROTATION_SUCCEEDED' | 'ROTATION_FAILED';
  /** The rotation record's id: with the event, what wrote the row (idempotency: a retry lands on the same row). */
  rotationId: string;
  attempt: number;
  /** ARM's operation id; '' when the operation was lost (an instance stopped between the POST and its record). */
  operationId: string;
  /** The finding codes the rotation cures: why it was started. */
  reasons: string[];
  /** Who acted: the credential's principal (never a token). */
  actor: string;
  /** What happened, in words: the ARM error of a failure, whether the rescan verified a success. */
  message: string;
  /** Every kubeconfig of the cluster must be fetched again after a rotation: the command that does. */
  refreshCommand: string;
}

/** Where rotation steps join the audit trail. */
export interface RotationTrail {
  recordRotationEvent(step: RotationStep): Promise<'recorded' | 'unknown-cluster'>;
}

/** What `remediate` and `pollRotations` act through; the wiring joins the adapters (wiring/rotation.ts). */
export interface RotationDependencies {
  arm: ClusterRotationApi;
  records: RotationRecords;
  leases: RotationLeases;
  trail: RotationTrail;
  policy: Policy;
  /** Rescans one cluster through the scan path (recorded like any scan) and returns its verdict. */
  rescan(cluster: ClusterId): Promise<ClusterVerdict | undefined>;
  /** Who acts: the credential's principal, or the configured name (never a token). */
  actor(): Promise<string>;
  now?: () => Date;
  /** Progress and problems, one line each (a Function's context.log, the CLI's stderr). */
  log?: (line: string) => void;
}
