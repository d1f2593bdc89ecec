/** Finding codes are a contract (docs/rules.md): add codes, never rename. */
export const FINDING_CODES = [
  'CERT_EXPIRED',
  'CERT_EXPIRING_CRITICAL',
  'CERT_EXPIRING_SOON',
  'CERT_NOT_YET_VALID',
  'CERT_AGE_EXCEEDS_POLICY',
  'CERT_AGE_NEAR_POLICY',
  'AUTO_ROTATION_INELIGIBLE',
  'AUTO_ROTATION_OVERDUE',
  'LEGACY_TWO_YEAR_CA',
  'CLUSTER_STOPPED',
  'CLUSTER_NOT_READY',
  'CUSTOM_CA_INVALID',
  'CUSTOM_CA_LIMIT_EXCEEDED',
  'CUSTOM_CA_WINDOWS_POOL',
  'CERT_SOURCE_UNAVAILABLE',
  'ROTATION_STARTED',
  'ROTATION_SUCCEEDED',
  'ROTATION_FAILED',
  'KUBERNETES_VERSION_UNSUPPORTED',
  'UPGRADE_ROTATION_DEADLOCK_RISK',
  'KUBELET_SERVING_ROTATION_DISABLED',
  'ARC_UPDATE_OVERDUE',
  'ARC_CONNECTIVITY_EXPIRED',
  'REVOCATION_ISSUED',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'info' | 'warning' | 'violation';

/** Stable words for why a certificate source could not be read (docs/rules.md). */
export type UnavailableReason =
  | 'forbidden'
  | 'not_found'
  | 'throttled'
  | 'unreachable'
  | 'local_accounts_disabled'
  | 'no_certificate'
  | 'bad_pem'
  | 'bad_kubeconfig'
  | 'private_cluster'
  | 'error'
  | 'unreadable';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** SHA-256 (hex) of the certificate the finding is about. */
  certificate?: string;
  /** For CERT_SOURCE_UNAVAILABLE: which source, and the stable reason word. */
  source?: string;
  reason?: UnavailableReason;
  /** The node pool a finding is about (KUBELET_SERVING_ROTATION_DISABLED). */
  nodePool?: string;
  /** A stable word for why a rule fired, where it has several causes (docs/rules.md names them per code). */
  cause?: string;
  /** The control plane version a version finding judged (KUBERNETES_VERSION_UNSUPPORTED, UPGRADE_ROTATION_DEADLOCK_RISK). */
  kubernetesVersion?: string;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, violation: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/** The most severe finding first; ties keep their order. */
export function worstFinding(findings: readonly Finding[]): Finding | undefined {
  return findings.reduce<Finding | undefined>(
    (worst, f) => (worst === undefined || severityRank(f.severity) > severityRank(worst.severity) ? f : worst),
    undefined,
  );
}

/** The codes among the findings, each once, in order of first appearance. */
export function distinctCodes(findings: readonly Pick<Finding, 'code'>[]): FindingCode[] {
  return [...new Set(findings.map((f) => f.code))];
}
