import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../shared/report/csv.js';
import { formatPointInTimeReport } from '../../../shared/report/formatReport.js';
import { countByStatus } from '../../../shared/domain/report.js';
import type { PointInTimeReport } from '../../../shared/audit/pointInTimeReport.js';
import { verdictFor } from '../../support/auditTrail.js';

const asOf = new Date('2026-06-30T23:59:59.999Z');
const S = '8b8b8b8b-0000-4000-8000-000000000008';

function reportOf(...clusters: PointInTimeReport['clusters']): PointInTimeReport {
  return { report: { asOf, generatedAt: asOf, subscriptions: 1, clusters: clusters.length, counts: countByStatus(clusters), errors: [] }, clusters };
}

describe('formatPointInTimeReport as a text table', () => {
  const cluster = (name: string) => ({ ...verdictFor(S, name, 'violation', asOf), recordedAt: asOf, scanId: 'scan-1', hash: 'b'.repeat(64) });

  it('says "1 cluster in 1 subscription", not "1 clusters in 1 subscriptions"', () => {
    expect(formatPointInTimeReport(reportOf(cluster('aks-one')), 'table').split('\n')[0]).toMatch(/: 1 cluster in 1 subscription$/);
  });

  it('shows an unreadable cluster\'s auto-rotation as unknown, not as "no ()"', () => {
    const unreadable = { ...cluster('aks-unread'), status: 'unknown' as const, autoRotation: { eligible: false, reasons: [] } };
    const table = formatPointInTimeReport(reportOf(unreadable), 'table');
    expect(table).not.toContain('no ()');
    expect(table).toMatch(/aks-unread .* unknown /);
  });

  it('fits the terminal: every line within its width, the least needed columns left out first', () => {
    const wide = cluster(`aks-${'x'.repeat(30)}`);
    const full = formatPointInTimeReport(reportOf(wide), 'table');
    expect(full).toContain('RESOURCE GROUP');
    const narrow = formatPointInTimeReport(reportOf(wide), 'table', { width: 80 });
    const lines = narrow.split('\n').slice(2, 4);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^STATUS +CLUSTER +DAYS LEFT/);
    expect(lines[0]).not.toContain('SUB ');
    expect(lines[0]).not.toContain('RESOURCE GROUP');
  });
});

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1 cmd', "'+1 cmd"],
    ['-12', '-12'],
    ['@SUM(A1)', "'@SUM(A1)"],
  ])('quotes %j as RFC 4180 and defuses formulas', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ['-12', '-12'],
    ['-3.5', '-3.5'],
    ['+7', '+7'],
    ['-0', '-0'],
    ['12', '12'],
  ])('leaves the plain number %j as it is', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ['-1+HYPERLINK("http://x","y")', `"'-1+HYPERLINK(""http://x"",""y"")"`],
    ['-1+1', "'-1+1"],
    ['+1+cmd|"/c calc"!A0', `"'+1+cmd|""/c calc""!A0"`],
    ['-2e3', "'-2e3"],
    ['-12 ', "'-12 "],
    ['-.5', "'-.5"],
    ['-5.', "'-5."],
    ['-1\n=cmd', `"'-1\n=cmd"`],
    ['-', "'-"],
  ])('defuses %j, which starts with a sign but is not a plain number', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe('formatPointInTimeReport', () => {
  const weird = { ...verdictFor(S, 'aks-weird', 'violation', asOf), location: 'west, "europe"', recordedAt: new Date('2026-06-01T10:00:00Z'), scanId: 'scan-1', hash: 'a'.repeat(64) };

  it('writes CSV a spreadsheet opens cleanly: header, quoted cells, ISO dates, CRLF', () => {
    const csv = formatPointInTimeReport(reportOf(weird), 'csv');
    const [header, row, end] = csv.split('\r\n');
    expect(header!.split(',')).toHaveLength(19);
    expect(row).toContain(',"west, ""europe""",');
    // scannedAt, then lastSeenAt (not known for this verdict) and stale, the evidence's read time and carried (not known either), and the platform.
    expect(row).toMatch(/,2026-06-01T10:00:00\.000Z,,false,,,aks$/);
    expect(end).toBe('');
  });

  it('writes one self-contained JSON object per line', () => {
    const [line, ...rest] = formatPointInTimeReport(reportOf(weird), 'jsonl').split('\n');
    expect(rest).toEqual(['']);
    expect(JSON.parse(line!)).toMatchObject({ asOf: asOf.toISOString(), id: weird.id, status: 'violation', recordedAt: '2026-06-01T10:00:00.000Z', hash: weird.hash });
  });

  it('escapes stored text in the HTML page', () => {
    const hostile = { ...weird, findings: [{ code: 'CERT_EXPIRED' as const, severity: 'violation' as const, message: '<img src=x onerror=alert(1)>' }] };
    const page = formatPointInTimeReport(reportOf(hostile), 'html');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('formatPointInTimeReport of AKS and AKS enabled by Azure Arc clusters', () => {
  const aks = { ...verdictFor(S, 'aks-one', 'warning', asOf), recordedAt: asOf, scanId: 'scan-1', hash: 'c'.repeat(64) };
  const arcId = `/subscriptions/${S}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-one`;
  const arc = { ...aks, id: arcId, name: 'arc-one', resourceGroup: 'rg-edge', platform: 'aks-arc' as const };

  it('ends each CSV row with the platform, also for a verdict recorded before it was reported', () => {
    const lines = formatPointInTimeReport(reportOf(aks, arc), 'csv').split('\r\n');
    expect(lines[0]!.split(',').at(-1)).toBe('platform');
    expect(lines.slice(1, 3).map((line) => `${line.split(',')[3]} ${line.split(',').at(-1)}`).sort()).toEqual(['aks-one aks', 'arc-one aks-arc']);
  });

  it('marks an Arc cluster beside its name in the table, and leaves AKS names as they are', () => {
    const table = formatPointInTimeReport(reportOf(aks, arc), 'table');
    expect(table).toMatch(/ arc-one \(aks-arc\) +rg-edge /);
    expect(table).toMatch(/ aks-one +rg-audit /);
  });
});
