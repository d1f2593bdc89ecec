/**
 * Rotations made to fail on demand, per cluster: the next `times` rotations of a cluster end `Failed`
 * (optionally leaving one agent pool `Failed` too, as a rotation that could not finish on a pool's
 * nodes does), and the ones after succeed, so that a test can drive a rerun.
 */
import { clusterKey } from './fleetIndex.js';
import type { SimulatedArmError, SimulatedCluster } from './fleet.js';
import type { OperationFailure } from './operations.js';

export interface RotationFailurePlan {
  /** How many of the cluster's next rotations fail (>= 1). */
  times: number;
  /** ARM's error in the operation status; default AKS's for a pool that failed to reconcile, else InternalServerError. */
  error?: SimulatedArmError;
  /** The agent pool each failure leaves with provisioningState `Failed`. */
  failedPool?: string;
}

function defaultError(failedPool: string | undefined): SimulatedArmError {
  return failedPool === undefined
    ? { status: 500, code: 'InternalServerError', message: 'The certificate rotation failed.' }
    : { status: 500, code: 'ReconcileVMSSAgentPoolFailed', message: `Agent pool '${failedPool}' failed to reconcile: its nodes did not take the new certificates.` };
}

/** The lower-cased id of a cluster resource, whatever spelling the caller or the fleet uses. */
function keyOf(clusterId: string): string {
  const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i.exec(clusterId.trim());
  return match ? clusterKey(match[1]!, match[2]!, match[3]!) : clusterId.trim().toLowerCase();
}

export class RotationFailures {
  private readonly plans = new Map<string, { remaining: number; failure: OperationFailure }>();

  plan(clusterId: string, plan: RotationFailurePlan): void {
    if (!(Number.isInteger(plan.times) && plan.times >= 1)) throw new RangeError(`a rotation failure plan needs times >= 1, got ${plan.times}`);
    const failure: OperationFailure = { ...(plan.error ?? defaultError(plan.failedPool)), ...(plan.failedPool !== undefined ? { failedPool: plan.failedPool } : {}) };
    this.plans.set(keyOf(clusterId), { remaining: plan.times, failure });
  }

  /** The failure of this rotation of the cluster, if one is planned (consuming it). */
  take(cluster: SimulatedCluster): OperationFailure | undefined {
    const key = keyOf(cluster.resource.id);
    const entry = this.plans.get(key);
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.plans.delete(key);
    return { ...entry.failure };
  }
}

/** Whether a recorded request is a rotateClusterCertificates POST to this cluster (any case, as ARM matches paths). */
export function isRotateRequestOf(clusterId: string, request: { method: string; path: string }): boolean {
  return request.method === 'POST' && request.path.toLowerCase() === `${keyOf(clusterId)}/rotateclustercertificates`;
}
