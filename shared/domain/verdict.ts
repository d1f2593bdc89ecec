import type { ArcInstanceFacts } from './arcRules.js';
import type { CertificateFacts, CertificateSource } from './certificate.js';
import type { ClusterPlatform } from './clusterId.js';
import type { AutoRotation } from './eligibility.js';
import type { Finding, UnavailableReason } from './findings.js';
import type { VersionSupportEvidence } from './versionSupport.js';

export type ClusterStatus = 'compliant' | 'warning' | 'violation' | 'unknown';
export type ClusterAction = 'none' | 'rotate' | 'alert';

/**
 * What the rotation orchestrator did about a cluster in this run (README "Rotation"): `planned` a
 * candidate a plain scan would rotate, `held` one a guard held back (`reason`, and `notBefore` when
 * it may go), `started`/`running`/`succeeded`/`failed` a rotation and its operation.
 */
export interface Remediation {
  state: 'none' | 'planned' | 'held' | 'started' | 'running' | 'succeeded' | 'failed';
  /** The guard's reason word when held; the ARM error code when failed. */
  reason?: string;
  operationId?: string;
  notBefore?: Date;
}

/** A certificate source that could not be read, and why (becomes CERT_SOURCE_UNAVAILABLE). */
export interface UnavailableSource {
  source: CertificateSource | 'kubeconfig' | 'cluster' | 'upgradeProfile' | 'kubernetesVersions' | 'node-probe';
  reason: UnavailableReason;
  /** A sentence safe to store: HTTP status and ARM error code, never credential material. */
  message: string;
}

/**
 * What the adapters could read of a cluster's certificates, and the further facts some sources read
 * beside them (scan/ports.ts EvidenceSource): each such field is optional, absent when its source is
 * off or could not be read.
 */
export interface CertificateEvidence {
  certificates: CertificateFacts[];
  unavailable: UnavailableSource[];
  /** The upgrade profile and the region's supported versions (azure/versionSupport.ts). */
  versionSupport?: VersionSupportEvidence;
  /** AKS enabled by Azure Arc: its provisioned cluster instance, read with its kubeconfig. */
  arcInstance?: ArcInstanceFacts;
  /** The node probe's (azure/nodeProbe.ts): when it read the nodes, and what it saw of TLS bootstrapping. */
  nodeProbe?: NodeProbeEvidence;
}

/** Where a verdict's certificate evidence comes from: a read at `readAt`, carried or made by this scan. */
export interface VerdictEvidence {
  readAt: Date;
  carried: boolean;
}

/**
 * What the node probe read besides certificates (docs/rules.md "Node probe"): when, and whether each
 * node pool it could read has its bootstrap kubeconfig. Kept in the verdict, so that a scan within
 * NODE_PROBE_HOURS carries it instead of probing again.
 */
export interface NodeProbeEvidence {
  probedAt: Date;
  pools: Array<{ pool: string; bootstrapKubeconfig: boolean }>;
}

/** One cluster's verdict: the JSON report's `clusters[]` entry (a contract: docs/architecture.md). */
export interface ClusterVerdict {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  /**
   * `aks` or `aks-arc` (AKS enabled by Azure Arc). Every verdict judged since it exists has it;
   * recorded verdicts without it are AKS's (`platformOf(id)` says the same).
   */
  platform?: ClusterPlatform;
  status: ClusterStatus;
  autoRotation: AutoRotation;
  certificates: CertificateFacts[];
  findings: Finding[];
  action: ClusterAction;
  /**
   * When ARM last listed or returned the cluster: the start time of the scan that judged it. Absent
   * when ARM could not be asked (its GET failed) and in verdicts recorded before it existed.
   */
  lastSeenAt?: Date;
  /**
   * How old the certificate evidence judged is (README "Warm scans"): `readAt`, when the kubeconfig and
   * the API server were read; `carried`, judged again from that recorded read without reading them
   * (the cluster unchanged since). Absent on a cluster whose description could not be read, and in
   * verdicts recorded before it existed.
   */
  evidence?: VerdictEvidence;
  /** With the node probe on: when its certificates were read and what it saw of TLS bootstrapping. */
  nodeProbe?: NodeProbeEvidence;
  /** Set by the report of a scan (`akscert scan`), never stored with the verdict. */
  remediation?: Remediation;
}
