import { CLUSTER_ROTATED_SOURCES } from './certificate.js';
import { worstFinding, type Finding } from './findings.js';
import { calendarDaysBetween, wholeDaysBetween } from './time.js';
import { STATUSES } from './report.js';
import type { ClusterStatus, ClusterVerdict } from './verdict.js';

// Numbers people read off a verdict (report tables, CSV, dashboard).

/**
 * The earliest notAfter among all the verdict's certificates, custom CA trust certificates included:
 * an expired custom CA is a CERT_EXPIRED violation like any other, so the number shown beside it must
 * not be the 699 days left of the cluster's own certificates.
 */
export function earliestExpiry(verdict: ClusterVerdict): Date | undefined {
  const expiries = verdict.certificates.map((c) => c.notAfter.getTime());
  return expiries.length ? new Date(Math.min(...expiries)) : undefined;
}

/**
 * Days until the earliest expiry among all the verdict's certificates, counted as the expiry messages
 * count (docs/rules.md): calendar days (UTC) from today to the day of expiry, so 0 on that day and
 * negative after it.
 */
export function daysToExpiry(verdict: ClusterVerdict, now: Date): number | undefined {
  const expiry = earliestExpiry(verdict);
  return expiry && calendarDaysBetween(now, expiry);
}

/**
 * Days since the cluster's certificates were last rotated: the age of the oldest certificate that
 * `az aks rotate-certs` renews (Cluster CA, client, API server; custom CA trust certificates belong
 * to the customer). A rotation renews all of them, so the oldest was issued at the last rotation (or
 * at creation, when the cluster was never rotated); it is also the age the CERT_AGE rules judge.
 */
export function daysSinceRotation(verdict: ClusterVerdict, now: Date): number | undefined {
  const issued = verdict.certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source)).map((c) => c.notBefore.getTime());
  return issued.length ? wholeDaysBetween(new Date(Math.min(...issued)), now) : undefined;
}

/** The finding that explains the status: the worst one, the first of equals (so the first finding when all are info). */
export function headlineFinding(verdict: ClusterVerdict): Finding | undefined {
  return worstFinding(verdict.findings);
}

/** The order of STATUSES (report.ts), most urgent first. */
const URGENCY = Object.fromEntries(STATUSES.map((status, rank) => [status, rank])) as Record<ClusterStatus, number>;

/** Most urgent first: worse status, then sooner expiry (of any certificate), then name. */
export function byUrgency(now: Date) {
  return (a: ClusterVerdict, b: ClusterVerdict): number =>
    URGENCY[a.status] - URGENCY[b.status] ||
    (daysToExpiry(a, now) ?? Infinity) - (daysToExpiry(b, now) ?? Infinity) ||
    a.name.localeCompare(b.name);
}
