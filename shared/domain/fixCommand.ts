import type { CertificateSource } from './certificate.js';
import { platformOf, type ClusterId } from './clusterId.js';
import type { Finding, FindingCode } from './findings.js';
import type { ClusterVerdict } from './verdict.js';

/**
 * The command that fixes a finding, as an alert prints it for the engineer paged at 3 a.m. The AKS
 * documents each comes from are in docs/rules.md ("What an alert tells on-call to run").
 */

/** Findings that `az aks rotate-certs` cures when they are about a certificate it renews (001). */
const CURED_BY_ROTATION = new Set<FindingCode>([
  'CERT_EXPIRED',
  'CERT_EXPIRING_CRITICAL',
  'CERT_EXPIRING_SOON',
  'CERT_AGE_EXCEEDS_POLICY',
  'CERT_AGE_NEAR_POLICY',
  'AUTO_ROTATION_OVERDUE',
  // Rotated clusters get a 30-year Cluster CA (001).
  'LEGACY_TWO_YEAR_CA',
]);

/** Findings cured by a fixed custom CA trust file (000). */
const CUSTOM_CA_FINDINGS = new Set<FindingCode>(['CUSTOM_CA_INVALID', 'CUSTOM_CA_LIMIT_EXCEEDED', 'CUSTOM_CA_WINDOWS_POOL']);

/** The source of the certificate a finding is about: its own `source`, else the certificate it names. */
export function certificateSourceOf(finding: Finding, verdict: Pick<ClusterVerdict, 'certificates'>): CertificateSource | undefined {
  const named = verdict.certificates.find((c) => c.sha256 === finding.certificate)?.source;
  return named ?? (finding.source as CertificateSource | undefined);
}

/**
 * What an update of an AKS enabled by Azure Arc cluster cures (002): it resets the 90-day certificates
 * and tokens, and renews what the kubeconfig's certificates expire with.
 */
const CURED_BY_ARC_UPDATE = new Set<FindingCode>(['ARC_UPDATE_OVERDUE', 'CERT_EXPIRED', 'CERT_EXPIRING_CRITICAL', 'CERT_EXPIRING_SOON']);

export function fixCommandFor(cluster: ClusterId, finding: Finding, verdict: Pick<ClusterVerdict, 'certificates' | 'findings'>): string | undefined {
  // AKS enabled by Azure Arc has no rotate-certs: the update is its cure; an expired Arc agent is a person's to reconnect.
  if (platformOf(cluster) === 'aks-arc') {
    return CURED_BY_ARC_UPDATE.has(finding.code)
      ? `az aksarc upgrade --resource-group ${cluster.resourceGroup} --name ${cluster.name} --kubernetes-version <a version az aksarc get-upgrades lists>`
      : undefined;
  }
  const target = `-g ${cluster.resourceGroup} -n ${cluster.name}`;
  const source = certificateSourceOf(finding, verdict);
  const stopped = verdict.findings.some((f) => f.code === 'CLUSTER_STOPPED');
  if (CUSTOM_CA_FINDINGS.has(finding.code) || (source === 'custom-ca' && CURED_BY_ROTATION.has(finding.code))) {
    return `az aks update ${target} --custom-ca-trust-certificates <fixed CA file: PEM, LF line breaks, at most 10 certificates>`;
  }
  // What is left of rotation's findings is about a certificate AKS renews (or names none).
  if (CURED_BY_ROTATION.has(finding.code)) {
    // Rotation is not supported on a stopped cluster (001): start it first.
    return stopped ? `az aks start ${target} && az aks rotate-certs ${target}` : `az aks rotate-certs ${target}`;
  }
  if (finding.code === 'UPGRADE_ROTATION_DEADLOCK_RISK') return deadlockFix(finding, target);
  if (finding.code === 'KUBELET_SERVING_ROTATION_DISABLED') return servingRotationFix(cluster, finding);
  return OTHER_FIXES[finding.code]?.(target);
}

/**
 * Upgrade first, while the certificates are valid, then rotate: AKS refuses the upgrade once they
 * have expired, and rotate-certs fails on the unsupported version (Azure/AKS#2184). Once they have
 * expired, or with no upgrade path, no command gets out: the message says to ask Azure support.
 */
function deadlockFix(finding: Finding, target: string): string | undefined {
  if (finding.cause !== 'certificates_expiring') return undefined;
  return `az aks upgrade ${target} --kubernetes-version <a supported version> && az aks rotate-certs ${target}`;
}

/** Kubelet serving certificate rotation, by the pool's cause (docs/rules.md "Kubelet serving certificate rotation"). */
function servingRotationFix(cluster: ClusterId, finding: Finding): string | undefined {
  const pool = `-g ${cluster.resourceGroup} --cluster-name ${cluster.name} -n ${finding.nodePool ?? '<pool>'}`;
  switch (finding.cause) {
    case 'kubernetes_version':
      return `az aks upgrade -g ${cluster.resourceGroup} -n ${cluster.name} --kubernetes-version <1.27 or later>`;
    case 'snapshot':
      return `az aks nodepool upgrade ${pool} --node-image-only`;
    case 'opt_out_tag':
      return `az aks nodepool update ${pool} --tags <the pool's tags without aks-disable-kubelet-serving-certificate-rotation>`;
  }
  // Any other cause (or none): no command.
  return undefined;
}

/** The other findings a command fixes. */
const OTHER_FIXES: Partial<Record<FindingCode, (target: string) => string>> = {
  // "a control plane and node pool upgrade is needed to enable this feature" (001)
  AUTO_ROTATION_INELIGIBLE: (target) => `az aks upgrade ${target} --kubernetes-version <a supported version>`,
  CLUSTER_STOPPED: (target) => `az aks start ${target}`,
  // An update without changes reconciles a cluster left in a failed state (005).
  CLUSTER_NOT_READY: (target) => `az aks update ${target}`,
  // rotate-certs fails on an unsupported version (Azure/AKS#2184): upgrade while the certificates are valid.
  KUBERNETES_VERSION_UNSUPPORTED: (target) => `az aks upgrade ${target} --kubernetes-version <a supported version>`,
};
