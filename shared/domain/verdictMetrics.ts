import { CLUSTER_ROTATED_SOURCES } from './certificate.js';
import { severityRank, worstFinding, type Finding } from './findings.js';
import { wholeDaysBetween } from './time.js';
import type { ClusterVerdict } from './verdict.js';

/**
 * Numbers people read off a verdict (report tables, CSV, dashboard), about the certificates that
 * `az aks rotate-certs` renews: Cluster CA, client, API server. Custom CA certificates belong to the
 * customer and count for neither.
 */
function rotatedCertificates(verdict: ClusterVerdict) {
  return verdict.certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source));
}

/** The earliest notAfter among the rotated certificates. */
export function earliestRotatedExpiry(verdict: ClusterVerdict): Date | undefined {
  const expiries = rotatedCertificates(verdict).map((c) => c.notAfter.getTime());
  return expiries.length ? new Date(Math.min(...expiries)) : undefined;
}

/** Days until the earliest expiry among the rotated certificates (negative once expired). */
export function daysToExpiry(verdict: ClusterVerdict, now: Date): number | undefined {
  const expiry = earliestRotatedExpiry(verdict);
  return expiry && wholeDaysBetween(now, expiry);
}

/**
 * Days since the cluster's certificates were last rotated: the age of the oldest rotated certificate.
 * A rotation renews all of them, so the oldest was issued at the last rotation (or at creation, when
 * the cluster was never rotated); it is also the age the CERT_AGE rules judge.
 */
export function daysSinceRotation(verdict: ClusterVerdict, now: Date): number | undefined {
  const issued = rotatedCertificates(verdict).map((c) => c.notBefore.getTime());
  return issued.length ? wholeDaysBetween(new Date(Math.min(...issued)), now) : undefined;
}

/** The finding that explains the status: the worst warning or violation, else the first finding. */
export function headlineFinding(verdict: ClusterVerdict): Finding | undefined {
  return worstFinding(verdict.findings.filter((f) => severityRank(f.severity) > 0)) ?? verdict.findings[0];
}

const STATUS_ORDER: readonly ClusterVerdict['status'][] = ['violation', 'warning', 'unknown', 'compliant'];

/** Most urgent first: worse status, then sooner expiry, then name. */
export function byUrgency(now: Date) {
  return (a: ClusterVerdict, b: ClusterVerdict): number =>
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    (daysToExpiry(a, now) ?? Infinity) - (daysToExpiry(b, now) ?? Infinity) ||
    a.name.localeCompare(b.name);
}
