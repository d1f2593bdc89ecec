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
  rotationId: string;
  attempt: number;
  operationId: string;
  reasons: string[];
  actor: string;
  message: string;
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
