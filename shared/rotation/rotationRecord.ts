import type { ClusterId } from '../domain/clusterId.js';
import type { RotationState } from '../domain/rotationGuards.js';

/**
 * One attempt at rotating a cluster's certificates, as it is stored (store/rotationRecords.ts) and
 * moved on by `remediate` and `pollRotations`. Written before the POST (`requested`), so that an
 * instance that stops at any point leaves a record the poller finds.
 */
export interface RotationRecord {
  /** This attempt's id (a UUID): the history rows of its steps are keyed by it. */
  id: string;
  /** The lease holder: one per rotation, shared by its rerun. */
  leaseHolder: string;
  clusterId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  state: RotationState;
  /** 1, or 2 for the rerun after a failure. */
  attempt: number;
  trigger: 'policy' | 'manual';
  /** The finding codes the rotation cures. */
  reasons: string[];
  /** The credential's principal that acted. */
  actor: string;
  requestedAt: Date;
  /** When ARM accepted the POST. */
  startedAt?: Date;
  finishedAt?: Date;
  operationId?: string;
  /** The SDK poller's saved state (no secret: URLs of the operation, no token). */
  resumeFrom?: string;
  errorCode?: string;
  errorMessage?: string;
  /** Set on success: whether the rescan showed renewed certificates. */
  verified?: boolean;
  /** Whether the history row of the current state is in the cluster's chain (`false` between the two writes). */
  trailed: boolean;
  /** The stored row's ETag: an update applies only to the row as it was read. */
  etag?: string;
}

/** What the orchestrator needs of the store of rotation records (store/rotationRecords.ts). */
export interface RotationRecords {
  create(record: RotationRecord): Promise<RotationRecord>;
  /** Replaces the record if unchanged since read; undefined when another instance moved it first. */
  update(record: RotationRecord): Promise<RotationRecord | undefined>;
  /** Every record, oldest first; only those in `state` when given. */
  list(filter?: { state?: RotationState; clusterId?: string; subscriptionId?: string }): Promise<RotationRecord[]>;
  /** The records a poller must move on: in flight, or with a history row still to write. */
  pending(): Promise<RotationRecord[]>;
}

/** The one-rotation-per-cluster lease (store/rotationLeases.ts). */
export interface RotationLeases {
  /** Takes the cluster's lease for `holder` unless someone else holds it (ETag-conditional); whether it is ours now. */
  take(cluster: { id: string; subscriptionId: string }, holder: string, until: Date, now: Date): Promise<boolean>;
  /** Who holds the lease now, if anyone. */
  holderOf(cluster: { id: string; subscriptionId: string }, now: Date): Promise<string | undefined>;
  /** Releases the lease if `holder` still holds it. */
  release(cluster: { id: string; subscriptionId: string }, holder: string): Promise<void>;
}

/** The cluster a record is about (its own `id` is the attempt's). */
export function clusterOf(record: Pick<RotationRecord, 'clusterId' | 'subscriptionId' | 'resourceGroup' | 'name'>): ClusterId {
  return { id: record.clusterId, subscriptionId: record.subscriptionId, resourceGroup: record.resourceGroup, name: record.name };
}
