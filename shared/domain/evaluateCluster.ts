import { judgeArcConnectivity, judgeArcUpdate } from './arcRules.js';
import { CLUSTER_ROTATED_SOURCES, type CertificateFacts } from './certificate.js';
import { AUTO_ROTATED_SOURCES, AUTO_ROTATION_POINT, judgeCertificate, LEGACY_CA_MAX_VALIDITY_MS, pastAutoRotationPoint, SOURCE_LABEL } from './certificateRules.js';
import { isProvisioned, isStopped, type ClusterFacts } from './cluster.js';
import { platformOf } from './clusterId.js';
import { judgeCustomCaTrust } from './customCaTrust.js';
import { evaluateAutoRotation, type AutoRotation } from './eligibility.js';
import { severityRank, worstFinding, type Finding, type FindingCode } from './findings.js';
import type { Policy } from './policy.js';
import { DAY_MS } from './time.js';
import { planAction } from './planAction.js';
import { kubeletServingRotationFindings } from './kubeletServingRotation.js';
import { judgeVersionSupport, versionSupportFindings } from './versionSupport.js';
import type { CertificateEvidence, ClusterStatus, ClusterVerdict } from './verdict.js';

/** Judges one cluster against the policy at `now` (docs/rules.md). Pure: same input, same verdict. */
export function evaluateCluster(cluster: ClusterFacts, evidence: CertificateEvidence, policy: Policy, now: Date): ClusterVerdict {
  if (platformOf(cluster) === 'aks-arc') return evaluateArcCluster(cluster, evidence, policy, now);
  const autoRotation = evaluateAutoRotation(cluster, policy, tlsBootstrapDisabled(evidence));
  const customCa = judgeCustomCaTrust(cluster);
  const certificates = [...evidence.certificates, ...customCa.certificates];

  const findings: Finding[] = [
    ...certificates.flatMap((certificate) => judgeCertificate(certificate, policy, now)),
    ...autoRotationFindings(autoRotation, evidence.certificates, now),
    ...legacyCaFindings(evidence.certificates),
    ...clusterStateFindings(cluster),
    ...customCa.findings,
    ...versionSupportFindings(judgeVersionSupport(cluster, evidence.versionSupport), evidence.certificates, policy, now),
    ...kubeletServingRotationFindings(cluster, now),
    ...unavailableFindings(evidence),
  ];

  const status = clusterStatus(findings, evidence.certificates);
  const judged = { ...verdictBase(cluster), status, autoRotation, certificates, findings, ...(evidence.nodeProbe ? { nodeProbe: evidence.nodeProbe } : {}) };
  return { ...judged, action: planAction(cluster, judged, policy) };
}

/** A node pool the node probe read without its bootstrap kubeconfig: AKS cannot rotate its certificates (001, "Do not disable bootstrap"). */
export function tlsBootstrapDisabled(evidence: CertificateEvidence): boolean {
  return evidence.nodeProbe?.pools.some((pool) => !pool.bootstrapKubeconfig) ?? false;
}

/**
 * Worst severity among the findings; `unknown` when no cluster certificate could be read and nothing
 * at warning or above decides it (docs/rules.md).
 */
export function clusterStatus(findings: readonly Finding[], clusterCertificates: readonly CertificateFacts[]): ClusterStatus {
  const worst = worstFinding(findings);
  if (worst && severityRank(worst.severity) >= severityRank('warning')) return worst.severity === 'violation' ? 'violation' : 'warning';
  const anyRead = clusterCertificates.some((c) => CLUSTER_ROTATED_SOURCES.includes(c.source));
  return anyRead ? 'compliant' : 'unknown';
}

function autoRotationFindings(autoRotation: AutoRotation, certificates: CertificateFacts[], now: Date): Finding[] {
  if (!autoRotation.eligible) {
    return [{ code: 'AUTO_ROTATION_INELIGIBLE', severity: 'warning',
      message: `AKS will not rotate this cluster's certificates by itself (${autoRotation.reasons.join(', ')}).` }];
  }
  return certificates
    .filter((c) => AUTO_ROTATED_SOURCES.includes(c.source) && pastAutoRotationPoint(c, now))
    .map((c): Finding => ({ code: 'AUTO_ROTATION_OVERDUE', severity: 'violation', certificate: c.sha256,
      message: `${SOURCE_LABEL[c.source]} (${c.subject}) is past ${AUTO_ROTATION_POINT * 100}% of its validity but AKS has not rotated it, although the cluster is eligible for auto-rotation.` }));
}

function legacyCaFindings(certificates: CertificateFacts[]): Finding[] {
  return certificates
    .filter((c) => c.source === 'cluster-ca' && c.notAfter.getTime() - c.notBefore.getTime() <= LEGACY_CA_MAX_VALIDITY_MS)
    .map((c): Finding => ({ code: 'LEGACY_TWO_YEAR_CA', severity: 'warning', certificate: c.sha256,
      message: `The Cluster CA is valid for only ${Math.round((c.notAfter.getTime() - c.notBefore.getTime()) / (365.25 * DAY_MS) * 10) / 10} years (clusters created before May 2019); rotating the certificates issues a 30-year CA.` }));
}

function clusterStateFindings(cluster: ClusterFacts): Finding[] {
  const findings: Finding[] = [];
  if (isStopped(cluster)) {
    findings.push({ code: 'CLUSTER_STOPPED', severity: 'warning',
      message: 'The cluster is stopped: its certificates cannot be rotated, and after a rotation while stopped the node pools must be recreated.' });
  }
  if (!isProvisioned(cluster)) {
    findings.push({ code: 'CLUSTER_NOT_READY', severity: 'warning',
      message: `The cluster's provisioning state is ${cluster.provisioningState}, not Succeeded.` });
  }
  return findings;
}

/** The verdict of a cluster ARM listed but whose description could not be read: reported, never dropped. */
export function unreadableClusterVerdict(
  cluster: Pick<ClusterVerdict, 'id' | 'subscriptionId' | 'resourceGroup' | 'name' | 'location'>,
  message: string,
): ClusterVerdict {
  const findings: Finding[] = [{ code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', source: 'cluster', reason: 'error', message }];
  return { ...cluster, platform: platformOf(cluster), status: 'unknown', autoRotation: { eligible: false, reasons: [] }, certificates: [], findings, action: 'none' };
}

function verdictBase(cluster: ClusterFacts) {
  return {
    id: cluster.id, subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup,
    name: cluster.name, location: cluster.location, platform: platformOf(cluster),
  };
}

/**
 * AKS enabled by Azure Arc (docs/rules.md): the expiry rules on the kubeconfig's certificates, the
 * update cadence and the Arc agent's connectivity (arcRules.ts), the provisioning state. AKS's
 * auto-rotation, the Cluster CA's legacy validity, the maximum age and custom CA trust are AKS's own
 * and do not apply: an update, not a rotation, renews an Arc cluster's certificates.
 */
function evaluateArcCluster(cluster: ClusterFacts, evidence: CertificateEvidence, policy: Policy, now: Date): ClusterVerdict {
  // Maximum-age findings: the policy's cure for them is `rotateClusterCertificates`, which AKS Arc has not.
  const ageCodes: ReadonlySet<FindingCode> = new Set(['CERT_AGE_EXCEEDS_POLICY', 'CERT_AGE_NEAR_POLICY']);
  const findings: Finding[] = [
    ...evidence.certificates.flatMap((certificate) => judgeCertificate(certificate, policy, now).filter((f) => !ageCodes.has(f.code))),
    ...judgeArcUpdate(evidence.arcInstance, now),
    ...judgeArcConnectivity(cluster.connectedCluster, now),
    ...clusterStateFindings(cluster),
    ...unavailableFindings(evidence),
  ];
  const judged = {
    ...verdictBase(cluster), status: clusterStatus(findings, evidence.certificates), autoRotation: { eligible: false, reasons: [] },
    certificates: evidence.certificates, findings,
  };
  return { ...judged, action: planAction(cluster, judged, policy) };
}

function unavailableFindings(evidence: CertificateEvidence): Finding[] {
  return evidence.unavailable.map((u): Finding => ({
    code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', source: u.source, reason: u.reason, message: u.message,
  }));
}
