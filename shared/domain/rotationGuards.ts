import { CLUSTER_ROTATED_SOURCES } from './certificate.js';
import { isProvisioned, isStopped, type ClusterFacts } from './cluster.js';
import { platformOf } from './clusterId.js';
import { distinctCodes, type FindingCode } from './findings.js';
import { findingsCuredByRotation, rotationModeFor, rotationTagOf } from './planAction.js';
import type { Policy } from './policy.js';
import type { ClusterVerdict } from './verdict.js';

/**
 * Whether a rotation may start now, for one cluster. A rotation recreates every node and can mean
 * 30 minutes of downtime (AKS certificate rotation, docs/rules.md 001), so every guard must pass;
 * a held-back candidate gets a stable reason word (a contract, README "Rotation") and, where it
 * applies, the instant it may go.
 */
export type HoldReason =
  | 'mode_off'
  | 'alert_only'
  | 'tag_off'
  | 'not_running'
  | 'not_ready'
  | 'outside_window'
  | 'cap_fleet'
  | 'cap_subscription'
  | 'cooldown'
  | 'lease_held'
  | 'failed_twice'
  | 'version_unsupported'
  | 'arc_cluster';

export type GuardDecision = { go: true } | { go: false; reason: HoldReason; notBefore?: Date };

/** The life of one rotation attempt (its record): `requested` is written before the POST, `started` once ARM accepted it. */
export type RotationState = 'requested' | 'started' | 'running' | 'succeeded' | 'failed' | 'unverified';

export const IN_FLIGHT_STATES: readonly RotationState[] = ['requested', 'started', 'running'];

export function isInFlight(state: RotationState): boolean {
  return IN_FLIGHT_STATES.includes(state);
}

/** The codes that make a verdict a rotation candidate; empty when rotation would cure nothing. */
export function rotationReasons(verdict: Pick<ClusterVerdict, 'findings' | 'certificates'>): FindingCode[] {
  return distinctCodes(findingsCuredByRotation(verdict));
}

/** A candidate: a finding rotation cures, about a certificate rotate-certs renews (never only a custom CA trust certificate). */
export function isRotationCandidate(verdict: Pick<ClusterVerdict, 'findings' | 'certificates'>): boolean {
  return rotationReasons(verdict).length > 0;
}

/** The cluster's latest rotation, as its record says. */
export interface LastRotation {
  state: RotationState;
  attempt: number;
  startedAt: Date;
}

export interface GuardInput {
  /** The cluster as ARM returned it just now (a listing may be stale). */
  cluster: ClusterFacts;
  policy: Policy;
  /** `policy`: a remediating scan; `manual`: `akscert rotate`, the on-call engineer's decision (see below). */
  trigger: 'policy' | 'manual';
  /** The maintenance window's decision now (domain/maintenanceWindow.ts). */
  window: { open: boolean; notBefore?: Date };
  /** Rotations in flight now: in the fleet, and in the cluster's subscription. */
  inFlight: { fleet: number; subscription: number };
  lastRotation?: LastRotation;
  /** Another run holds the cluster's lease (store/rotationLeases.ts). */
  leaseHeld: boolean;
  /** The control plane version the verdict found unsupported (its KUBERNETES_VERSION_UNSUPPORTED finding), if any. */
  unsupportedVersion?: string;
  now: Date;
}

const HOUR_MS = 3_600_000;

/**
 * The guards, in order: what the policy and the tag allow, what is happening to it already, what
 * the cluster can take, when it may go, and how many rotations the fleet runs at once. A manual
 * rotation is the on-call engineer's decision, so `alert-only` does not hold it and it may retry a
 * cluster held as `failed_twice`; `off` (policy or tag) and every other guard still hold it.
 */
export function decideRotation(input: GuardInput): GuardDecision {
  const { cluster, policy, now } = input;
  const hold = (reason: HoldReason, notBefore?: Date): GuardDecision => ({ go: false, reason, ...(notBefore ? { notBefore } : {}) });
  // AKS enabled by Azure Arc has no rotateClusterCertificates: an update renews its certificates (002).
  if (platformOf(cluster) === 'aks-arc') return hold('arc_cluster');
  const mode = rotationModeFor(cluster, policy);
  if (mode === 'off') return hold(rotationTagOf(cluster) === 'off' ? 'tag_off' : 'mode_off');
  if (mode === 'alert-only' && input.trigger === 'policy') return hold('alert_only');
  // Before the cluster's state: a cluster another run is rotating reads not Succeeded, and is held for that run.
  const last = input.lastRotation;
  if (input.leaseHeld || (last && isInFlight(last.state))) return hold('lease_held');
  // A rerun that failed too is a person's to look at, whatever state it left the cluster in.
  if (last?.state === 'failed' && last.attempt >= 2 && input.trigger === 'policy') return hold('failed_twice');
  // AKS certificate rotation (docs/rules.md 001): rotation is not supported on a stopped cluster.
  if (isStopped(cluster)) return hold('not_running');
  if (!isProvisioned(cluster)) return hold('not_ready');
  // rotate-certs fails on an unsupported version (Azure/AKS#2184): hold, unless ARM shows it upgraded since the scan.
  if (input.unsupportedVersion !== undefined && input.unsupportedVersion === (cluster.currentKubernetesVersion ?? cluster.kubernetesVersion)) return hold('version_unsupported');
  if (last) {
    const coolsAt = new Date(last.startedAt.getTime() + policy.rotation.cooldownHours * HOUR_MS);
    if (coolsAt > now) return hold('cooldown', coolsAt);
  }
  if (!input.window.open) return hold('outside_window', input.window.notBefore);
  if (input.inFlight.fleet >= policy.rotation.maxConcurrent) return hold('cap_fleet');
  if (input.inFlight.subscription >= policy.rotation.maxConcurrentPerSubscription) return hold('cap_subscription');
  return { go: true };
}

/** The version a verdict found unsupported, for the guard: the judged control plane version of its KUBERNETES_VERSION_UNSUPPORTED finding. */
export function unsupportedVersionOf(verdict: Pick<ClusterVerdict, 'findings'>): string | undefined {
  return verdict.findings.find((f) => f.code === 'KUBERNETES_VERSION_UNSUPPORTED')?.kubernetesVersion;
}

/** How an attempt that ended `failed` goes on: the AKS docs say to rerun when the cluster ends failed; once. */
export function shouldRerun(attempt: number): boolean {
  return attempt < 2;
}

/**
 * Whether the rescan after a rotation proves it: every certificate rotate-certs renews that the
 * rescan read must have a notBefore at or after the rotation's start (the old ones predate it).
 * No renewed certificate read at all proves nothing.
 */
export function rotationVerified(verdict: Pick<ClusterVerdict, 'certificates'>, startedAt: Date, toleranceMs = 5 * 60_000): boolean {
  // Only what each scan reads afresh: the node probe's certificates may be carried from before the rotation.
  const renewed = verdict.certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source));
  // A certificate AKS signs just before ARM answers the POST may predate its accepted time by its clock skew.
  return renewed.length > 0 && renewed.every((c) => c.notBefore.getTime() >= startedAt.getTime() - toleranceMs);
}

/** The command that fetches a cluster's kubeconfig again: every kubeconfig of a rotated cluster is invalid. */
export function kubeconfigRefreshCommand(cluster: Pick<ClusterFacts, 'resourceGroup' | 'name'>): string {
  return `az aks get-credentials -g ${cluster.resourceGroup} -n ${cluster.name} --overwrite-existing`;
}
