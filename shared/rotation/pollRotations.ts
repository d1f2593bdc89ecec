import pLimit from 'p-limit';
import { isProvisioned, isStopped } from '../domain/cluster.js';
import { messageOf } from '../domain/errors.js';
import { rotationVerified, shouldRerun, type RotationState } from '../domain/rotationGuards.js';
import type { RotationDependencies } from './orchestratorPorts.js';
import type { RotationOperationStatus } from './ports.js';
import { startAttempt, trailRecord } from './rotationAttempt.js';
import { clusterOf, type RotationRecord } from './rotationRecord.js';

/** A `requested` record younger than this may be an instance between its record and its POST: left to it. */
export const REQUESTED_GRACE_MS = 2 * 60_000;

export interface PollOutcome {
  clusterId: string;
  rotationId: string;
  attempt: number;
  from: RotationState;
  to: RotationState;
}

/**
 * Moves every rotation in flight on, from any instance (the timer `pollRotations`, every minute): the
 * history row a stopped writer left unwritten first, then one poll of the operation through the SDK's
 * poller restored from the record. A failed rotation is run again once (the AKS docs: rerun when the
 * cluster ends failed), then held as `failed_twice`; a successful one is rescanned, and verified only
 * if the renewed certificates' notBefore follows its start. Each record moves ETag-conditionally:
 * two pollers never both act on one state; the one that loses leaves it to the other.
 */
export async function pollRotations(deps: RotationDependencies, options: { requestedGraceMs?: number } = {}): Promise<PollOutcome[]> {
  const slots = pLimit(4);
  const outcomes: PollOutcome[] = [];
  await Promise.all((await deps.records.pending()).map((record) => slots(async () => {
    try {
      const after = await pollOne(deps, record, options.requestedGraceMs ?? REQUESTED_GRACE_MS);
      if (after && (after.state !== record.state || after.attempt !== record.attempt)) {
        outcomes.push({ clusterId: record.clusterId, rotationId: after.id, attempt: after.attempt, from: record.state, to: after.state });
      }
    } catch (error) {
      deps.log?.(`could not poll the rotation of ${record.clusterId} (attempt ${record.attempt}): ${messageOf(error)}`);
    }
  })));
  return outcomes;
}

async function pollOne(deps: RotationDependencies, stored: RotationRecord, requestedGraceMs: number): Promise<RotationRecord | undefined> {
  const now = (deps.now ?? (() => new Date()))();
  const record = await trailRecord(deps, stored);
  if (record.state === 'requested') {
    if (now.getTime() - record.requestedAt.getTime() < requestedGraceMs) return record;
    return recoverLost(deps, record);
  }
  if (record.state !== 'started' && record.state !== 'running') return record;
  const status = await statusOf(deps, record);
  if (status.status === 'running') return record.state === 'started' ? deps.records.update({ ...record, state: 'running' }) : record;
  if (status.status === 'succeeded') return succeed(deps, record);
  return fail(deps, record, status.status === 'failed' ? status.code : 'Canceled', status.status === 'failed' ? status.message : 'the operation was canceled');
}

/** The operation's status: from its poller when the record has one, else from the cluster's provisioning state. */
async function statusOf(deps: RotationDependencies, record: RotationRecord): Promise<RotationOperationStatus> {
  if (record.resumeFrom && record.operationId && record.startedAt) {
    try {
      return await deps.arm.checkRotation({ operationId: record.operationId, resumeFrom: record.resumeFrom, startedAt: record.startedAt });
    } catch (error) {
      // ARM keeps an operation's status for a while only: one it no longer knows is told by the cluster's state.
      if ((error as { reason?: unknown }).reason !== 'not_found') throw error;
    }
  }
  const cluster = await deps.arm.readCluster(clusterOf(record));
  if (!cluster) return { status: 'failed', code: 'NotFound', message: 'the cluster no longer exists' };
  if (isProvisioned(cluster)) return { status: 'succeeded' };
  if (cluster.provisioningState?.toLowerCase() === 'failed') return { status: 'failed', code: 'Failed', message: 'the cluster ended in provisioning state Failed' };
  return { status: 'running' };
}

/**
 * A record left `requested`: its instance stopped between the record and the end of its POST, so
 * nobody knows whether ARM accepted it. A cluster busy now was rotating: followed by its provisioning
 * state from here. A settled one is rescanned: renewed certificates mean the rotation ran.
 */
async function recoverLost(deps: RotationDependencies, record: RotationRecord): Promise<RotationRecord | undefined> {
  const status = await statusOf(deps, record);
  const lost = { ...record, startedAt: record.requestedAt };
  if (status.status === 'running') {
    return deps.records.update({ ...lost, state: 'running', trailed: false }).then((r) => r && trailRecord(deps, r));
  }
  if (status.status === 'succeeded') {
    const verdict = await deps.rescan(clusterOf(record));
    if (verdict && rotationVerified(verdict, record.requestedAt)) {
      const started = await deps.records.update({ ...lost, state: 'started', trailed: false });
      return started && succeed(deps, await trailRecord(deps, started), verdict);
    }
  }
  // Nothing ran, as far as ARM shows: the attempt ends failed (without a history row: nothing started), and is run again once.
  const failed = await deps.records.update({ ...record, state: 'failed', finishedAt: (deps.now ?? (() => new Date()))(), errorCode: 'OperationLost', errorMessage: 'the instance stopped before ARM answered its POST, and nothing shows the rotation ran' });
  return failed && rerunOrRelease(deps, failed);
}

async function succeed(deps: RotationDependencies, record: RotationRecord, rescanned?: Awaited<ReturnType<RotationDependencies['rescan']>>): Promise<RotationRecord | undefined> {
  const verdict = rescanned ?? (await deps.rescan(clusterOf(record)));
  const verified = verdict !== undefined && rotationVerified(verdict, record.startedAt ?? record.requestedAt);
  const now = (deps.now ?? (() => new Date()))();
  const done = await deps.records.update({ ...record, state: verified ? 'succeeded' : 'unverified', verified, finishedAt: now, trailed: false });
  if (!done) return undefined;
  const trailed = await trailRecord(deps, done);
  await deps.leases.release(clusterOf(record), record.leaseHolder);
  return trailed;
}

async function fail(deps: RotationDependencies, record: RotationRecord, code: string, message: string): Promise<RotationRecord | undefined> {
  const now = (deps.now ?? (() => new Date()))();
  const failed = await deps.records.update({ ...record, state: 'failed', finishedAt: now, errorCode: code, errorMessage: message.slice(0, 1000), trailed: false });
  if (!failed) return undefined;
  return rerunOrRelease(deps, await trailRecord(deps, failed));
}

/** After a failed attempt: the rerun, once, on a cluster that can take it; else the lease goes and the cluster is held. */
async function rerunOrRelease(deps: RotationDependencies, failed: RotationRecord): Promise<RotationRecord> {
  const cluster = shouldRerun(failed.attempt) ? await deps.arm.readCluster(clusterOf(failed)) : undefined;
  // AKS certificate rotation (docs/rules.md 001): "If the cluster ends in a failed state, rerun the command"; never on a stopped cluster.
  if (cluster && !isStopped(cluster) && cluster.provisioningState?.toLowerCase() !== 'deleting') {
    return startAttempt(deps, cluster, { leaseHolder: failed.leaseHolder, attempt: failed.attempt + 1, trigger: failed.trigger, reasons: failed.reasons, actor: failed.actor });
  }
  await deps.leases.release(clusterOf(failed), failed.leaseHolder);
  deps.log?.(`the rotation of ${failed.clusterId} failed ${failed.attempt >= 2 ? 'twice: held as failed_twice' : 'and is not run again'} (${failed.errorCode}); ${failed.name} needs a person`);
  return failed;
}
