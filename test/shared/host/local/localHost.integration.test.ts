import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../../dev/armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite.js';
import { buildDemoFleet } from '../../../../dev/demoFleet/index.js';
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

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet, { latencyMs: 10 });
  azurite = await startAzurite();
  host = await startLocalHost({
    port: 0,
    timers: false,
    log: (line) => logs.push(line),
    queues: { maxPollingIntervalMs: 200 },
    settings: {
      COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN,
      APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`, RESCAN_DEBOUNCE_SECONDS: '2',
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
});

const webhook = () => `${host.url}/runtime/webhooks/eventgrid?functionName=clusterEvents`;
const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(webhook(), { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification', ...headers }, body: JSON.stringify(body) });
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

  it('answers the CloudEvents OPTIONS handshake', async () => {
    const response = await fetch(webhook(), { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });
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
    const notJson = await fetch(webhook(), { method: 'POST', headers: { 'aeg-event-type': 'Notification' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const unknown = await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=nope`, { method: 'POST', body: '[]' });
    expect(unknown.status).toBe(404);
  });

  it('spreads the timer\'s scan over per-subscription queue messages that record every readable cluster', async () => {
    await host.runTimer('scheduledScan');
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
