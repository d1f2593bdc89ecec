import { randomUUID } from 'node:crypto';
import type { ClusterFacts } from '../domain/cluster.js';
import { httpStatusOf, messageOf } from '../domain/errors.js';
import { kubeconfigRefreshCommand, type RotationState } from '../domain/rotationGuards.js';
import type { RotationDependencies, RotationStep } from './orchestratorPorts.js';
import type { RotationRecord } from './rotationRecord.js';

/** How long a lease holds without its poller: longer than any rotation (up to 30 minutes, AKS docs) runs. */
export const LEASE_MS = 3 * 3_600_000;

const EVENT_OF: Partial<Record<RotationState, RotationStep['event']>> = {
  started: 'ROTATION_STARTED',
  running: 'ROTATION_STARTED',
  succeeded: 'ROTATION_SUCCEEDED',
  unverified: 'ROTATION_SUCCEEDED',
  failed: 'ROTATION_FAILED',
};

/**
 * One attempt, in the order that makes a stop at any point recoverable: the record (`requested`)
 * before the POST, so a poller finds it; the operation (its id and the poller's saved state) in the
 * record before its history row, so it is never lost; then the history row; then `trailed`.
 * A POST that ARM refused ends the attempt `failed` without a history row: nothing started.
 */
export async function startAttempt(
  deps: RotationDependencies,
  cluster: ClusterFacts,
  job: { leaseHolder: string; attempt: number; trigger: RotationRecord['trigger']; reasons: string[]; actor: string },
): Promise<RotationRecord> {
  const now = (deps.now ?? (() => new Date()))();
  let record = await deps.records.create({
    id: randomUUID(), ...job, clusterId: cluster.id, subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup, name: cluster.name,
    state: 'requested', requestedAt: now, trailed: true,
  });
  let operation;
  try {
    operation = await deps.arm.startRotation(cluster);
  } catch (error) {
    // No answer (a timeout, a reset, a 5xx): ARM may have accepted it. The record stays `requested` for the poller to find out.
    if (!isRefusal(error)) {
      deps.log?.(`the rotation of ${cluster.id} was asked for, but ARM's answer was not seen (${messageOf(error)}): the poller finds out whether it runs`);
      return record;
    }
    const code = (error as { code?: unknown }).code;
    const failed = { ...record, state: 'failed' as const, finishedAt: now, errorCode: typeof code === 'string' ? code : 'Error', errorMessage: messageOf(error).slice(0, 1000) };
    record = (await deps.records.update(failed)) ?? failed;
    await deps.leases.release(cluster, job.leaseHolder);
    return record;
  }
  const started: RotationRecord = { ...record, state: 'started', startedAt: operation.startedAt, operationId: operation.operationId, resumeFrom: operation.resumeFrom, trailed: false };
  const updated = await deps.records.update(started);
  if (!updated) return started; // a poller moved it first (it found the record `requested`): it goes on from there
  return trailRecord(deps, updated);
}

/** ARM answered the POST with a 4xx (busy, forbidden, throttled, invalid): nothing started. */
function isRefusal(error: unknown): boolean {
  const status = httpStatusOf(error) ?? (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** Writes the history row of the record's current state, then notes it written (a retry lands on the same row). */
export async function trailRecord(deps: RotationDependencies, record: RotationRecord): Promise<RotationRecord> {
  const event = EVENT_OF[record.state];
  if (event && !record.trailed) {
    const outcome = await deps.trail.recordRotationEvent(stepOf(record, event));
    if (outcome === 'unknown-cluster') deps.log?.(`${record.clusterId} has no recorded verdict: its rotation step ${event} is not in the trail`);
  }
  const trailed = { ...record, trailed: true };
  return record.trailed ? record : ((await deps.records.update(trailed)) ?? trailed);
}

function stepOf(record: RotationRecord, event: RotationStep['event']): RotationStep {
  const refreshCommand = kubeconfigRefreshCommand(record);
  const refresh = `every kubeconfig of the cluster is invalid now: fetch it again (${refreshCommand})`;
  const message = {
    ROTATION_STARTED: `rotateClusterCertificates started (attempt ${record.attempt}, ${record.trigger}); it recreates every node and can take up to 30 minutes; afterwards ${refresh}`,
    ROTATION_SUCCEEDED: record.verified
      ? `the rotation succeeded and the rescan verified the renewed certificates; ${refresh}`
      : `the rotation succeeded, but the rescan did not show renewed certificates: unverified; ${refresh}`,
    ROTATION_FAILED: `the rotation failed (${record.errorCode ?? 'Error'}: ${record.errorMessage ?? 'no message'})${record.attempt >= 2 ? '; held as failed_twice until someone rotates it by hand' : '; it is run again once'}`,
  }[event];
  // ARM's clock may say the second before our request (its Date header has no milliseconds): the row keeps time order.
  const startedAt = new Date(Math.max(record.startedAt?.getTime() ?? 0, record.requestedAt.getTime()));
  const recordedAt = event === 'ROTATION_STARTED' ? startedAt : (record.finishedAt ?? startedAt);
  return {
    clusterId: record.clusterId, subscriptionId: record.subscriptionId, recordedAt, event, rotationId: record.id, attempt: record.attempt,
    operationId: record.operationId ?? '', reasons: record.reasons, actor: record.actor, message, refreshCommand,
  };
}
