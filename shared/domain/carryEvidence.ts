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

/**
 * Why a scan reads a cluster's certificates again instead of carrying what it recorded, or `carry`;
 * or `confirm-apiserver`: carry once the API server is seen serving the recorded certificate
 * (`servesRecordedCertificate`), for a cluster ARM gives no `lastModifiedAt`.
 */
export type CarryDecision =
  | 'carry'
  | 'not-recorded'
  | 'refresh-due'
  | 'no-last-modified'
  | 'confirm-apiserver'
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
 * (any write moves it; `null` when ARM gives none) and the facts a certificate could change with
 * (state, versions, node images, endpoints, local accounts, the custom CA bytes).
 */
export function clusterFingerprint(cluster: ClusterFacts): string {
  return JSON.stringify([
    cluster.lastModifiedAt?.toISOString() ?? null,
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
 * skipped over is read too). A cluster without `lastModifiedAt` has nothing that dates a change the
 * other facts do not show, so it is carried only on the API server's word (`confirm-apiserver`):
 * `rotate-certs` renews every certificate with the API server's, and AKS's own rotation of the
 * client and API server certificates lies at a threshold. Pure.
 */
export function carryDecision(
  cluster: ClusterFacts, recorded: RecordedEvidence | undefined, policy: Policy, settings: CarrySettings, now: Date,
  fingerprint = clusterFingerprint(cluster),
): CarryDecision {
  if (!recorded) return 'not-recorded';
  const age = now.getTime() - recorded.readAt.getTime();
  if (age < 0 || age >= settings.fullRefreshHours * HOUR_MS) return 'refresh-due';
  if (fingerprint !== recorded.fingerprint) return 'cluster-changed';
  if (recorded.apiServerProbed !== settings.apiServerProbed) return 'probe-changed';
  // A failed read is retried every scan; a read that found nothing proves nothing.
  if (recorded.unavailable.some((source) => !answeredByArm(source)) || recorded.certificates.length === 0) return 'source-unavailable';
  const certificates = [...recorded.certificates, ...judgeCustomCaTrust(cluster).certificates];
  const from = recorded.readAt.getTime();
  const until = settings.horizon.getTime();
  if (certificates.some((certificate) => thresholdsOf(certificate, policy).some((at) => at >= from && at <= until))) return 'threshold-near';
  if (cluster.lastModifiedAt) return 'carry';
  return settings.apiServerProbed && apiServerCertificates(recorded.certificates).length > 0 ? 'confirm-apiserver' : 'no-last-modified';
}

/**
 * Whether the API server, probed now, serves exactly the certificates recorded from it: what
 * confirms the recorded evidence of a cluster without `lastModifiedAt` (`confirm-apiserver`).
 */
export function servesRecordedCertificate(recorded: RecordedEvidence, served: { certificates: readonly CertificateFacts[]; unavailable: readonly UnavailableSource[] }): boolean {
  const fingerprints = (certificates: readonly CertificateFacts[]) => apiServerCertificates(certificates).map((c) => c.sha256).sort().join();
  const servedNow = fingerprints(served.certificates);
  return served.unavailable.length === 0 && servedNow !== '' && servedNow === fingerprints(recorded.certificates);
}

const apiServerCertificates = (certificates: readonly CertificateFacts[]) => certificates.filter((c) => c.source === 'apiserver');

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
