import { readCertificates, type CertificateFacts } from './certificate.js';
import type { ClusterFacts } from './cluster.js';
import type { Finding } from './findings.js';

/** AKS custom CA (docs/rules.md 000): "a text file containing up to 10 blank line separated certificates". */
export const CUSTOM_CA_LIMIT = 10;

export interface CustomCaTrustJudgement {
  certificates: CertificateFacts[];
  findings: Finding[];
}

/** Parses the custom CA trust list and applies the limits of the AKS custom CA article (docs/rules.md 000: count, Linux pools only). */
export function judgeCustomCaTrust(cluster: ClusterFacts): CustomCaTrustJudgement {
  const entries = cluster.customCaTrustCertificates;
  const certificates: CertificateFacts[] = [];
  const findings: Finding[] = [];

  entries.forEach((bytes, index) => {
    const reading = readCertificates(bytes, 'custom-ca');
    if (reading.ok) certificates.push(...reading.certificates);
    else findings.push({ code: 'CUSTOM_CA_INVALID', severity: 'violation',
      message: `Custom CA trust certificate ${index + 1} of ${entries.length} is invalid: ${reading.problem}.` });
  });

  if (entries.length > CUSTOM_CA_LIMIT) {
    findings.push({ code: 'CUSTOM_CA_LIMIT_EXCEEDED', severity: 'violation',
      message: `${entries.length} custom CA trust certificates are set; AKS accepts at most ${CUSTOM_CA_LIMIT}.` });
  }

  const windowsPools = cluster.agentPools.filter((pool) => pool.osType?.toLowerCase() === 'windows');
  const windowsPoolsAffected = entries.length > 0 ? windowsPools : windowsPools.filter((pool) => pool.enableCustomCATrust);
  if (windowsPoolsAffected.length > 0) {
    findings.push({ code: 'CUSTOM_CA_WINDOWS_POOL', severity: 'warning',
      message: `Custom CA trust is not supported on Windows node pools (${windowsPoolsAffected.map((p) => p.name).join(', ')}): their nodes will not trust the custom CAs.` });
  }
  return { certificates, findings };
}
