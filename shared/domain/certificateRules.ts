import { CLUSTER_ROTATED_SOURCES, type CertificateFacts, type CertificateSource } from './certificate.js';
import type { Finding } from './findings.js';
import type { Policy } from './policy.js';
import { calendarDaysBetween, DAY_MS, wholeDaysBetween } from './time.js';

export const SOURCE_LABEL: Record<CertificateSource, string> = {
  'cluster-ca': 'Cluster CA certificate',
  client: 'Client certificate',
  apiserver: 'API server certificate',
  'custom-ca': 'Custom CA trust certificate',
  'kubelet-client': 'Kubelet client certificate',
  'kubelet-serving': 'Kubelet serving certificate',
  'node-apiserver': 'Node API server certificate',
};

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function days(n: number): string {
  return `${n} day${n === 1 ? '' : 's'}`;
}

/**
 * When a certificate expired or expires, in calendar days (UTC) from today to the day printed beside
 * it, so the count and the date agree: read on 2026-11-23, a certificate expiring on 2026-11-28
 * "expires in 5 days, on 2026-11-28" whether 4.2 or 5.9 days are left; one that expired this UTC day
 * "expired today"; one that expired on 2026-11-22 "expired 1 day ago", even minutes before midnight.
 * The rules themselves compare instants to the millisecond (docs/rules.md).
 */
function expiredWhen(calendarDays: number): string {
  return calendarDays === 0 ? 'today' : `${days(calendarDays)} ago`;
}

function expiresWhen(calendarDays: number): string {
  return calendarDays === 0 ? 'today' : `in ${days(calendarDays)}`;
}

/** Expiry and maximum-age findings for one certificate (docs/rules.md "Certificate rules"). */
export function judgeCertificate(certificate: CertificateFacts, policy: Policy, now: Date): Finding[] {
  const findings: Finding[] = [];
  const label = `${SOURCE_LABEL[certificate.source]} (${certificate.subject})`;
  const about = { certificate: certificate.sha256 };
  const untilExpiry = certificate.notAfter.getTime() - now.getTime();
  const expiryDays = calendarDaysBetween(now, certificate.notAfter);

  if (untilExpiry <= 0) {
    findings.push({ code: 'CERT_EXPIRED', severity: 'violation', ...about,
      message: `${label} expired ${expiredWhen(-expiryDays)}, on ${isoDay(certificate.notAfter)}.` });
  } else if (untilExpiry <= policy.criticalDays * DAY_MS) {
    findings.push({ code: 'CERT_EXPIRING_CRITICAL', severity: 'violation', ...about,
      message: `${label} expires ${expiresWhen(expiryDays)}, on ${isoDay(certificate.notAfter)} (critical within ${days(policy.criticalDays)}).` });
  } else if (untilExpiry <= policy.warningDays * DAY_MS) {
    findings.push({ code: 'CERT_EXPIRING_SOON', severity: 'warning', ...about,
      message: `${label} expires ${expiresWhen(expiryDays)}, on ${isoDay(certificate.notAfter)}.` });
  }

  const age = now.getTime() - certificate.notBefore.getTime();
  if (age < 0) {
    findings.push({ code: 'CERT_NOT_YET_VALID', severity: 'warning', ...about,
      message: `${label} is not valid before ${certificate.notBefore.toISOString()}: check the issuer's clock.` });
    return findings;
  }
  if (!CLUSTER_ROTATED_SOURCES.includes(certificate.source)) return findings;

  const ageDays = wholeDaysBetween(certificate.notBefore, now);
  if (age > policy.maxAgeDays * DAY_MS) {
    findings.push({ code: 'CERT_AGE_EXCEEDS_POLICY', severity: 'violation', ...about,
      message: `${label} is ${days(ageDays)} old, over the ${days(policy.maxAgeDays)} policy: rotate the cluster certificates (az aks rotate-certs).` });
  } else if (age > (policy.maxAgeDays - policy.warningDays) * DAY_MS) {
    findings.push({ code: 'CERT_AGE_NEAR_POLICY', severity: 'warning', ...about,
      message: `${label} is ${days(ageDays)} old; the ${days(policy.maxAgeDays)} policy requires rotation within ${days(Math.max(0, policy.maxAgeDays - ageDays))}.` });
  }
  return findings;
}

/** AKS rotates non-CA certificates at 80% of their validity (AKS certificate rotation, docs/rules.md 001). */
export const AUTO_ROTATION_POINT = 0.8;

/**
 * The non-CA certificates AKS rotates by itself at that point (001: "on both the control plane and agent
 * nodes", through TLS bootstrapping): the kubeconfig's client and the API server's, and on the nodes the
 * kubelet's client certificate. Not the kubelet serving certificate (renewed only where serving certificate
 * rotation is on) nor the node's copy of the API server certificate (written when the node is built):
 * docs/rules.md "Node probe".
 */
export const AUTO_ROTATED_SOURCES: readonly CertificateSource[] = ['client', 'apiserver', 'kubelet-client'];

export function pastAutoRotationPoint(certificate: CertificateFacts, now: Date): boolean {
  const validity = certificate.notAfter.getTime() - certificate.notBefore.getTime();
  return now.getTime() - certificate.notBefore.getTime() > AUTO_ROTATION_POINT * validity;
}

/** A Cluster CA living at most this long is the two-year CA of clusters created before May 2019 (AKS certificate rotation, docs/rules.md 001). */
export const LEGACY_CA_MAX_VALIDITY_MS = 3 * 365 * DAY_MS;
