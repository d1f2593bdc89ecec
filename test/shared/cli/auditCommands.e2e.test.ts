import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../dev/freePort.js';
import { DEV_STORAGE_KEY, startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { makeReportHandler } from '../../../shared/handlers/api/reportHandler.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { get, readOnlyTables } from '../../support/auditApi.js';
import { clusterIdOf, historyRowsOf, hoursAfter, recordDeletionAt, recordScanAt, verdictFor } from '../../support/auditTrail.js';
import { runCli } from '../../support/cli.js';
import { azuriteStore } from '../../support/environment.js';

const S = '7a7a7a7a-0000-4000-8000-000000000007';
const t1 = new Date('2026-05-10T09:00:00Z');
const t2 = hoursAfter(t1, 24);

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let env: Record<string, string>;
beforeAll(async () => {
  ({ azurite, store, tables } = await azuriteStore());
  env = { COMPLIANCE_STORAGE: azurite.connectionString };
  await recordScanAt(store, t1, [verdictFor(S, 'aks-one', 'compliant', t1), verdictFor(S, 'aks-two', 'warning', t1), verdictFor(S, 'aks-three', 'violation', t1)]);
  await recordDeletionAt(store, S, 'aks-two', hoursAfter(t1, 2));
  await recordScanAt(store, t2, [verdictFor(S, 'aks-one', 'violation', t2), verdictFor(S, 'aks-three', 'violation', t2)]);
});
afterAll(async () => azurite?.stop());

describe('akscert report', () => {
  it('prints the fleet as recorded at a date as CSV, the same document the API serves', async () => {
    const { code, stdout, stderr } = await runCli(['report', '--as-of', '2026-05-10', '--format', 'csv'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\r\n');
    expect(lines[0]).toBe('id,subscriptionId,resourceGroup,name,location,status,action,worstFinding,findingCodes,daysToExpiry,earliestNotAfter,autoRotationEligible,autoRotationReasons,scannedAt,lastSeenAt,stale,evidenceReadAt,evidenceCarried,platform');
    // End of 10 May: aks-two was deleted that day; the second scan is on the 11th.
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(3, 6).join(' '))).toEqual(['aks-one westeurope compliant', 'aks-three westeurope violation']);
    expect(lines.at(-1)).toBe('');
    const api = await get(makeReportHandler({ tables: readOnlyTables(tables) }), '/api/report?asOf=2026-05-10&format=csv');
    expect(api.text).toBe(stdout);
  });

  it('prints JSON lines, one cluster per line, and an HTML page', async () => {
    const jsonl = await runCli(['report', '--as-of', t2.toISOString(), '--format', 'jsonl'], env);
    expect(jsonl.code).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.name} ${l.status}`).sort()).toEqual(['aks-one violation', 'aks-three violation']);
    expect(lines[0]).toMatchObject({ asOf: t2.toISOString(), recordedAt: t2.toISOString(), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const page = await runCli(['report', '--format', 'html', '--status', 'violation'], env);
    expect(page.stdout).toMatch(/^<!doctype html>/);
    expect(page.stdout).toContain('aks-one');
  });

  it.each([
    [['report', '--as-of', '2026-13-01'], /"2026-13-01" is not a date/],
    [['report', '--format', 'xml'], /xml/],
    [['report', '--status', 'fine'], /fine/],
    [['report', '--subscription', 'nope'], /"nope" is not a subscription id/],
    [['report', '--format', 'csv', '--output', 'json'], /--format csv and --output json disagree/],
    [['history', '/subscriptions/x/aks'], /does not name a cluster as <subscription id>~<resource group>~<cluster name>, or its resource id/],
    [['history', clusterIdOf(S, 'aks-one'), '--from', '2026-05-12', '--to', '2026-05-11'], /--to is before --from/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});

describe('when the store is down', () => {
  it.each([['report'], ['verify'], ['history', `${S}~rg-audit~aks-one`]])('%s exits 1 naming COMPLIANCE_STORAGE and what to start', async (...args) => {
    const port = await findFreePort(); // nothing listens there
    const down = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${DEV_STORAGE_KEY};TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const { code, stdout, stderr } = await runCli(args, { COMPLIANCE_STORAGE: down });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/nothing answers at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1, where COMPLIANCE_STORAGE points \(ECONNREFUSED\)\. Start Azurite there/);
  });
});

describe('akscert history', () => {
  it("prints a cluster's records, its deletion included", async () => {
    const { code, stdout } = await runCli(['history', clusterIdOf(S, 'aks-two'), '--output', 'json'], env);
    expect(code).toBe(0);
    const { records } = JSON.parse(stdout);
    expect(records.map((r: { kind: string }) => r.kind)).toEqual(['verdict', 'deleted']);
    const table = await runCli(['history', `${S}~rg-audit~aks-one`, '--from', '2026-05-11', '--output', 'table'], env);
    expect(table.stdout).toMatch(/History of .*aks-one: 1 record\n/);
    expect(table.stdout).toMatch(/VIOLATION/);
  });
});

describe('akscert verify', () => {
  it('exits 0 on an intact trail, and 4 naming the row once one was deleted', async () => {
    const intact = await runCli(['verify', '--output', 'table'], env);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/Checked 6 records of 3 clusters: the trail is intact/);
    const [first, second] = await historyRowsOf(tables, S, 'aks-one');
    await tables.history.deleteEntity(first!.partitionKey!, first!.rowKey!);
    const tampered = await runCli(['verify', '--output', 'table'], env);
    expect(tampered.code).toBe(4);
    expect(tampered.stdout).toContain(`REMOVED   ComplianceHistory ${second!.partitionKey}/${second!.rowKey}`);
    expect(tampered.stdout).toMatch(/the trail was tampered with \(0 altered, 1 removed, 0 inserted\)/);
    const json = JSON.parse((await runCli(['verify', '--output', 'json'], env)).stdout);
    expect(json.findings).toEqual([expect.objectContaining({ problem: 'removed', missingHash: first!['hash'] })]);
  });
});

describe('akscert verify on nothing', () => {
  it('says there is nothing to verify and exits 5, on an empty store as on one that is not the trail', async () => {
    const empty = await startAzurite();
    try {
      const text = await runCli(['verify', '--output', 'table'], { COMPLIANCE_STORAGE: empty.connectionString });
      expect(text.code).toBe(5);
      expect(text.stdout).toMatch(/^Nothing to verify: .*no history records, no latest states and no checkpoints/);
      expect(text.stdout).not.toMatch(/intact/);
      const json = await runCli(['verify', '--output', 'json'], { COMPLIANCE_STORAGE: empty.connectionString });
      expect(json.code).toBe(5);
      expect(JSON.parse(json.stdout)).toMatchObject({ intact: false, outcome: 'empty', rows: 0, clusters: 0, findings: [] });
    } finally {
      await empty.stop();
    }
  });
});
