/**
 * Long-running cluster operations as ARM runs them (`rotateClusterCertificates`, `stop`, `start`,
 * `delete`): accepted with 202, observed through an operation-status resource (Azure-AsyncOperation)
 * and an operation-result resource (Location), during which the cluster's `provisioningState` reads
 * the action's busy state, and refused with 409 while another operation runs.
 *
 * What each action checks and changes lives in clusterActions.ts; this module owns the lifecycle.
 * Completion is driven by a timer, not by polls, so the cluster's state flips on time even when
 * nobody polls (as in ARM).
 */
import { randomUUID } from 'node:crypto';
import type { CallerRequest } from './armEvents.js';
import { busyStateOf, locationOf, setPoolProvisioningState, setProvisioningState, touchLastModified } from './clusterState.js';
import type { SimulatedArmError, SimulatedCluster } from './fleet.js';

export type ClusterAction = 'rotateClusterCertificates' | 'stop' | 'start' | 'delete';

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface ClusterOperation {
  id: string;
  action: ClusterAction;
  subscriptionId: string;
  location: string;
  clusterId: string;
  status: OperationStatus;
  startTime: Date;
  endTime?: Date;
  error?: SimulatedArmError;
  /** The request that started it: its events name the same correlation id and caller. */
  request: CallerRequest;
}

/** What an action checks before ARM accepts it, and what it changes when it succeeds. */
export interface ActionBehaviour {
  /** `provisioningState` while it runs. */
  busyState: string;
  /** Accepted whatever runs, cancelling it (ARM lets a busy cluster be deleted). */
  supersedesOthers?: boolean;
  /**
   * Why ARM refuses the action now, or undefined to accept it. `busyState` is the cluster's
   * provisioning state when an operation runs (undefined otherwise).
   */
  refuse(cluster: SimulatedCluster, busyState: string | undefined): SimulatedArmError | undefined;
  /**
   * Builds the change success makes (this may take a while: new keys) and returns a function that
   * applies it at once, called only if the operation was not cancelled in the meantime.
   */
  prepare(cluster: SimulatedCluster): Promise<() => void>;
}

export interface ClusterOperationsOptions {
  behaviours: Record<ClusterAction, ActionBehaviour>;
  /** Milliseconds per action. */
  durationMs: Record<ClusterAction, number>;
  /** When it returns an error, the operation ends `Failed` with it (and the cluster, and `failedPool` if named, `Failed`). */
  fail?: (cluster: SimulatedCluster, action: ClusterAction) => OperationFailure | undefined;
  /** Called once an operation has succeeded and its change is applied (events are sent from here). */
  onSucceeded?: (operation: ClusterOperation, cluster: SimulatedCluster) => void;
}

/** How an operation fails: ARM's error, and the agent pool it leaves `Failed` besides the cluster, if any. */
export interface OperationFailure extends SimulatedArmError {
  failedPool?: string;
}

export type StartResult = { operation: ClusterOperation } | { refused: SimulatedArmError };

export class ClusterOperations {
  private readonly operations = new Map<string, ClusterOperation>();
  /** The running operation of each cluster, by lower-cased cluster id. */
  private readonly running = new Map<string, { operation: ClusterOperation; timer: NodeJS.Timeout }>();
  private readonly completing = new Set<Promise<void>>();
  private readonly durationMs: Record<ClusterAction, number>;
  private closed = false;

  constructor(private readonly options: ClusterOperationsOptions) {
    this.durationMs = { ...options.durationMs };
  }

  /** Changes how long new operations of `action` (or of every action) run. */
  setDuration(ms: number, action?: ClusterAction): void {
    const value = Math.max(0, ms);
    for (const key of Object.keys(this.durationMs) as ClusterAction[]) {
      if (action === undefined || action === key) this.durationMs[key] = value;
    }
  }

  /**
   * Starts `action` on the cluster, or says why ARM would refuse it. A second delete of a cluster
   * being deleted joins the running delete, as ARM answers a repeated DELETE.
   */
  start(cluster: SimulatedCluster, action: ClusterAction, request: CallerRequest): StartResult {
    const behaviour = this.options.behaviours[action];
    const key = cluster.resource.id.toLowerCase();
    const current = this.running.get(key);
    if (current !== undefined && action === 'delete' && current.operation.action === 'delete') {
      return { operation: current.operation };
    }
    const busy = busyStateOf(cluster);
    const refused = behaviour.refuse(cluster, behaviour.supersedesOthers ? undefined : busy);
    if (refused !== undefined) return { refused };
    if (current !== undefined) this.cancel(current, `The operation was canceled because the managed cluster is being deleted.`);

    const operation: ClusterOperation = {
      id: randomUUID(),
      action,
      subscriptionId: cluster.subscriptionId,
      location: locationOf(cluster),
      clusterId: cluster.resource.id,
      status: 'InProgress',
      startTime: new Date(),
      request,
    };
    this.operations.set(operation.id.toLowerCase(), operation);
    setProvisioningState(cluster, behaviour.busyState);
    touchLastModified(cluster);
    const timer = setTimeout(() => {
      const completion = this.complete(operation, cluster, behaviour).finally(() => this.completing.delete(completion));
      this.completing.add(completion);
    }, this.durationMs[action]);
    timer.unref(); // a pending operation must not keep a test process alive
    this.running.set(key, { operation, timer });
    return { operation };
  }

  get(subscriptionId: string, operationId: string): ClusterOperation | undefined {
    const operation = this.operations.get(operationId.toLowerCase());
    return operation !== undefined && operation.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() ? operation : undefined;
  }

  /** Stops the timers of running operations and waits for those already completing. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.running.values()) clearTimeout(timer);
    this.running.clear();
    await Promise.all([...this.completing]);
  }

  private cancel(entry: { operation: ClusterOperation; timer: NodeJS.Timeout }, message: string): void {
    clearTimeout(entry.timer);
    this.running.delete(entry.operation.clusterId.toLowerCase());
    entry.operation.status = 'Canceled';
    entry.operation.endTime = new Date();
    entry.operation.error = { status: 409, code: 'Canceled', message };
  }

  private async complete(operation: ClusterOperation, cluster: SimulatedCluster, behaviour: ActionBehaviour): Promise<void> {
    let error: OperationFailure | undefined = this.options.fail?.(cluster, operation.action);
    let apply: (() => void) | undefined;
    if (error === undefined) {
      try {
        apply = await behaviour.prepare(cluster);
      } catch (cause) {
        error = { status: 500, code: 'InternalServerError', message: `Simulator error: ${(cause as Error).message}` };
      }
    }
    // Cancelled (by a delete) or closed while preparing: the change must not land.
    if (operation.status !== 'InProgress' || this.closed) return;
    this.running.delete(operation.clusterId.toLowerCase());
    operation.endTime = new Date();
    if (error !== undefined || apply === undefined) {
      operation.status = 'Failed';
      const failure: OperationFailure = error ?? { status: 500, code: 'InternalServerError', message: 'The operation failed.' };
      const { failedPool, ...armError } = failure;
      operation.error = armError;
      setProvisioningState(cluster, 'Failed');
      touchLastModified(cluster);
      if (failedPool !== undefined) setPoolProvisioningState(cluster, 'Failed', failedPool);
      return;
    }
    setProvisioningState(cluster, 'Succeeded');
    apply();
    touchLastModified(cluster);
    operation.status = 'Succeeded';
    this.options.onSucceeded?.(operation, cluster);
  }
}

/** `rotateClusterCertificates`' timing and outcome (the simulator's original option). */
export interface RotationOptions {
  /** How long a rotation runs; default 300 ms. */
  durationMs?: number;
  /** When it returns an error for a cluster, that cluster's rotation ends `Failed` with it (and the cluster, and `failedPool` if named, `Failed`). */
  fail?: (cluster: SimulatedCluster) => OperationFailure | undefined;
}

/** Timing and outcome of stop, start and delete (and of rotation where `RotationOptions` says nothing). */
export interface OperationOptions {
  /** How long each operation runs; default 300 ms. */
  durationMs?: number;
  fail?: (cluster: SimulatedCluster, action: ClusterAction) => OperationFailure | undefined;
}

const DEFAULT_DURATION_MS = 300;

/** Durations and failures per action from the two option sets, rotation's own taking precedence. */
export function operationSettings(
  rotation: RotationOptions = {},
  others: OperationOptions = {},
): Pick<ClusterOperationsOptions, 'durationMs' | 'fail'> {
  const general = others.durationMs ?? DEFAULT_DURATION_MS;
  return {
    durationMs: { rotateClusterCertificates: rotation.durationMs ?? general, stop: general, start: general, delete: general },
    fail: (cluster, action) =>
      action === 'rotateClusterCertificates' && rotation.fail !== undefined ? rotation.fail(cluster) : others.fail?.(cluster, action),
  };
}
