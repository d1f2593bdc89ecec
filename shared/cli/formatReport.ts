import { CLUSTER_ROTATED_SOURCES } from '../domain/certificate.js';
import { severityRank, worstFinding } from '../domain/findings.js';
import { countByStatus, STATUSES, type ScanReport } from '../domain/report.js';
import { wholeDaysBetween } from '../domain/time.js';
import type { ClusterVerdict } from '../domain/verdict.js';

export type OutputFormat = 'table' | 'json' | 'csv';

export function formatReport(report: ScanReport, format: OutputFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return reportCsv(report);
    case 'table':
      return reportTable(report);
  }
}

/** Days until the earliest expiry among the certificates the cluster rotates (negative once expired). */
export function daysToExpiry(verdict: ClusterVerdict, now: Date): number | undefined {
  const expiries = verdict.certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source)).map((c) => c.notAfter);
  if (expiries.length === 0) return undefined;
  return wholeDaysBetween(now, new Date(Math.min(...expiries.map((d) => d.getTime()))));
}

const STATUS_ORDER = (v: ClusterVerdict) => STATUSES.indexOf(v.status);

function byUrgency(now: Date) {
  return (a: ClusterVerdict, b: ClusterVerdict) =>
    STATUS_ORDER(a) - STATUS_ORDER(b) ||
    (daysToExpiry(a, now) ?? Infinity) - (daysToExpiry(b, now) ?? Infinity) ||
    a.name.localeCompare(b.name);
}

function reportTable(report: ScanReport): string {
  const now = report.scan.startedAt;
  const rows = [...report.clusters].sort(byUrgency(now)).map((v) => {
    const worst = worstFinding(v.findings.filter((f) => severityRank(f.severity) > 0)) ?? v.findings[0];
    return [
      v.status.toUpperCase(),
      v.name,
      v.resourceGroup,
      v.subscriptionId.slice(0, 8),
      String(daysToExpiry(v, now) ?? '-'),
      v.autoRotation.eligible ? 'yes' : `no (${v.autoRotation.reasons.join(',')})`,
      v.action,
      worst ? `${worst.code}${v.findings.length > 1 ? ` +${v.findings.length - 1}` : ''}` : '-',
    ];
  });
  const header = ['STATUS', 'CLUSTER', 'RESOURCE GROUP', 'SUB', 'DAYS LEFT', 'AUTO-ROTATION', 'ACTION', 'WORST FINDING'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const counts = countByStatus(report.clusters);
  const { scan } = report;
  const out = [
    `Scan ${scan.id} at ${scan.startedAt.toISOString()}: ${scan.clusters} clusters in ${scan.subscriptions} subscriptions (policy: rotate every ${scan.policy.maxAgeDays} days)`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `violation ${counts.violation}  warning ${counts.warning}  unknown ${counts.unknown}  compliant ${counts.compliant}`,
    ...scan.errors.map((e) => `error  ${e.scope}: ${e.message}`),
  ];
  return `${out.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'id', 'subscriptionId', 'resourceGroup', 'name', 'location', 'status', 'action', 'worstFinding', 'findingCodes',
  'daysToExpiry', 'earliestNotAfter', 'autoRotationEligible', 'autoRotationReasons', 'scannedAt',
] as const;

function reportCsv(report: ScanReport): string {
  const now = report.scan.startedAt;
  const rows = report.clusters.map((v) => {
    const rotated = v.certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source));
    const earliest = rotated.length ? new Date(Math.min(...rotated.map((c) => c.notAfter.getTime()))).toISOString() : '';
    return [
      v.id, v.subscriptionId, v.resourceGroup, v.name, v.location, v.status, v.action,
      worstFinding(v.findings)?.code ?? '', [...new Set(v.findings.map((f) => f.code))].join(' '),
      String(daysToExpiry(v, now) ?? ''), earliest, String(v.autoRotation.eligible), v.autoRotation.reasons.join(' '),
      now.toISOString(),
    ];
  });
  return [CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
