import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { buildScaleFleet } from '../../../dev/demoFleet/index.js';
import { subscriptionKey } from '../../../shared/store/tableKeys.js';
import { runCli } from '../../support/cli.js';
import { azuriteTables, simulatorFor, TEST_TOKEN } from '../../support/environment.js';

/** CHECKPOINT_MIRROR through the built `akscert`: `scan` mirrors its checkpoint, `verify` holds the tables to it. */
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let subscriptionId: string;

beforeAll(async () => {
  fleet = await buildScaleFleet({ now: new Date(), subscriptions: 1, clustersPerSubscription: 2 });
  simulator = await simulatorFor(fleet);
  subscriptionId = fleet.subscriptions[0]!.subscriptionId;
  azurite = await startAzurite();
  await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('trail-checkpoints').create();
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const env = (mirror = 'trail-checkpoints') => ({ AZURE_STATIC_TOKEN: TEST_TOKEN, COMPLIANCE_STORAGE: azurite.connectionString, CHECKPOINT_MIRROR: mirror });
const scan = (mirror?: string) => runCli(['scan', '--arm-endpoint', simulator.url, '--subscription', subscriptionId, '--no-apiserver-probe', '--output', 'json'], env(mirror));

describe('CHECKPOINT_MIRROR', () => {
  it('is refused, exit 2, when it is neither a container name nor a container URL', async () => {
    const { code, stderr } = await runCli(['verify'], env('Not_A_Container'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/CHECKPOINT_MIRROR: must be a blob container name/);
  });

  it('makes a scan fail loudly (exit 1) when its container does not exist, and verify too', async () => {
    const { code, stderr } = await scan('no-such-container');
    expect(code).toBe(1);
    expect(stderr).toMatch(/NOT all recorded: .*the checkpoint mirror container no-such-container does not exist/);
    const verify = await runCli(['verify'], env('no-such-container'));
    expect(verify.code).toBe(1);
    expect(verify.stderr).toMatch(/^akscert: the checkpoint mirror at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/no-such-container \(CHECKPOINT_MIRROR\) does not exist\n$/);
  });

  it('holds the checkpoints of scans, and lets verify name a trail removed with the checkpoint table', async () => {
    expect((await scan()).code).toBe(0);
    expect((await scan()).code).toBe(0);
    const intact = await runCli(['verify', '--output', 'table'], env());
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/: the trail is intact\.\nHeld to \d+ checkpoints; the mirror holds \d+, 0 of the table's not yet\.\n$/);

    const tables = azuriteTables(azurite.connectionString);
    for (const table of [tables.history, tables.state, tables.checkpoints]) {
      for await (const row of table.listEntities()) await table.deleteEntity(row.partitionKey!, row.rowKey!);
    }
    const { code, stdout } = await runCli(['verify', '--output', 'json'], env());
    expect(code).toBe(4);
    const removed = JSON.parse(stdout).findings.filter((f: { table: string }) => f.table === 'ComplianceHistory');
    expect(removed.map((f: { problem: string; partitionKey: string; clusterId: string }) => [f.problem, f.partitionKey, f.clusterId.split('/').at(-1)]).sort()).toEqual(
      fleet.clusters.map((c) => ['removed', subscriptionKey(subscriptionId), c.resource.name]).sort(),
    );
  });
});
