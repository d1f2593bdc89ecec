/**
 * Azurite from the npm package, started on free ports with in-memory storage, used through the real
 * Table and Queue SDKs.
 */
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../dev/azurite.js';

function portAcceptsConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startAzurite', () => {
  let azurite: RunningAzurite;

  beforeAll(async () => {
    azurite = await startAzurite();
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  it('builds a connection string with explicit endpoints for the chosen ports', () => {
    expect(azurite.connectionString).toContain('AccountName=devstoreaccount1;');
    expect(azurite.connectionString).toContain(`TableEndpoint=${azurite.tableUrl};`);
    expect(azurite.connectionString).toContain(`QueueEndpoint=${azurite.queueUrl};`);
    expect(azurite.tableUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
  });

  it('round-trips a table entity', async () => {
    const options = { allowInsecureConnection: true };
    await TableServiceClient.fromConnectionString(azurite.connectionString, options).createTable('roundtrip');
    const table = TableClient.fromConnectionString(azurite.connectionString, 'roundtrip', options);
    await table.createEntity({ partitionKey: 'p1', rowKey: 'r1', status: 'compliant', clusters: 3 });
    const entity = await table.getEntity<{ status: string; clusters: number }>('p1', 'r1');
    expect(entity).toMatchObject({ partitionKey: 'p1', rowKey: 'r1', status: 'compliant', clusters: 3 });
    await expect(table.getEntity('p1', 'missing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('round-trips a queue message', async () => {
    const queue = new QueueClient(azurite.connectionString, 'scan-requests');
    await queue.create();
    await queue.sendMessage('hello');
    const received = await queue.receiveMessages();
    expect(received.receivedMessageItems[0]?.messageText).toBe('hello');
  });

  it('stops and frees its ports', async () => {
    const second = await startAzurite();
    expect(await portAcceptsConnections(second.tableUrl)).toBe(true);
    await second.stop();
    expect(await portAcceptsConnections(second.tableUrl)).toBe(false);
    await second.stop(); // idempotent
  });

  it('fails clearly when a port is taken', async () => {
    const tablePort = Number(new URL(azurite.tableUrl).port);
    await expect(startAzurite({ tablePort, startTimeoutMs: 10_000 })).rejects.toThrow(/Azurite (exited|did not accept).*stderr/s);
  });
});

describe('startAzurite with a location (the demo\'s store under .dev/azurite)', () => {
  it('keeps the tables after Azurite stops, for the next one started there', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'azurite-location-'));
    const location = join(parent, 'not', 'made', 'yet'); // as .dev/azurite on a fresh clone
    const first = await startAzurite({ location });
    await TableClient.fromConnectionString(first.connectionString, 'Kept', { allowInsecureConnection: true }).createTable();
    await TableClient.fromConnectionString(first.connectionString, 'Kept', { allowInsecureConnection: true }).createEntity({ partitionKey: 'p', rowKey: 'r', value: 'still here' });
    await first.stop();
    const second = await startAzurite({ location });
    try {
      const entity = await TableClient.fromConnectionString(second.connectionString, 'Kept', { allowInsecureConnection: true }).getEntity<{ value: string }>('p', 'r');
      expect(entity.value).toBe('still here');
    } finally {
      await second.stop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
