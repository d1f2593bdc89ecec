import { randomUUID } from 'node:crypto';
import { clusterIdentity, platformOf, type ClusterId } from '../domain/clusterId.js';
import { rotationWindow } from '../domain/maintenanceWindow.js';
import { decideRotation, isInFlight, isRotationCandidate, rotationReasons, unsupportedVersionOf, type GuardDecision, type LastRotation } from '../domain/rotationGuards.js';
import type { ClusterVerdict, Remediation } from '../domain/verdict.js';
import type { RotationDependencies } from './orchestratorPorts.js';
import { LEASE_MS, startAttempt } from './rotationAttempt.js';
import type { RotationRecord } from './rotationRecord.js';

/** What remediation did about one cluster (the JSON report's `remediation`). */
export interface RemediationOutcome {
  clusterId: string;
  name: string;
  remediation: Remediation;
}

/**
 * Acts on the verdicts: every rotation candidate (domain/rotationGuards.ts) is re-read from ARM (a
 * listing may be stale), its maintenance window decided, every guard checked, its lease taken, and
 * only then is `rotateClusterCertificates` started (rotationAttempt.ts); the guards are checked again
 * once the lease is ours, since another run may have rotated it meanwhile. Candidates go one at a
 * time, so that the caps count what this run started. The poller (pollRotations.ts) takes it from there.
 */
export async function remediate(verdicts: readonly ClusterVerdict[], deps: RotationDependencies, options: { trigger?: 'policy' | 'manual' } = {}): Promise<RemediationOutcome[]> {
  const trigger = options.trigger ?? 'policy';
  const candidates = trigger === 'manual' ? verdicts : verdicts.filter(isRotationCandidate);
  if (candidates.length === 0) return [];
  const actor = await deps.actor();
  const records = await deps.records.list();
  const inFlight = records.filter((r) => isInFlight(r.state));
  const outcomes: RemediationOutcome[] = [];
  for (const verdict of candidates) {
    const remediation = await remediateOne(verdict, deps, { trigger, actor, records, inFlight }).catch((error: unknown): Remediation => {
      deps.log?.(`could not remediate ${verdict.id}: ${(error as Error).message}`);
      return { state: 'failed', reason: 'error' };
    });
    outcomes.push({ clusterId: verdict.id, name: verdict.name, remediation });
  }
  return outcomes;
}

async function remediateOne(
  verdict: ClusterVerdict,
  deps: RotationDependencies,
  run: { trigger: 'policy' | 'manual'; actor: string; records: RotationRecord[]; inFlight: RotationRecord[] },
): Promise<Remediation> {
  const now = (deps.now ?? (() => new Date()))();
  const wanted: ClusterId = { id: verdict.id, subscriptionId: verdict.subscriptionId, resourceGroup: verdict.resourceGroup, name: verdict.name };
  // AKS enabled by Azure Arc has no rotateClusterCertificates: never a call to ARM about it (its action is an alert).
  if (platformOf(wanted) === 'aks-arc') return { state: 'held', reason: 'arc_cluster' };
  const cluster = await deps.arm.readCluster(wanted);
  if (!cluster) return { state: 'held', reason: 'not_ready' }; // gone since the scan
  const decide = async (records: readonly RotationRecord[], leaseHeld: boolean): Promise<GuardDecision> => {
    const configurations = await deps.arm.listMaintenanceConfigurations(cluster);
    const window = rotationWindow({ configurations, policyWindow: deps.policy.rotation.window, now, expectedDurationMinutes: deps.policy.rotation.expectedDurationMinutes });
    const sameSubscription = run.inFlight.filter((r) => r.subscriptionId.toLowerCase() === cluster.subscriptionId.toLowerCase());
    const last = lastRotationOf(records, cluster.id);
    const unsupportedVersion = unsupportedVersionOf(verdict);
    return decideRotation({
      cluster, policy: deps.policy, trigger: run.trigger, window, now, leaseHeld,
      inFlight: { fleet: run.inFlight.length, subscription: sameSubscription.length },
      ...(last ? { lastRotation: last } : {}),
      ...(unsupportedVersion ? { unsupportedVersion } : {}),
    });
  };
  const held = (decision: GuardDecision): Remediation =>
    decision.go ? { state: 'planned' } : { state: 'held', reason: decision.reason, ...(decision.notBefore ? { notBefore: decision.notBefore } : {}) };

  const first = await decide(run.records, (await deps.leases.holderOf(cluster, now)) !== undefined);
  if (!first.go) return held(first);
  const leaseHolder = randomUUID();
  if (!(await deps.leases.take(cluster, leaseHolder, new Date(now.getTime() + LEASE_MS), now))) return { state: 'held', reason: 'lease_held' };
  // Ours now: what another run did before we took it is in the records.
  const again = await decide(await deps.records.list({ clusterId: cluster.id, subscriptionId: cluster.subscriptionId }), false);
  if (!again.go) {
    await deps.leases.release(cluster, leaseHolder);
    return held(again);
  }
  const record = await startAttempt(deps, cluster, { leaseHolder, attempt: 1, trigger: run.trigger, reasons: rotationReasons(verdict), actor: run.actor });
  if (record.state === 'failed') return { state: 'failed', reason: record.errorCode ?? 'Error' };
  if (record.state === 'requested') return { state: 'started', reason: 'unconfirmed' }; // the poller finds out
  run.inFlight.push(record);
  return { state: 'started', ...(record.operationId ? { operationId: record.operationId } : {}) };
}

/** The cluster's latest rotation that reached ARM (a POST ARM refused started nothing, and cools nothing down). */
export function lastRotationOf(records: readonly RotationRecord[], clusterId: string): LastRotation | undefined {
  const identity = clusterIdentity(clusterId);
  const last = records.filter((r) => clusterIdentity(r.clusterId) === identity && (r.startedAt !== undefined || isInFlight(r.state))).at(-1);
  return last && { state: last.state, attempt: last.attempt, startedAt: last.startedAt ?? last.requestedAt };
}

/** The remediation a scan that does not act reports: `planned` where the policy would rotate. */
export function plannedRemediation(verdict: Pick<ClusterVerdict, 'action'>): Remediation {
  return { state: verdict.action === 'rotate' ? 'planned' : 'none' };
}

/** The report's clusters with what remediation did (`outcomes`), or would plan (every other cluster). */
export function withRemediation<T extends { clusters: ClusterVerdict[] }>(report: T, outcomes: readonly RemediationOutcome[] = []): T {
  const byId = new Map(outcomes.map((o) => [clusterIdentity(o.clusterId), o.remediation]));
  return { ...report, clusters: report.clusters.map((verdict) => ({ ...verdict, remediation: byId.get(clusterIdentity(verdict.id)) ?? plannedRemediation(verdict) })) };
}

/** One line per candidate held back or failed, for a person: its name, the reason word, and when it may go. */
export function describeHeld(outcomes: readonly RemediationOutcome[]): string[] {
  return outcomes
    .filter((o) => o.remediation.state === 'held' || o.remediation.state === 'failed')
    .map((o) => `${o.name}: ${o.remediation.state} (${o.remediation.reason ?? 'unknown'})${o.remediation.notBefore ? `, not before ${o.remediation.notBefore.toISOString()}` : ''}`);
}
