import { createHash } from 'node:crypto';
import { CLUSTER_ROTATED_SOURCES, type CertificateFacts } from './certificate.js';
import { AUTO_ROTATION_POINT } from './certificateRules.js';
import type { ClusterFacts } from './cluster.js';
import { judgeCustomCaTrust } from './customCaTrust.js';
import type { Policy } from './policy.js';
import { DAY_MS } from './time.js';
import type { UnavailableSource } from './verdict.js';

export const HOUR_MS = 3_600_000;

/**
 * What a full read of a cluster's certificate evidence (its kubeconfig and its API server) found, kept
 * with its verdict so that a later scan of the unchanged cluster may judge it again without the
 * credential POST (README "Warm scans"). Facts only: never credential material.
 */
export interface RecordedEvidence {
  /** `clusterFingerprint` of the cluster as ARM described it when the evidence was read. */
  fingerprint: string;
  /** When the evidence was read: the start time of the scan that read it. */
  readAt: Date;
  /** Whether the API server's certificate was probed then (a scan with the probe carries only evidence probed). */
  apiServerProbed: boolean;
  certificates: CertificateFacts[];
  unavailable: UnavailableSource[];
}

/** Why a scan reads a cluster's certificates again instead of carrying what it recorded, or `carry`. */
export type CarryDecision =
  | 'carry'
  | 'not-recorded'
  | 'refresh-due'
  | 'no-last-modified'
  | 'cluster-changed'
  | 'probe-changed'
  | 'source-unavailable'
  | 'threshold-near';

export interface CarrySettings {
  /** FULL_REFRESH_HOURS: evidence read this long ago is read again; 0 carries nothing. */
  fullRefreshHours: number;
  /** Until when the carried evidence must hold: the scheduled scan after the next one (scan/carryHorizon.ts). */
  horizon: Date;
  /** Whether this scan probes the API servers. */
  apiServerProbed: boolean;
}

/**
 * What a demanding auditor counts as "the cluster did not change": ARM's `systemData.lastModifiedAt`
 * (any write moves it) and the facts a certificate could change with (state, versions, node images,
 * endpoints, local accounts, the custom CA bytes). Undefined without `lastModifiedAt`: such a cluster
 * is never carried, since nothing dates its last change.
 */
export function clusterFingerprint(cluster: ClusterFacts): string | undefined {
  if (!cluster.lastModifiedAt) return undefined;
  return JSON.stringify([
    cluster.lastModifiedAt.toISOString(),
    cluster.provisioningState ?? null,
    cluster.powerState ?? null,
    cluster.kubernetesVersion ?? null,
    cluster.currentKubernetesVersion ?? null,
    cluster.agentPools.map((pool) => [pool.name, pool.osType ?? null, pool.nodeImageVersion ?? null, pool.enableCustomCATrust ?? false]),
    cluster.fqdn ?? null,
    cluster.privateFqdn ?? null,
    cluster.enableRbac ?? null,
    cluster.disableLocalAccounts ?? null,
    cluster.createdAt?.toISOString() ?? null,
    cluster.customCaTrustCertificates.map((bytes) => createHash('sha256').update(bytes).digest('hex')),
  ]);
}

/**
 * Whether a scan at `now` may judge the cluster from its recorded evidence (docs/rules.md "Carried
 * evidence"): the cluster is unchanged since the read, the read is younger than FULL_REFRESH_HOURS,
 * every source was read, and no certificate crosses a threshold of the policy between the read and
 * the horizon (so every status change is seen on fresh evidence, and a threshold a missed scan
 * skipped over is read too). Pure.
 */
export function carryDecision(cluster: ClusterFacts, recorded: RecordedEvidence | undefined, policy: Policy, settings: CarrySettings, now: Date): CarryDecision {
  if (!recorded) return 'not-recorded';
  const age = now.getTime() - recorded.readAt.getTime();
  if (age < 0 || age >= settings.fullRefreshHours * HOUR_MS) return 'refresh-due';
  const fingerprint = clusterFingerprint(cluster);
  if (fingerprint === undefined) return 'no-last-modified';
  if (fingerprint !== recorded.fingerprint) return 'cluster-changed';
  if (recorded.apiServerProbed !== settings.apiServerProbed) return 'probe-changed';
  // A failed read is retried every scan; a read that found nothing proves nothing.
  if (recorded.unavailable.some((source) => !answeredByArm(source)) || recorded.certificates.length === 0) return 'source-unavailable';
  const certificates = [...recorded.certificates, ...judgeCustomCaTrust(cluster).certificates];
  const from = recorded.readAt.getTime();
  const until = settings.horizon.getTime();
  const crossed = certificates.some((certificate) => thresholdsOf(certificate, policy).some((at) => at >= from && at <= until));
  return crossed ? 'threshold-near' : 'carry';
}

/**
 * An API server without a public FQDN is not probed at all (azure/apiServerProbe.ts): what ARM says
 * decides it, and the FQDNs are in the fingerprint, so it is no failed read to retry.
 */
function answeredByArm(source: UnavailableSource): boolean {
  return source.source === 'apiserver' && (source.reason === 'private_cluster' || source.reason === 'no_certificate');
}

/**
 * The instants at which a certificate's judgement changes (domain/certificateRules.ts, evaluateCluster.ts):
 * valid from, expiry, the critical and warning expiry days, the maximum age and its warning for the
 * certificates a rotation renews, and AKS's 80% auto-rotation point for the client and API server certificates.
 */
export function thresholdsOf(certificate: CertificateFacts, policy: Policy): number[] {
  const notBefore = certificate.notBefore.getTime();
  const notAfter = certificate.notAfter.getTime();
  const instants = [notBefore, notAfter, notAfter - policy.criticalDays * DAY_MS, notAfter - policy.warningDays * DAY_MS];
  if (CLUSTER_ROTATED_SOURCES.includes(certificate.source)) {
    instants.push(notBefore + policy.maxAgeDays * DAY_MS, notBefore + (policy.maxAgeDays - policy.warningDays) * DAY_MS);
  }
  if (certificate.source === 'client' || certificate.source === 'apiserver') {
    instants.push(notBefore + AUTO_ROTATION_POINT * (notAfter - notBefore));
  }
  return instants;
}
