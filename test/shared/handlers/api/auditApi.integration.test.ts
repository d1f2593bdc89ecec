import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../../dev/azurite.js';
import type { AuditApiDependencies } from '../../../../shared/handlers/api/auditApiDependencies.js';
import { makeClusterHistoryHandler } from '../../../../shared/handlers/api/clusterHistoryHandler.js';
import { makeClusterPageHandler } from '../../../../shared/handlers/api/clusterPageHandler.js';
import { makeClustersHandler } from '../../../../shared/handlers/api/clustersHandler.js';
import { makeDashboardHandler } from '../../../../shared/handlers/api/dashboardHandler.js';
import { makeFindingsHandler } from '../../../../shared/handlers/api/findingsHandler.js';
import { makeReportHandler } from '../../../../shared/handlers/api/reportHandler.js';
import { makeScansHandler } from '../../../../shared/handlers/api/scansHandler.js';
import { makeVerifyHandler } from '../../../../shared/handlers/api/verifyHandler.js';
import { clusterStatesPage } from '../../../../shared/audit/clusterStates.js';
import type { ComplianceStore, ComplianceTables } from '../../../../shared/store/complianceStore.js';
import { get, readOnlyTables, type HttpHandler } from '../../../support/auditApi.js';
import { clusterIdOf, historyRowsOf, hoursAfter, recordDeletionAt, recordScanAt, verdictFor } from '../../../support/auditTrail.js';
import { azuriteStore } from '../../../support/environment.js';

const A = '0a0a0a0a-0000-4000-8000-00000000000a';
const B = '0b0b0b0b-0000-4000-8000-00000000000b';
const t0 = new Date('2026-02-01T06:00:00Z');
const now = hoursAfter(t0, 24 * 10);
const INJECTION = "x' or '1' eq '1";

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let deps: AuditApiDependencies;
let handlers: Record<'clusters' | 'history' | 'findings' | 'scans' | 'report' | 'verify' | 'dashboard' | 'clusterPage', HttpHandler>;

beforeAll(async () => {
  ({ azurite, store, tables } = await azuriteStore());
  // Three scans, a day apart; aks-gone is deleted between the second and the third.
  for (const [day, statusOfA] of (['compliant', 'warning', 'violation'] as const).entries()) {
    const at = hoursAfter(t0, 24 * day);
    const verdicts = [verdictFor(A, 'aks-a', statusOfA, at), verdictFor(A, 'aks-b', 'compliant', at), verdictFor(A, 'aks-c', 'unknown', at), verdictFor(B, 'aks-d', 'violation', at)];
    if (day < 2) verdicts.push(verdictFor(A, 'aks-gone', 'warning', at));
    await recordScanAt(store, at, verdicts);
    if (day === 1) await recordDeletionAt(store, A, 'aks-gone', hoursAfter(at, 12));
  }
  deps = { tables: readOnlyTables(tables), now: () => now };
  handlers = {
    clusters: makeClustersHandler(deps), history: makeClusterHistoryHandler(deps), findings: makeFindingsHandler(deps),
    scans: makeScansHandler(deps), report: makeReportHandler(deps), verify: makeVerifyHandler(deps),
    dashboard: makeDashboardHandler(deps), clusterPage: makeClusterPageHandler(deps),
  };
});
afterAll(async () => azurite?.stop());

const names = (items: { name: string }[]) => items.map((i) => i.name).sort();

describe('GET /api/clusters', () => {
  it('lists the latest verdict of every cluster, deleted ones excluded, with the evidence of its record', async () => {
    const answer = await get(handlers.clusters, '/api/clusters');
    expect(answer.status).toBe(200);
    const { items, continuationToken } = answer.json();
    expect(continuationToken).toBeUndefined();
    expect(names(items)).toEqual(['aks-a', 'aks-b', 'aks-c', 'aks-d']);
    const a = items.find((i: { name: string }) => i.name === 'aks-a');
    expect(a).toMatchObject({ id: clusterIdOf(A, 'aks-a'), status: 'violation', recordedAt: hoursAfter(t0, 48).toISOString(), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it.each([
    ['status=violation', ['aks-a', 'aks-d']],
    [`subscription=${B}`, ['aks-d']],
    [`subscription=${A}&status=compliant`, ['aks-b']],
    ['finding=CERT_SOURCE_UNAVAILABLE', ['aks-c']],
  ])('filters by %s', async (query, expected) => {
    expect(names((await get(handlers.clusters, `/api/clusters?${query}`)).json().items)).toEqual(expected);
  });

  it('pages with continuation tokens until every cluster was seen once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await get(handlers.clusters, `/api/clusters?pageSize=1${token ? `&continuationToken=${token}` : ''}`);
      expect(answer.status).toBe(200);
      const page = answer.json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i: { name: string }) => i.name));
      token = page.continuationToken;
      expect(token === undefined || /^[A-Za-z0-9_-]+$/.test(token)).toBe(true);
    } while (token && ++pages < 10);
    expect(seen.sort()).toEqual(['aks-a', 'aks-b', 'aks-c', 'aks-d']);
  });

  it.each([
    ['status=broken', /^status: must be one of/],
    ['pageSize=0', /^pageSize: must be a whole number from 1 to 1000/],
    ['pageSize=12abc', /^pageSize: /],
    ['finding=NOT_A_CODE', /^finding: must be a finding code/],
    ['stauts=violation', /^stauts: unknown parameter; this endpoint takes subscription, status, finding, pageSize, continuationToken/],
    ['status=violation&status=warning', /^status: given more than once/],
    ['continuationToken=not-ours', /^continuationToken: is not a continuation token from this API/],
    [`continuationToken=${Buffer.from('{"nextPartitionKey":5}').toString('base64url')}`, /^continuationToken: /],
    [`subscription=${encodeURIComponent(INJECTION)}`, /^subscription: is not a subscription id/],
  ])('answers 400 naming the parameter for %s', async (query, message) => {
    const answer = await get(handlers.clusters, `/api/clusters?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json().error).toMatch(message);
  });

  it('ignores the function key parameter (code) that the platform checks', async () => {
    expect((await get(handlers.clusters, '/api/clusters?code=secret-key&status=violation')).status).toBe(200);
  });

  it('keeps OData input as data: a quote-laden subscription matches nothing instead of everything', async () => {
    const page = await clusterStatesPage(deps.tables.state, { subscriptionId: INJECTION }, { pageSize: 100 });
    expect(page.items).toEqual([]);
  });
});

describe('GET /api/clusters/{id}/history', () => {
  const ref = `${A}~rg-audit~aks-a`;

  it('lists the records of one cluster, oldest first, by reference or by resource id', async () => {
    for (const id of [ref, clusterIdOf(A, 'aks-a')]) {
      const answer = await get(handlers.history, `/api/clusters/x/history`, { id });
      expect(answer.status).toBe(200);
      const { clusterId, items } = answer.json();
      expect(clusterId.toLowerCase()).toBe(clusterIdOf(A, 'aks-a').toLowerCase());
      expect(items.map((i: { verdict: { status: string } }) => i.verdict.status)).toEqual(['compliant', 'warning', 'violation']);
      expect(items[1].previousHash).toBe(items[0].hash);
    }
  });

  it('keeps a deleted cluster\'s records, its deletion last', async () => {
    const { items } = (await get(handlers.history, '/api/clusters/x/history', { id: `${A}~rg-audit~aks-gone` })).json();
    expect(items.map((i: { kind: string }) => i.kind)).toEqual(['verdict', 'verdict', 'deleted']);
  });

  it('narrows to a time range, days counting whole', async () => {
    const day2 = hoursAfter(t0, 24).toISOString().slice(0, 10);
    const { items } = (await get(handlers.history, `/api/clusters/x/history?from=${day2}&to=${day2}`, { id: ref })).json();
    expect(items.map((i: { verdict: { status: string } }) => i.verdict.status)).toEqual(['warning']);
  });

  it('answers 400 for a bad reference, date or range', async () => {
    expect((await get(handlers.history, '/api/clusters/x/history', { id: 'aks-a' })).json().error).toMatch(/^id: must name a cluster/);
    expect((await get(handlers.history, '/api/clusters/x/history?from=2026-02-30', { id: ref })).json().error).toMatch(/^from: "2026-02-30" is not a date/);
    expect((await get(handlers.history, '/api/clusters/x/history?from=2026-03-02&to=2026-03-01', { id: ref })).json().error).toBe('to: is before from');
  });

  it('treats an injection attempt in the cluster id as a name: no rows, not all rows', async () => {
    for (const id of [`${A}~${INJECTION}~aks-a`, `/subscriptions/${A}/resourceGroups/${INJECTION}/providers/Microsoft.ContainerService/managedClusters/aks-a`]) {
      const answer = await get(handlers.history, '/api/clusters/x/history', { id });
      expect(answer.status).toBe(200);
      expect(answer.json().items).toEqual([]);
    }
  });
});

describe('GET /api/findings and /api/scans', () => {
  it('lists the findings of the latest verdicts, filtered by code and severity', async () => {
    const all = (await get(handlers.findings, '/api/findings')).json().items;
    expect(all.map((f: { clusterName: string; code: string }) => `${f.clusterName} ${f.code}`).sort()).toEqual([
      'aks-a CERT_AGE_EXCEEDS_POLICY', 'aks-c CERT_SOURCE_UNAVAILABLE', 'aks-d CERT_AGE_EXCEEDS_POLICY',
    ]);
    const violations = (await get(handlers.findings, `/api/findings?severity=violation&subscription=${B}`)).json().items;
    expect(violations).toEqual([expect.objectContaining({ clusterName: 'aks-d', code: 'CERT_AGE_EXCEEDS_POLICY', severity: 'violation', clusterStatus: 'violation' })]);
    expect((await get(handlers.findings, '/api/findings?finding=CERT_EXPIRED')).json().items).toEqual([]);
  });

  it('lists scans oldest first within a range', async () => {
    const { items } = (await get(handlers.scans, '/api/scans')).json();
    expect(items.map((s: { startedAt: string }) => s.startedAt)).toEqual([0, 1, 2].map((d) => hoursAfter(t0, 24 * d).toISOString()));
    expect(items[2]).toMatchObject({ clusters: 4, counts: { violation: 2, compliant: 1, unknown: 1, warning: 0 }, policy: { maxAgeDays: 90 } });
    expect(items.map((s: { state: string }) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const second = (await get(handlers.scans, `/api/scans?from=${hoursAfter(t0, 1).toISOString()}&to=${hoursAfter(t0, 25).toISOString()}`)).json().items;
    expect(second).toHaveLength(1);
  });
});

describe('GET /api/report', () => {
  it('rebuilds the fleet at a past instant from the history', async () => {
    const asOf = hoursAfter(t0, 30).toISOString(); // after the second scan and before the deletion
    const { report, clusters } = (await get(handlers.report, `/api/report?asOf=${asOf}`)).json();
    expect(report).toMatchObject({ asOf, clusters: 5, counts: { compliant: 1, warning: 2, unknown: 1, violation: 1 } });
    expect(clusters.find((c: { name: string }) => c.name === 'aks-a')).toMatchObject({ status: 'warning', recordedAt: hoursAfter(t0, 24).toISOString() });
  });

  it('serves CSV as a download with a header row, and JSON lines, and a standalone HTML page', async () => {
    const csv = await get(handlers.report, '/api/report?format=csv&status=violation');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="aks-cert-compliance-.*\.csv"$/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('id,subscriptionId,resourceGroup,name,location,status,')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[3]).sort()).toEqual(['aks-a', 'aks-d']);
    const jsonl = (await get(handlers.report, '/api/report?format=jsonl')).text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(4);
    for (const line of jsonl) expect(line).toMatchObject({ asOf: now.toISOString(), id: expect.any(String), status: expect.any(String), hash: expect.any(String) });
    const page = await get(handlers.report, '/api/report?format=html');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<caption>4 clusters, most urgent first</caption>');
  });

  it('answers 400 for a date that is not one', async () => {
    expect((await get(handlers.report, '/api/report?asOf=yesterday')).json().error).toMatch(/^asOf: "yesterday" is not a date/);
    expect((await get(handlers.report, '/api/report?format=xlsx')).json().error).toMatch(/^format: must be one of json, csv, html, jsonl/);
  });
});

describe('dashboard pages', () => {
  it('shows the summary, the chart and the clusters, most urgent first, and carries the function key', async () => {
    const answer = await get(handlers.dashboard, '/api/dashboard?code=k3y');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-security-policy']).toContain("default-src 'none'");
    const text = answer.text;
    expect(text).toMatch(/<span class="count">4<\/span><span class="label">All clusters<\/span>/);
    expect(text).toMatch(/<span class="count">2<\/span><span class="label">Violation<\/span>/);
    expect(text).toContain('<svg class="chart"');
    const order = [...text.matchAll(/<tr data-status="(\w+)">/g)].map((m) => m[1]);
    expect(order).toEqual(['violation', 'violation', 'unknown', 'compliant']);
    expect(text).toContain(`href="/api/dashboard/clusters/${encodeURIComponent(`${A}~rg-audit~aks-a`)}?code=k3y"`);
    expect(text).toContain('<input type="hidden" name="code" value="k3y">');
  });

  it('filters the table with the GET form parameters (empty ones meaning any)', async () => {
    const text = (await get(handlers.dashboard, `/api/dashboard?subscription=&status=violation&finding=&q=aks-d`)).text;
    expect([...text.matchAll(/<tr data-status="(\w+)">\s*<th scope="row"><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[2])).toEqual(['aks-d']);
  });

  it('shows a cluster\'s history with its trail checked, and 404 for a cluster never recorded', async () => {
    const page = await get(handlers.clusterPage, '/api/dashboard/clusters/x', { id: `${A}~rg-audit~aks-a` });
    expect(page.status).toBe(200);
    expect(page.text).toContain('The trail of this cluster is intact');
    expect(page.text).toContain('<caption>3 records, newest first');
    expect((await get(handlers.clusterPage, '/api/dashboard/clusters/x', { id: `${A}~rg-audit~aks-never` })).status).toBe(404);
  });

  it('answers a bad filter or reference with a 400 page that says what is wrong', async () => {
    const filter = await get(handlers.dashboard, '/api/dashboard?status=fine');
    expect(filter.status).toBe(400);
    expect(filter.headers['content-type']).toMatch(/^text\/html/);
    expect(filter.text).toContain('status: must be one of');
    const reference = await get(handlers.clusterPage, '/api/dashboard/clusters/x', { id: '<b>aks</b>' });
    expect(reference.status).toBe(400);
    expect(reference.text).not.toContain('<b>aks</b>');
  });
});

describe('GET /api/verify', () => {
  it('says the trail is intact, then names a row edited in the table', async () => {
    expect((await get(handlers.verify, '/api/verify')).json()).toMatchObject({ intact: true, findings: [], clusters: 5, rows: 15 });
    const [row] = await historyRowsOf(tables, B, 'aks-d');
    await tables.history.updateEntity({ partitionKey: row!.partitionKey!, rowKey: row!.rowKey!, status: 'compliant' }, 'Merge');
    const result = (await get(handlers.verify, '/api/verify')).json();
    expect(result.intact).toBe(false);
    expect(result.findings).toEqual([expect.objectContaining({ problem: 'altered', partitionKey: row!.partitionKey, rowKey: row!.rowKey, clusterId: clusterIdOf(B, 'aks-d') })]);
  });
});
