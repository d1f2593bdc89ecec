import { countByStatus, type ScanError, type ScanReport } from '../domain/report.js';
import { byUrgency, daysToExpiry, earliestExpiry, headlineFinding } from '../domain/verdictMetrics.js';
import { worstFinding } from '../domain/findings.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { reportDocument } from '../dashboard/reportDocument.js';
import type { PointInTimeReport } from '../store/pointInTimeReport.js';

export { daysToExpiry } from '../domain/verdictMetrics.js';

export type OutputFormat = 'table' | 'json' | 'csv';
/** Reports also come as a standalone HTML page and as JSON lines (one cluster per line, for SIEM ingestion). */
export type ReportFormat = OutputFormat | 'html' | 'jsonl';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'csv', 'html', 'jsonl'];

/**
 * What every format shows of a report, whichever report it is (a scan, or the fleet at a point in
 * time): its verdicts, each with the time it was recorded, and the instant days are counted from.
 */
export interface ReportView {
  title: string;
  /** One sentence under the title (table: the first line). */
  summary: string;
  asOf: Date;
  entries: { verdict: ClusterVerdict; recordedAt: Date }[];
  errors: ScanError[];
  /** The JSON document (`json`), and what each JSON line carries besides the cluster (`jsonl`). */
  document: { clusters: readonly object[] };
  lineContext: Record<string, unknown>;
}

export function formatReport(report: ScanReport, format: ReportFormat): string {
  const { scan } = report;
  return formatView({
    title: `Scan ${scan.id}`,
    summary: `Scan ${scan.id} at ${scan.startedAt.toISOString()}: ${scan.clusters} clusters in ${scan.subscriptions} subscriptions (policy: rotate every ${scan.policy.maxAgeDays} days)`,
    asOf: scan.startedAt,
    entries: report.clusters.map((verdict) => ({ verdict, recordedAt: scan.startedAt })),
    errors: scan.errors,
    document: report,
    lineContext: { scanId: scan.id, scannedAt: scan.startedAt },
  }, format);
}

export function formatPointInTimeReport(report: PointInTimeReport, format: ReportFormat): string {
  const { asOf } = report.report;
  const scope = [report.report.subscriptionId && `subscription ${report.report.subscriptionId}`, report.report.status && `status ${report.report.status}`].filter(Boolean).join(', ');
  return formatView({
    title: `Compliance as of ${asOf.toISOString()}`,
    summary: `Compliance as recorded at ${asOf.toISOString()}: ${report.report.clusters} clusters in ${report.report.subscriptions} subscriptions${scope ? ` (${scope})` : ''}`,
    asOf,
    entries: report.clusters.map((verdict) => ({ verdict, recordedAt: verdict.recordedAt })),
    errors: report.report.errors,
    document: report,
    lineContext: { asOf },
  }, format);
}

function formatView(view: ReportView, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(view.document, null, 2)}\n`;
    case 'jsonl':
      return view.document.clusters.map((cluster) => `${JSON.stringify({ ...view.lineContext, ...cluster })}\n`).join('');
    case 'csv':
      return reportCsv(view);
    case 'table':
      return reportTable(view);
    case 'html':
      return reportDocument(view);
  }
}

function reportTable(view: ReportView): string {
  const now = view.asOf;
  const verdicts = view.entries.map((e) => e.verdict);
  const rows = [...verdicts].sort(byUrgency(now)).map((v) => {
    const worst = headlineFinding(v);
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
  const counts = countByStatus(verdicts);
  const out = [
    view.summary,
    '',
    line(header),
    ...rows.map(line),
    '',
    `violation ${counts.violation}  warning ${counts.warning}  unknown ${counts.unknown}  compliant ${counts.compliant}`,
    ...view.errors.map((e) => `error  ${e.scope}: ${e.message}`),
  ];
  return `${out.join('\n')}\n`;
}

const CSV_COLUMNS = [
  'id', 'subscriptionId', 'resourceGroup', 'name', 'location', 'status', 'action', 'worstFinding', 'findingCodes',
  'daysToExpiry', 'earliestNotAfter', 'autoRotationEligible', 'autoRotationReasons', 'scannedAt',
] as const;

/** A header row, then one row per cluster; dates in ISO 8601 (UTC); CRLF line ends (RFC 4180). */
function reportCsv(view: ReportView): string {
  const rows = view.entries.map(({ verdict: v, recordedAt }) => [
    v.id, v.subscriptionId, v.resourceGroup, v.name, v.location, v.status, v.action,
    worstFinding(v.findings)?.code ?? '', [...new Set(v.findings.map((f) => f.code))].join(' '),
    String(daysToExpiry(v, view.asOf) ?? ''), earliestExpiry(v)?.toISOString() ?? '', String(v.autoRotation.eligible), v.autoRotation.reasons.join(' '),
    recordedAt.toISOString(),
  ]);
  return [CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
