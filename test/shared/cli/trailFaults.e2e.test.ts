import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { buildScaleFleet } from '../../../dev/demoFleet/index.js';
import { makeScansHandler } from '../../../shared/handlers/api/scansHandler.js';
import { get, readOnlyTables } from '../../support/auditApi.js';
import { CLI, runCli, type CliResult } from '../../support/cli.js';
import { azuriteTables, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { startStorageProxy, type StorageProxy } from '../../support/storageProxy.js';

/**
 * Storage faults in the middle of a scan, through the built `akscert` against real Azurite: a 503 on
 * the ClusterState batch, and a scan process killed (SIGKILL) while that batch is in flight, after
 * its history rows were appended. Neither may read as forgery, and the next scan puts things right.
 */
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let subscriptionId: string;
let azurite: RunningAzurite | undefined;
let proxy: StorageProxy | undefined;

beforeAll(async () => {
  fleet = await buildScaleFleet({ now: new Date(), subscriptions: 1, clustersPerSubscription: 3 });
  simulator = await simulatorFor(fleet);
  subscriptionId = fleet.subscriptions[0]!.subscriptionId;
});
afterAll(async () => simulator?.close());
afterEach(async () => {
  await proxy?.close();
  await azurite?.stop();
  proxy = azurite = undefined;
});

const scanArgs = () => ['scan', '--arm-endpoint', simulator.url, '--subscription', subscriptionId, '--no-apiserver-probe', '--output', 'json'];
const storage = (connectionString: string) => ({ AZURE_STATIC_TOKEN: TEST_TOKEN, COMPLIANCE_STORAGE: connectionString });
const verify = async (connectionString: string) => {
  const result = await runCli(['verify', '--output', 'json'], storage(connectionString));
  return { code: result.code, result: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
};
const expectOk = (result: CliResult) => {
  expect(result.stderr).not.toMatch(/NOT all recorded/);
  expect(result.code).toBe(0);
};

describe('a scan whose ClusterState batch fails', () => {
  it('leaves rows that verify names incomplete (not inserted), with the scan id, and the next scan completes them', async () => {
    azurite = await startAzurite();
    proxy = await startStorageProxy(azurite.tableUrl);
    expectOk(await runCli(scanArgs(), storage(azurite.connectionString)));

    proxy.setRule({ mode: 'fail', table: 'ClusterState', status: 503 });
    const failed = await runCli(scanArgs(), storage(proxy.connectionString));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/the verdicts above were NOT all recorded: .*HTTP 503/);
    expect(proxy.intercepted).toBeGreaterThan(0);
    const failedScanId = JSON.parse(failed.stdout).scan.id as string;

    const after = await verify(azurite.connectionString);
    expect(after.result.findings.map((f: { problem: string }) => f.problem)).toEqual(['incomplete', 'incomplete', 'incomplete']);
    expect(after.result.findings.every((f: { scanId?: string }) => f.scanId === failedScanId)).toBe(true);
    expect(after.result).toMatchObject({ intact: false, tampered: false, outcome: 'incomplete' });
    expect(after.code).toBe(6);
    const text = await runCli(['verify', '--output', 'table'], storage(azurite.connectionString));
    expect(text.stdout).toContain(`INCOMPLETE  ComplianceHistory `);
    expect(text.stdout).toContain(`written by scan ${failedScanId}`);
    expect(text.stdout).toMatch(/Checked 6 records of 3 clusters: no sign of tampering, but 3 records of unfinished writes of the store are not chained yet/);

    // The run is listed, as failed, with what was not recorded.
    const tables = readOnlyTables(azuriteTables(azurite.connectionString));
    const runs = (await get(makeScansHandler({ tables }), '/api/scans')).json().items as Array<{ id: string; state: string; failure?: string }>;
    expect(runs.map((r) => r.state)).toEqual(['succeeded', 'failed']);
    expect(runs[1]).toMatchObject({ id: failedScanId, failure: expect.stringMatching(/HTTP 503/) });

    expectOk(await runCli(scanArgs(), storage(azurite.connectionString)));
    const healed = await verify(azurite.connectionString);
    expect(healed.result.findings).toEqual([]);
    expect(healed.result).toMatchObject({ intact: true, outcome: 'intact', rows: 9, clusters: 3 });
    expect(healed.code).toBe(0);
  }, 120_000);
});

describe('a scan killed between the history append and the state update', () => {
  it('reads as incomplete, its run as running then abandoned, and the next scan completes it', async () => {
    azurite = await startAzurite();
    proxy = await startStorageProxy(azurite.tableUrl);
    expectOk(await runCli(scanArgs(), storage(azurite.connectionString)));

    proxy.setRule({ mode: 'hold', table: 'ClusterState' });
    const child = spawn(process.execPath, [CLI, ...scanArgs()], { env: { ...process.env, ...storage(proxy.connectionString) }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // The ClusterState batch comes after the history batch has been answered: the history rows are in.
    await proxy.held();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = await verify(azurite.connectionString);
    expect(after.result.findings.map((f: { problem: string }) => f.problem)).toEqual(['incomplete', 'incomplete', 'incomplete']);
    const killedScanId = after.result.findings[0].scanId as string;
    expect(after.code).toBe(6);

    // The killed run is in ScanRuns: running now, abandoned once it is older than any invocation may run.
    const tables = readOnlyTables(azuriteTables(azurite.connectionString));
    const runsAt = async (now: Date) => (await get(makeScansHandler({ tables, now: () => now }), '/api/scans')).json().items as Array<{ id: string; state: string }>;
    expect((await runsAt(new Date())).map((r) => [r.id === killedScanId, r.state])).toEqual([[false, 'succeeded'], [true, 'running']]);
    expect((await runsAt(new Date(Date.now() + 3 * 3_600_000))).map((r) => r.state)).toEqual(['succeeded', 'abandoned']);

    expectOk(await runCli(scanArgs(), storage(azurite.connectionString)));
    const healed = await verify(azurite.connectionString);
    expect(healed.result.findings).toEqual([]);
    expect(healed.result).toMatchObject({ intact: true, rows: 9 });
    expect(healed.code).toBe(0);
  }, 120_000);
});
