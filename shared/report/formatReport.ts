import { platformOf } from '../domain/clusterId.js';
import { countByStatus, type ScanError, type ScanReport } from '../domain/report.js';
import { byUrgency, daysToExpiry, earliestExpiry, headlineFinding } from '../domain/verdictMetrics.js';
import { distinctCodes, worstFinding } from '../domain/findings.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { reportDocument } from '../dashboard/reportDocument.js';
import type { PointInTimeReport } from '../audit/pointInTimeReport.js';
import { csvDocument } from './csv.js';
import { plural } from './plural.js';
import { textTable, type TextColumn } from './textTable.js';

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
  /** `stale`: not seen by the last complete listing of its subscription (point-in-time reports only). */
  entries: { verdict: ClusterVerdict; recordedAt: Date; stale?: boolean }[];
  errors: ScanError[];
  /** The JSON document (`json`), and what each JSON line carries besides the cluster (`jsonl`). */
  document: { clusters: readonly object[] };
  lineContext: Record<string, unknown>;
}

/** How a text table is laid out: `width` is the terminal's columns (none when the output is not a terminal). */
export interface TableLayout {
  width?: number;
}

export function formatReport(report: ScanReport, format: ReportFormat, layout: TableLayout = {}): string {
  const { scan } = report;
  return formatView({
    title: `Scan ${scan.id}`,
    summary: `Scan ${scan.id} at ${scan.startedAt.toISOString()}: ${plural(scan.clusters, 'cluster')} in ${plural(scan.subscriptions, 'subscription')} (policy: rotate every ${plural(scan.policy.maxAgeDays, 'day')})`,
    asOf: scan.startedAt,
    entries: report.clusters.map((verdict) => ({ verdict, recordedAt: scan.startedAt })),
    errors: scan.errors,
    document: report,
    lineContext: { scanId: scan.id, scannedAt: scan.startedAt },
  }, format, layout);
}

export function formatPointInTimeReport(report: PointInTimeReport, format: ReportFormat, layout: TableLayout = {}): string {
  const { asOf } = report.report;
  const scope = [report.report.subscriptionId && `subscription ${report.report.subscriptionId}`, report.report.status && `status ${report.report.status}`].filter(Boolean).join(', ');
  return formatView({
    title: `Compliance as of ${asOf.toISOString()}`,
    summary: `Compliance as recorded at ${asOf.toISOString()}: ${plural(report.report.clusters, 'cluster')} in ${plural(report.report.subscriptions, 'subscription')}${scope ? ` (${scope})` : ''}`,
    asOf,
    entries: report.clusters.map((verdict) => ({ verdict, recordedAt: verdict.recordedAt, stale: verdict.stale === true })),
    errors: report.report.errors,
    document: report,
    lineContext: { asOf },
  }, format, layout);
}

function formatView(view: ReportView, format: ReportFormat, layout: TableLayout): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(view.document, null, 2)}\n`;
    case 'jsonl':
      return view.document.clusters.map((cluster) => `${JSON.stringify({ ...view.lineContext, ...cluster })}\n`).join('');
    case 'csv':
      return reportCsv(view);
    case 'table':
      return reportTable(view, layout);
    case 'html':
      return reportDocument(view);
  }
}

/** The columns of the report table; `keep` orders what a narrow terminal leaves out first. */
const TABLE_COLUMNS: TextColumn[] = [
  { header: 'STATUS' }, { header: 'CLUSTER' }, { header: 'RESOURCE GROUP', keep: 2 }, { header: 'SUB', keep: 1 },
  { header: 'DAYS LEFT' }, { header: 'AUTO-ROTATION', keep: 3 }, { header: 'ACTION', keep: 4 }, { header: 'WORST FINDING' },
];

function reportTable(view: ReportView, layout: TableLayout): string {
  const now = view.asOf;
  const verdicts = view.entries.map((e) => e.verdict);
  const stale = new Set(view.entries.filter((e) => e.stale).map((e) => e.verdict));
  const rows = [...verdicts].sort(byUrgency(now)).map((v) => {
    const worst = headlineFinding(v);
    return [
      stale.has(v) ? `${v.status.toUpperCase()} stale` : v.status.toUpperCase(),
      // AKS enabled by Azure Arc says so beside its name (AKS, the common case, says nothing).
      platformOf(v) === 'aks-arc' ? `${v.name} (aks-arc)` : v.name,
      v.resourceGroup,
      v.subscriptionId.slice(0, 8),
      String(daysToExpiry(v, now) ?? '-'),
      autoRotationText(v),
      v.action,
      worst ? `${worst.code}${v.findings.length > 1 ? ` +${v.findings.length - 1}` : ''}` : '-',
    ];
  });
  const counts = countByStatus(verdicts);
  const out = [
    view.summary,
    '',
    ...textTable(TABLE_COLUMNS, rows, layout.width),
    '',
    `violation ${counts.violation}  warning ${counts.warning}  unknown ${counts.unknown}  compliant ${counts.compliant}`,
    ...view.errors.map((e) => `error  ${e.scope}: ${e.message}`),
  ];
  return `${out.join('\n')}\n`;
}

/** `yes`, `no (REASONS)`, or `unknown` when the cluster could not be read (no reason is known either way). */
function autoRotationText(v: ClusterVerdict): string {
  if (v.autoRotation.eligible) return 'yes';
  return v.autoRotation.reasons.length ? `no (${v.autoRotation.reasons.join(',')})` : 'unknown';
}

const CSV_COLUMNS = [
  'id', 'subscriptionId', 'resourceGroup', 'name', 'location', 'status', 'action', 'worstFinding', 'findingCodes',
  'daysToExpiry', 'earliestNotAfter', 'autoRotationEligible', 'autoRotationReasons', 'scannedAt', 'lastSeenAt', 'stale',
  'evidenceReadAt', 'evidenceCarried', 'platform',
] as const;

/** A header row, then one row per cluster; dates in ISO 8601 (UTC); CRLF line ends (RFC 4180). */
function reportCsv(view: ReportView): string {
  const rows = view.entries.map(({ verdict: v, recordedAt, stale }) => [
    v.id, v.subscriptionId, v.resourceGroup, v.name, v.location, v.status, v.action,
    worstFinding(v.findings)?.code ?? '', distinctCodes(v.findings).join(' '),
    String(daysToExpiry(v, view.asOf) ?? ''), earliestExpiry(v)?.toISOString() ?? '', String(v.autoRotation.eligible), v.autoRotation.reasons.join(' '),
    // The id tells the platform, also of verdicts recorded before `platform` was reported.
    recordedAt.toISOString(), v.lastSeenAt?.toISOString() ?? '', String(stale === true),
    v.evidence?.readAt.toISOString() ?? '', v.evidence ? String(v.evidence.carried) : '', platformOf(v),
  ]);
  return csvDocument(CSV_COLUMNS, rows);
}
