import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../../dev/armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite.js';
import { buildDemoFleet } from '../../../../dev/demoFleet/index.js';
import { functions, hostLocally } from '../../../../shared/host/functionRegistry.js';
import { startLocalHost, type LocalHost } from '../../../../shared/host/local/localHost.js';
import { ComplianceStore, type ComplianceTables } from '../../../../shared/store/complianceStore.js';
import { historyRecordFromEntity } from '../../../../shared/store/historyEntity.js';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { StaticTokenCredential } from '../../../../shared/azure/credential.js';
import { parseClusterId } from '../../../../shared/domain/clusterId.js';
import { clusterKey, subscriptionKey } from '../../../../shared/store/tableKeys.js';
import { azuriteTables, simulatorFor, TEST_TOKEN } from '../../../support/environment.js';
import { asCloudEvent, resourceEvent } from '../../../support/events.js';
import { waitFor } from '../../../support/waitFor.js';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let host: LocalHost;
let store: ComplianceStore;
let tables: ComplianceTables;
const logs: string[] = [];
let keysDir: string;
/** Set as LOCAL_HOST_MASTER_KEY; the function and system keys are generated into the keys file. */
const MASTER_KEY = 'local-host-test-master-key_0123456789';
const MB = 1_048_576;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet, { latencyMs: 10 });
  azurite = await startAzurite();
  keysDir = await mkdtemp(join(tmpdir(), 'akscert-host-keys-'));
  // Functions of the other auth levels (functions/ registers only authLevel 'function'), the way functions/ registers.
  hostLocally();
  functions.http('testAnonymous', {
    route: 'test/anonymous', methods: ['GET', 'POST'], authLevel: 'anonymous',
    handler: async (request) => ({ jsonBody: { bytes: (await request.arrayBuffer()).byteLength } }),
  });
  functions.http('testAdmin', { route: 'test/admin', methods: ['GET'], authLevel: 'admin', handler: async () => ({ jsonBody: { admin: true } }) });
  host = await startLocalHost({
    port: 0,
    timers: false,
    log: (line) => logs.push(line),
    queues: { maxPollingIntervalMs: 200 },
    keysFile: join(keysDir, '.dev', 'host-keys.json'),
    settings: {
      COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN,
      APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`, RESCAN_DEBOUNCE_SECONDS: '2', LOCAL_HOST_MASTER_KEY: MASTER_KEY,
    },
  });
  tables = azuriteTables(azurite.connectionString);
  store = await ComplianceStore.open(tables);
  simulator.setEventWebhook(webhook());
});
afterAll(async () => {
  await host?.close();
  await simulator?.close();
  await azurite?.stop();
  if (keysDir) await rm(keysDir, { recursive: true, force: true });
});

const keys = () => host.keys;
const webhookWithoutKey = () => `${host.url}/runtime/webhooks/eventgrid?functionName=clusterEvents`;
const webhook = () => `${webhookWithoutKey()}&code=${keys().eventGridKey}`;
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(webhook(), { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', ...headers }, body: JSON.stringify(body) });
const api = (path: string, headers: Record<string, string> = {}) => fetch(`${host.url}/api/${path}`, { headers });
const validation = () => [{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', subject: '', eventTime: new Date().toISOString(), data: { validationCode: 'c0de' }, dataVersion: '2', metadataVersion: '1' }];

interface RawAnswer { status: number; headers: Record<string, string | string[] | undefined>; body: string }
/**
 * A request as a client that fetch() would not let a test be: any Host header, a Content-Length that
 * the body never reaches, a chunked body that never ends. Resolves with the answer (or rejects
 * after `timeoutMs`: a host that waits for the rest of the body never answers).
 */
function raw(path: string, options: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer; chunks?: Buffer[]; end?: boolean; timeoutMs?: number } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${host.url}${path}`, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => {
        clearTimeout(timer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer to ${options.method ?? 'GET'} ${path.slice(0, 80)} within ${options.timeoutMs ?? 5_000} ms`));
    }, options.timeoutMs ?? 5_000);
    request.on('error', () => undefined); // the host may close the connection while the body is still being sent
    if (options.body !== undefined) request.write(options.body);
    for (const chunk of options.chunks ?? []) request.write(chunk);
    if (options.end !== false) request.end();
  });
}
const jsonError = (answer: RawAnswer): string => {
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const { error } = JSON.parse(answer.body) as { error: unknown };
  expect(typeof error).toBe('string');
  return error as string;
};
const readableClusters = () => fleet.clusters.filter((c) => !fleet.subscriptions.find((s) => s.subscriptionId === c.subscriptionId)?.listError);
const writeEvent = (clusterId: string) => resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: clusterId, operationName: 'Microsoft.ContainerService/managedClusters/write' });
const stateOf = (cluster: SimulatedFleet['clusters'][number]) => store.latestStateOf(cluster.subscriptionId, cluster.resource.id);

describe('akscert serve (local host)', () => {
  it('answers the Event Grid subscription validation handshake with the validationResponse', async () => {
    const response = await post(
      [{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', subject: '', eventTime: new Date().toISOString(), data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' }, dataVersion: '2', metadataVersion: '1' }],
      { 'aeg-event-type': 'SubscriptionValidation' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
  });

  it('answers the CloudEvents OPTIONS handshake for the system key, and not without it', async () => {
    const response = await fetch(webhook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    const withoutKey = await fetch(webhookWithoutKey(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
    expect(withoutKey.status).toBe(401);
    expect(withoutKey.headers.get('webhook-allowed-origin')).toBeNull();
  });

  it('answers the CloudEvents OPTIONS handshake with the master key too', async () => {
    const response = await fetch(webhookWithoutKey(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net', 'x-functions-key': MASTER_KEY } });
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
  });

  it('records the latest state and history of a cluster within seconds of its ResourceWriteSuccess event', async () => {
    const cluster = readableClusters()[3]!;
    expect(await stateOf(cluster)).toBeUndefined();
    const response = await post([writeEvent(cluster.resource.id)]);
    expect(response.status).toBe(200);
    const state = await waitFor('the cluster state', () => stateOf(cluster), 10_000);
    const history = [];
    for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${cluster.resource.id}'` } })) history.push(historyRecordFromEntity(row));
    expect(history.map((r) => r.kind)).toEqual(['verdict']);
    expect(state.hash).toBeTruthy();
  });

  it('records one history row for an event delivered twice', async () => {
    const cluster = readableClusters()[4]!;
    const event = writeEvent(cluster.resource.id);
    await post([event]);
    await post([event]);
    await waitFor('the cluster state', () => stateOf(cluster), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the 2 s debounce window: a trailing scan would have run
    const rows = [];
    for await (const row of tables.history.listEntities({ queryOptions: { filter: `clusterId eq '${cluster.resource.id}'` } })) rows.push(row);
    expect(rows).toHaveLength(1);
  });

  it('takes CloudEvents too, and processes the good events of a batch that holds a malformed one', async () => {
    const [a, b] = [readableClusters()[5]!, readableClusters()[6]!];
    const cloud = await fetch(webhook(), { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(asCloudEvent(writeEvent(a.resource.id))) });
    expect(cloud.status).toBe(200);
    const batch = await post([{ id: 'bad-1', eventType: 'Microsoft.Resources.ResourceWriteSuccess' }, writeEvent(b.resource.id)]);
    expect(batch.status).toBe(200);
    await waitFor('both clusters judged', async () => (await stateOf(a)) && (await stateOf(b)), 10_000);
    expect(logs.join('\n')).toMatch(/clusterEvents error: rejected event: event bad-1/);
  });

  it('re-judges a cluster compliant after its certificates are rotated, from the event the rotation emits', async () => {
    const cluster = readableClusters().find((c) => c.expected?.findingCodes.join() === 'CERT_AGE_EXCEEDS_POLICY' && c.expected.status === 'violation')!;
    const ref = parseClusterId(cluster.resource.id)!;
    const client = new ContainerServiceClient(new StaticTokenCredential(TEST_TOKEN), ref.subscriptionId, { endpoint: simulator.url });
    await client.managedClusters.rotateClusterCertificates(ref.resourceGroup, ref.name);
    const state = await waitFor('the rotated cluster judged compliant', async () => {
      const row = await tables.state.getEntity<{ status: string }>(subscriptionKey(cluster.subscriptionId), clusterKey(cluster.resource.id)).catch(() => undefined);
      return row?.status === 'compliant' ? row : undefined;
    }, 15_000);
    expect(state.status).toBe('compliant');
    expect(logs.join('\n')).toMatch(/ignored event \S+: Microsoft.ContainerService\/managedClusters\/listClusterMonitoringUserCredential\/action does not change/);
  });

  it('refuses a body that is not JSON and an unknown function, naming the problem', async () => {
    const notJson = await fetch(webhook(), { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const unknown = await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=nope&code=${keys().eventGridKey}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(unknown.status).toBe(404);
  });

  it('spreads the timer\'s scan, run by POST /admin/functions/scheduledScan with the master key, over per-subscription queue messages that record every readable cluster', async () => {
    const run = await fetch(`${host.url}/admin/functions/scheduledScan`, { method: 'POST', headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'application/json' }, body: '{"input":""}' });
    expect(run.status).toBe(202);
    await waitFor('every readable cluster judged', async () => {
      const states = await Promise.all(readableClusters().map(stateOf));
      return states.every(Boolean);
    }, 30_000);
    const scans = [];
    for await (const row of tables.scans.listEntities<{ subscriptions: number }>()) scans.push(row);
    expect(scans.filter((s) => s.subscriptions === 1).length).toBeGreaterThanOrEqual(fleet.subscriptions.length);
    expect(logs.join('\n')).toMatch(/scheduledScan information: scheduled run \S+: 4 subscription scans queued/);
  });
});

describe('keys, checked by the host as the Functions host checks them', () => {
  it('refuses authLevel function routes without a key, or with a wrong one, with a 401 JSON error that never echoes the key', async () => {
    const wrong = 'a-wrong-key-someone-guessed-0123';
    for (const response of [await api('clusters'), await api(`clusters?code=${wrong}`), await api('clusters', { 'x-functions-key': wrong }), await api('dashboard')]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await response.text();
      expect(JSON.parse(body).error).toMatch(/function key/);
      expect(body).not.toContain(wrong);
    }
  });

  it('opens authLevel function routes with the function key, as x-functions-key or ?code=, and with the master key; not with the system key', async () => {
    expect((await api('clusters', { 'x-functions-key': keys().functionKey })).status).toBe(200);
    expect((await api(`clusters?code=${keys().functionKey}`)).status).toBe(200);
    expect((await api(`dashboard?code=${keys().functionKey}`)).status).toBe(200);
    expect((await api('verify', { 'x-functions-key': MASTER_KEY })).status).toBe(200);
    expect((await api(`clusters?code=${MASTER_KEY}`)).status).toBe(200);
    expect((await api(`clusters?code=${keys().eventGridKey}`)).status).toBe(401);
  });

  it('serves authLevel anonymous routes to anyone, and authLevel admin routes to the master key only', async () => {
    expect((await api('test/anonymous')).status).toBe(200);
    expect((await api('test/admin')).status).toBe(401);
    expect((await api('test/admin', { 'x-functions-key': keys().functionKey })).status).toBe(401);
    expect((await api(`test/admin?code=${MASTER_KEY}`)).status).toBe(200);
    expect((await api('test/admin', { 'x-functions-key': MASTER_KEY })).status).toBe(200);
  });

  it('opens the Event Grid webhook to its eventgrid_extension system key (?code=) and the master key only', async () => {
    const send = (url: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation', ...headers }, body: JSON.stringify(validation()) });
    expect((await send(webhookWithoutKey())).status).toBe(401);
    expect((await send(`${webhookWithoutKey()}&code=${keys().functionKey}`)).status).toBe(401);
    expect((await send(webhookWithoutKey(), { 'x-functions-key': keys().functionKey })).status).toBe(401);
    expect((await send(webhook())).status).toBe(200);
    expect((await send(webhookWithoutKey(), { 'x-functions-key': MASTER_KEY })).status).toBe(200);
    expect((await send(`${webhookWithoutKey()}&code=${MASTER_KEY}`)).status).toBe(200);
  });

  it('records nothing from a deletion forged by a web page (a text/plain POST without the key)', async () => {
    const cluster = readableClusters()[7]!;
    const before = await stateOf(cluster);
    const deletion = resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: cluster.resource.id, operationName: 'Microsoft.ContainerService/managedClusters/delete' });
    const forged = await fetch(webhookWithoutKey(), { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify([deletion]) });
    expect(forged.status).toBe(401);
    const kinds = [];
    for await (const row of tables.history.listEntities<Record<string, unknown>>({ queryOptions: { filter: `clusterId eq '${cluster.resource.id}'` } })) kinds.push(historyRecordFromEntity(row).kind);
    expect(kinds).not.toContain('deleted');
    expect(await stateOf(cluster)).toEqual(before);
  });

  it('runs a timer by POST /admin/functions/<name> for the master key only', async () => {
    for (const key of [undefined, keys().functionKey, keys().eventGridKey]) {
      const response = await fetch(`${host.url}/admin/functions/scheduledScan`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'x-functions-key': key } : {}) }, body: '{"input":""}',
      });
      expect(response.status).toBe(401);
    }
    expect((await fetch(`${host.url}/admin/functions/nothing-by-that-name`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${host.url}/admin/functions/nothing-by-that-name`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-functions-key': MASTER_KEY }, body: '{}' })).status).toBe(404);
  });

  it('keeps the generated keys in the keys file, 0600, and takes the master key from LOCAL_HOST_MASTER_KEY without writing it there', async () => {
    const file = join(keysDir, '.dev', 'host-keys.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { functionKeys: { default: string }; systemKeys: { eventgrid_extension: string } };
    expect(stored.functionKeys.default).toBe(keys().functionKey);
    expect(stored.systemKeys.eventgrid_extension).toBe(keys().eventGridKey);
    expect(keys().masterKey).toBe(MASTER_KEY);
    expect(await readFile(file, 'utf8')).not.toContain(MASTER_KEY);
  });
});

describe('requests the local host refuses before any function runs', () => {
  it('refuses a Host header other than a loopback name with the host\'s port (DNS rebinding), with a JSON error, whatever the key', async () => {
    const key = { 'x-functions-key': MASTER_KEY };
    for (const name of ['attacker.example', `attacker.example:${host.port}`, `127.0.0.1:${host.port + 1}`, `127.0.0.1.attacker.example:${host.port}`, `localhost:${host.port}@attacker.example`]) {
      const answer = await raw('/api/clusters', { headers: { host: name, ...key } });
      expect(answer.status, name).toBe(421);
      expect(jsonError(answer)).toMatch(/Host/);
    }
    const webhookAnswer = await raw(`/runtime/webhooks/eventgrid?functionName=clusterEvents&code=${keys().eventGridKey}`, {
      method: 'POST', headers: { host: `rebound.attacker.example:${host.port}`, 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' }, body: JSON.stringify(validation()),
    });
    expect(webhookAnswer.status).toBe(421);
    for (const name of [`127.0.0.1:${host.port}`, `localhost:${host.port}`, `LocalHost:${host.port}`, `[::1]:${host.port}`]) {
      expect((await raw('/api/clusters', { headers: { host: name, ...key } })).status, name).toBe(200);
    }
  });

  it('answers 415 to a POST without a JSON content type (what a cross-origin page can send), and takes the JSON ones', async () => {
    const toWebhook = (contentType: string | undefined) =>
      raw(`/runtime/webhooks/eventgrid?functionName=clusterEvents&code=${keys().eventGridKey}`, {
        method: 'POST', headers: { ...(contentType ? { 'content-type': contentType } : {}), 'aeg-event-type': 'Notification' }, body: '[]',
      });
    for (const contentType of [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', 'text/plain; application/json']) {
      const answer = await toWebhook(contentType);
      expect(answer.status, contentType).toBe(415);
      expect(jsonError(answer)).toMatch(/application\/json/);
    }
    for (const contentType of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/cloudevents+json', 'application/cloudevents-batch+json; charset=utf-8']) {
      expect((await toWebhook(contentType)).status, contentType).toBe(200);
    }
    const admin = await raw('/admin/functions/scheduledScan', { method: 'POST', headers: { 'x-functions-key': MASTER_KEY, 'content-type': 'text/plain' }, body: '{}' });
    expect(admin.status).toBe(415);
    expect((await raw('/admin/functions/scheduledScan', { method: 'POST', headers: { 'x-functions-key': MASTER_KEY } })).status).toBe(415);
    expect((await raw('/api/test/anonymous', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })).status).toBe(415);
  });

  it('answers 413 to a Content-Length over 1 MB without waiting for the body', async () => {
    const answer = await raw(`/runtime/webhooks/eventgrid?functionName=clusterEvents&code=${keys().eventGridKey}`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(MB + 1) }, body: '[', end: false,
    });
    expect(answer.status).toBe(413);
    expect(jsonError(answer)).toMatch(/1048576 bytes/);
  });

  it('stops reading a chunked body past 1 MB and answers 413', async () => {
    const answer = await raw('/api/test/anonymous', {
      method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: Array.from({ length: 18 }, () => Buffer.alloc(64 * 1024, 0x20)), end: false,
    });
    expect(answer.status).toBe(413);
    jsonError(answer);
  });

  it('takes a body of exactly 1 MB, with a Content-Length or chunked', async () => {
    const body = Buffer.from(`[${' '.repeat(MB - 2)}]`);
    const counted = await raw('/api/test/anonymous', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(MB) }, body });
    expect(counted.status).toBe(200);
    expect(JSON.parse(counted.body)).toEqual({ bytes: MB });
    const chunked = await raw('/api/test/anonymous', { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: [body.subarray(0, 1000), body.subarray(1000)] });
    expect(chunked.status).toBe(200);
    expect(JSON.parse(chunked.body)).toEqual({ bytes: MB });
    const events = await raw(`/runtime/webhooks/eventgrid?functionName=clusterEvents&code=${keys().eventGridKey}`, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body });
    expect(events.status).toBe(200);
  });

  it('answers a route id that is not percent-encoded properly with a 400 JSON error naming it', async () => {
    for (const id of ['%E0%A4%A', '%', 'abc%zz']) {
      const answer = await raw(`/api/clusters/${id}/history`, { headers: { 'x-functions-key': keys().functionKey } });
      expect(answer.status, id).toBe(400);
      expect(jsonError(answer)).toMatch(/^id: /);
    }
  });

  it('answers an over-long route id with a 400 JSON error up to Node\'s header limit, and past it with a 431 JSON error', async () => {
    const long = await raw(`/api/clusters/${'a'.repeat(15_000)}/history`, { headers: { 'x-functions-key': keys().functionKey } });
    expect(long.status).toBe(400);
    expect(jsonError(long)).toMatch(/^id: /);
    const tooLong = await raw(`/api/clusters/${'a'.repeat(20_000)}/history`, { headers: { 'x-functions-key': keys().functionKey } });
    expect(tooLong.status).toBe(431);
    expect(jsonError(tooLong)).toMatch(/16 KiB/);
  });

  it('passes a repeated query parameter on to the handler, which refuses it with a 400', async () => {
    const response = await api(`clusters?status=violation&status=warning&code=${keys().functionKey}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'status: given more than once' });
    expect((await api(`dashboard?q=a&q=b&code=${keys().functionKey}`)).status).toBe(400);
  });
});

describe('the keys in the log', () => {
  it('are never written there', () => {
    const log = logs.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const key of [keys().masterKey, keys().functionKey, keys().eventGridKey]) expect(log).not.toContain(key);
  });
});
