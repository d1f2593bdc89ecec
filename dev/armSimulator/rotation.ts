/**
 * `rotateClusterCertificates` as ARM runs it: a long-running operation that takes a while, during
 * which the cluster's `provisioningState` reads `RotatingClusterCertificates`, observed through an
 * operation-status resource (Azure-AsyncOperation) and an operation-result resource (Location).
 *
 * Completion is driven by a timer, not by polls, so the cluster's state flips back on time even when
 * nobody polls (as in ARM). The certificates themselves are not re-issued: the simulator only models
 * the operation's lifecycle.
 */
import { randomUUID } from 'node:crypto';
import type { SimulatedArmError, SimulatedCluster } from './fleet.js';

export interface RotationOptions {
  /** How long a rotation runs; default 300 ms. */
  durationMs?: number;
  /** When it returns an error for a cluster, that cluster's rotation ends `Failed` with it (and the cluster `Failed`). */
  fail?: (cluster: SimulatedCluster) => SimulatedArmError | undefined;
}

export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

export interface RotationOperation {
  id: string;
  subscriptionId: string;
  location: string;
  clusterId: string;
  status: OperationStatus;
  startTime: Date;
  endTime?: Date;
  error?: SimulatedArmError;
}

/** Provisioning states in which ARM accepts a new operation on the cluster. */
const TERMINAL_STATES = new Set(['succeeded', 'failed', 'canceled']);

function properties(cluster: SimulatedCluster): Record<string, unknown> {
  const existing = cluster.resource['properties'];
  if (typeof existing === 'object' && existing !== null) return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  cluster.resource['properties'] = created;
  return created;
}

export function provisioningStateOf(cluster: SimulatedCluster): string | undefined {
  const state = properties(cluster)['provisioningState'];
  return typeof state === 'string' ? state : undefined;
}

export class RotationOperations {
  private readonly operations = new Map<string, RotationOperation>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private durationMs: number;

  constructor(private readonly options: RotationOptions = {}) {
    this.durationMs = options.durationMs ?? 300;
  }

  setDuration(ms: number): void {
    this.durationMs = ms;
  }

  /**
   * Starts a rotation, or explains why ARM would refuse it: a cluster busy with another operation
   * answers 409 (as AKS does for a second rotation while one runs).
   */
  start(cluster: SimulatedCluster): { operation: RotationOperation } | { refused: SimulatedArmError } {
    const state = provisioningStateOf(cluster);
    if (state !== undefined && !TERMINAL_STATES.has(state.toLowerCase())) {
      return {
        refused: {
          status: 409,
          code: 'OperationNotAllowed',
          message: `Operation is not allowed because the managed cluster '${cluster.resource.name}' is in provisioning state '${state}'. Please wait for the ongoing operation to finish before starting a new one.`,
        },
      };
    }
    const location = typeof cluster.resource['location'] === 'string' ? (cluster.resource['location'] as string) : 'eastus';
    const operation: RotationOperation = {
      id: randomUUID(),
      subscriptionId: cluster.subscriptionId,
      location,
      clusterId: cluster.resource.id,
      status: 'InProgress',
      startTime: new Date(),
    };
    this.operations.set(operation.id.toLowerCase(), operation);
    properties(cluster)['provisioningState'] = 'RotatingClusterCertificates';
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const error = this.options.fail?.(cluster);
      operation.status = error === undefined ? 'Succeeded' : 'Failed';
      if (error !== undefined) operation.error = error;
      operation.endTime = new Date();
      properties(cluster)['provisioningState'] = operation.status;
    }, this.durationMs);
    timer.unref(); // a pending rotation must not keep a test process alive
    this.timers.add(timer);
    return { operation };
  }

  get(subscriptionId: string, operationId: string): RotationOperation | undefined {
    const operation = this.operations.get(operationId.toLowerCase());
    return operation !== undefined && operation.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() ? operation : undefined;
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
