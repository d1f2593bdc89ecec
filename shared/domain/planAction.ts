import { CLUSTER_ROTATED_SOURCES } from './certificate.js';
import { isProvisioned, isStopped, ROTATION_TAG, type ClusterFacts } from './cluster.js';
import { platformOf } from './clusterId.js';
import type { Finding } from './findings.js';
import type { Policy, RotationMode } from './policy.js';
import type { ClusterAction, ClusterVerdict } from './verdict.js';

/** Findings that `rotateClusterCertificates` cures when they are about a cluster-rotated certificate. */
export const CURED_BY_ROTATION: ReadonlySet<string> = new Set(['CERT_EXPIRED', 'CERT_EXPIRING_CRITICAL', 'CERT_AGE_EXCEEDS_POLICY', 'AUTO_ROTATION_OVERDUE']);

/** The cluster's `aks-cert-compliance/rotation` tag, when it says `auto` or `off` (any other value is no override). */
export function rotationTagOf(cluster: Pick<ClusterFacts, 'tags'>): 'auto' | 'off' | undefined {
  const tag = Object.entries(cluster.tags).find(([key]) => key.toLowerCase() === ROTATION_TAG)?.[1].trim().toLowerCase();
  return tag === 'auto' || tag === 'off' ? tag : undefined;
}

/** The rotation mode for one cluster: its `aks-cert-compliance/rotation` tag (`auto`/`off`) wins over the policy. */
export function rotationModeFor(cluster: Pick<ClusterFacts, 'tags'>, policy: Policy): RotationMode {
  return rotationTagOf(cluster) ?? policy.rotation.mode;
}

/** The findings of a verdict that `rotateClusterCertificates` cures: a curable code about a certificate rotation renews. */
export function findingsCuredByRotation(verdict: Pick<ClusterVerdict, 'findings' | 'certificates'>): Finding[] {
  const aboutRotatedCertificate = (f: Finding) =>
    verdict.certificates.some((c) => c.sha256 === f.certificate && CLUSTER_ROTATED_SOURCES.includes(c.source));
  return verdict.findings.filter((f) => CURED_BY_ROTATION.has(f.code) && aboutRotatedCertificate(f));
}

/**
 * What the policy lets us do about a verdict. Rotation recreates every node and can mean 30 minutes
 * of downtime (AKS certificate rotation, docs/rules.md 001), so it is chosen only when it cures the violation and the cluster can
 * take it: running (rotation is not supported on stopped clusters) and provisioned. AKS enabled by
 * Azure Arc has no `rotateClusterCertificates`: an update renews its certificates, so it is alerted.
 */
export function planAction(cluster: ClusterFacts, verdict: Pick<ClusterVerdict, 'status' | 'findings' | 'certificates'>, policy: Policy): ClusterAction {
  const mode = rotationModeFor(cluster, policy);
  if (mode === 'off' || verdict.status !== 'violation') return 'none';
  const curable = findingsCuredByRotation(verdict).length > 0;
  if (mode === 'auto' && curable && platformOf(cluster) === 'aks' && !isStopped(cluster) && isProvisioned(cluster)) return 'rotate';
  return 'alert';
}
