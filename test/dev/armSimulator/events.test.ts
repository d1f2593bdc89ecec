/**
 * The subscription system topic's events, as the simulator posts them to a webhook the way Event Grid
 * delivers them: after each successful action (on completion for long-running ones, at once for the
 * credential listings) and delete, in the Event Grid schema and in CloudEvents 1.0, without ever
 * delaying or failing the ARM request.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { request as httpsRequest } from 'node:https';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { findFreePort } from '../../../dev/freePort.js';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startArmSimulator, type ArmSimulator, type ArmSimulatorOptions } from '../../../dev/armSimulator/server.js';
import { TENANT, clusterId, clusterResource, credential, errorOf, startWebhookReceiver, waitFor, type ReceivedPost, type WebhookReceiver } from './simulatorKit.js';

const SUB = '66666666-6666-6666-6666-666666666666';
const RG = 'rg-events';
const POLL = { updateIntervalInMs: 50 };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OPS = 'Microsoft.ContainerService/managedClusters';

function cluster(name: string, credentials: SimulatedCluster['credentials'] = {}): SimulatedCluster {
  const kubeconfig = (kind: string) => ({ kubeconfig: `apiVersion: v1\nkind: Config\n# ${kind} ${name}\n` });
  return {
    subscriptionId: SUB,
    resource: clusterResource(SUB, RG, name),
    credentials: { monitoring: kubeconfig('monitoring'), user: kubeconfig('user'), admin: kubeconfig('admin'), ...credentials },
  };
}

function fleet(): SimulatedFleet {
  return {
    subscriptions: [{ subscriptionId: SUB, displayName: 'Events', tenantId: TENANT }],
    clusters: [
      cluster('evt-rotate'),
      cluster('evt-power'),
      cluster('evt-delete'),
      cluster('evt-creds'),
      cluster('evt-forbidden', { monitoring: { error: { status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization.' } } }),
    ],
    secrets: [],
  };
}

type EventGridEvent = { id: string; topic: string; subject: string; eventType: string; eventTime: string; data: Record<string, unknown>; dataVersion: string; metadataVersion: string };

/** Event Grid batches of one event, as received. */
function eventGridEvents(receiver: WebhookReceiver): { post: ReceivedPost; event: EventGridEvent }[] {
  return receiver.received.filter((p) => Array.isArray(p.body)).map((post) => ({ post, event: (post.body as EventGridEvent[])[0]! }));
}

function eventFor(receiver: WebhookReceiver, name: string, operationName: string) {
  return waitFor(
    () => eventGridEvents(receiver).find(({ event }) => event.subject === clusterId(SUB, RG, name) && event.data['operationName'] === operationName),
    5_000,
    `${operationName} on ${name}`,
  );
}

const devTls = inject('devTls');
const started: ArmSimulator[] = [];
let receiver: WebhookReceiver;
let simulator: ArmSimulator;
let client: ContainerServiceClient;

async function start(options: Partial<ArmSimulatorOptions>): Promise<ArmSimulator> {
  const sim = await startArmSimulator({ fleet: fleet(), tls: devTls, throttle: false, operations: { durationMs: 150 }, ...options });
  started.push(sim);
  return sim;
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  simulator = await start({ events: { webhookUrl: receiver.url } });
  client = new ContainerServiceClient(credential, SUB, { endpoint: simulator.url });
});

afterEach(() => {
  receiver.respondWith(200);
  simulator.setEventWebhook(receiver.url, 'eventgrid');
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  await receiver.close();
});

describe('Event Grid schema', () => {
  it('posts ResourceActionSuccess for a rotation when it completes, shaped like ARM', async () => {
    const operationName = `${OPS}/rotateClusterCertificates/action`;
    const poller = client.managedClusters.rotateClusterCertificates(RG, 'evt-rotate', POLL);
    await poller.submitted();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(eventGridEvents(receiver).some(({ event }) => event.data['operationName'] === operationName)).toBe(false);
    await poller.pollUntilDone();

    const { post, event } = await eventFor(receiver, 'evt-rotate', operationName);
    expect(post.headers['aeg-event-type']).toBe('Notification');
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toHaveLength(1);
    const id = clusterId(SUB, RG, 'evt-rotate');
    expect(event).toMatchObject({
      topic: `/subscriptions/${SUB}`,
      subject: id,
      eventType: 'Microsoft.Resources.ResourceActionSuccess',
      dataVersion: '2',
      metadataVersion: '1',
      data: {
        subscriptionId: SUB,
        tenantId: TENANT,
        resourceProvider: 'Microsoft.ContainerService',
        resourceUri: id,
        operationName,
        status: 'Succeeded',
        authorization: { scope: id, action: operationName },
        httpRequest: { method: 'POST' },
      },
    });
    expect(event.id).toMatch(GUID);
    expect(Math.abs(Date.parse(event.eventTime) - Date.now())).toBeLessThan(10_000);
    expect(event.data['correlationId']).toMatch(GUID);
    // Real events carry the caller's token claims (PII the consumer must not keep).
    const claims = event.data['claims'] as Record<string, string>;
    expect(claims['http://schemas.microsoft.com/identity/claims/tenantid']).toBe(TENANT);
    expect(claims['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn']).toMatch(/@/);
    expect(claims['ipaddr']).toBeTruthy();
    expect(simulator.eventsSent).toContainEqual(
      expect.objectContaining({ type: 'Microsoft.Resources.ResourceActionSuccess', operationName, resourceUri: id, status: 200, schema: 'eventgrid', eventId: event.id }),
    );
  });

  it('posts stop and start as ResourceActionSuccess and delete as ResourceDeleteSuccess', async () => {
    await client.managedClusters.stop(RG, 'evt-power', POLL).pollUntilDone();
    await client.managedClusters.start(RG, 'evt-power', POLL).pollUntilDone();
    await client.managedClusters.delete(RG, 'evt-delete', POLL).pollUntilDone();
    const stop = await eventFor(receiver, 'evt-power', `${OPS}/stop/action`);
    const startEvent = await eventFor(receiver, 'evt-power', `${OPS}/start/action`);
    const deleted = await eventFor(receiver, 'evt-delete', `${OPS}/delete`);
    expect(stop.event.eventType).toBe('Microsoft.Resources.ResourceActionSuccess');
    expect(startEvent.event.eventType).toBe('Microsoft.Resources.ResourceActionSuccess');
    expect(deleted.event).toMatchObject({ eventType: 'Microsoft.Resources.ResourceDeleteSuccess', data: { resourceUri: clusterId(SUB, RG, 'evt-delete'), httpRequest: { method: 'DELETE' } } });
  });

  it('posts an action event for each credential listing at once, with the request correlation id', async () => {
    await client.managedClusters.listClusterMonitoringUserCredentials(RG, 'evt-creds');
    await client.managedClusters.listClusterUserCredentials(RG, 'evt-creds');
    await client.managedClusters.listClusterAdminCredentials(RG, 'evt-creds');
    for (const action of ['listClusterMonitoringUserCredential', 'listClusterUserCredential', 'listClusterAdminCredential']) {
      const { event } = await eventFor(receiver, 'evt-creds', `${OPS}/${action}/action`);
      expect(event.eventType).toBe('Microsoft.Resources.ResourceActionSuccess');
    }

    const correlationId = '0d1e2f3a-4b5c-4d6e-8f70-112233445566';
    const url = `${simulator.url}${clusterId(SUB, RG, 'evt-creds')}/listClusterUserCredential?api-version=2026-04-01`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(url, { method: 'POST', headers: { authorization: 'Bearer raw', 'x-ms-correlation-request-id': correlationId } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const correlated = await waitFor(() => eventGridEvents(receiver).find(({ event }) => event.data['correlationId'] === correlationId));
    expect(correlated.event.data['httpRequest']).toMatchObject({ method: 'POST', url });
  });

  it('posts nothing for refused or failed requests', async () => {
    const before = receiver.received.length;
    expect(await errorOf(client.managedClusters.listClusterMonitoringUserCredentials(RG, 'evt-forbidden'))).toMatchObject({ statusCode: 403 });
    expect(await errorOf(client.managedClusters.start(RG, 'evt-forbidden', POLL).pollUntilDone())).toMatchObject({ statusCode: 409 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received.length).toBe(before);
  });

  it('posts nothing for an operation that fails', async () => {
    const sim = await start({
      events: { webhookUrl: receiver.url },
      rotation: { durationMs: 100, fail: () => ({ status: 500, code: 'RotateCertificatesFailed', message: 'node pool upgrade failed' }) },
    });
    const failing = new ContainerServiceClient(credential, SUB, { endpoint: sim.url });
    await expect(failing.managedClusters.rotateClusterCertificates(RG, 'evt-rotate', POLL).pollUntilDone()).rejects.toThrow(/RotateCertificatesFailed/);
    await sim.close();
    expect(sim.eventsSent).toEqual([]);
    expect(sim.eventDeliveryErrors).toEqual([]);
  });

  it('emitEvent posts an arbitrary (AKS system topic) event as given', async () => {
    const aksEvent = {
      topic: clusterId(SUB, RG, 'evt-creds'),
      subject: 'evt-creds',
      eventType: 'Microsoft.ContainerService.ClusterSupportEnding',
      id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      data: { kubernetesVersion: '1.28.5' },
      dataVersion: '1',
      metadataVersion: '1',
      eventTime: new Date().toISOString(),
    };
    simulator.emitEvent(aksEvent);
    const { post } = await waitFor(() => eventGridEvents(receiver).find(({ event }) => event.id === aksEvent.id));
    expect(post.body).toEqual([aksEvent]);
    expect(post.headers['aeg-event-type']).toBe('Notification');
    expect(simulator.eventsSent).toContainEqual(expect.objectContaining({ type: 'Microsoft.ContainerService.ClusterSupportEnding', eventId: aksEvent.id, status: 200 }));
  });
});

describe('CloudEvents schema', () => {
  it('posts single CloudEvents 1.0 events with the cloudevents content type', async () => {
    simulator.setEventWebhook(receiver.url, 'cloudevents');
    await client.managedClusters.listClusterUserCredentials(RG, 'evt-creds');
    await client.managedClusters.rotateClusterCertificates(RG, 'evt-creds', POLL).pollUntilDone();
    const id = clusterId(SUB, RG, 'evt-creds');
    type Cloud = { specversion: string; type: string; source: string; subject: string; id: string; time: string; data: Record<string, unknown> };
    const cloud = (operationName: string) =>
      waitFor(() => receiver.received.find((p) => !Array.isArray(p.body) && (p.body as Cloud).data?.['operationName'] === operationName && (p.body as Cloud).subject === id));
    for (const operationName of [`${OPS}/listClusterUserCredential/action`, `${OPS}/rotateClusterCertificates/action`]) {
      const post = await cloud(operationName);
      expect(post.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const event = post.body as Cloud;
      expect(event).toMatchObject({
        specversion: '1.0',
        type: 'Microsoft.Resources.ResourceActionSuccess',
        source: `/subscriptions/${SUB}`,
        subject: id,
        data: { resourceUri: id, operationName, status: 'Succeeded', subscriptionId: SUB, tenantId: TENANT },
      });
      expect(event.id).toMatch(GUID);
      expect(Number.isNaN(Date.parse(event.time))).toBe(false);
      expect(simulator.eventsSent).toContainEqual(expect.objectContaining({ operationName, schema: 'cloudevents', status: 200 }));
    }
  });
});

describe('delivery', () => {
  it('never delays the ARM answer, and close() waits for deliveries in flight', async () => {
    const slow = await startWebhookReceiver();
    slow.respondWith(200, 1_500);
    const sim = await start({ events: { webhookUrl: slow.url } });
    const slowClient = new ContainerServiceClient(credential, SUB, { endpoint: sim.url });
    const t0 = Date.now();
    await slowClient.managedClusters.listClusterUserCredentials(RG, 'evt-creds');
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(sim.eventsSent).toHaveLength(0);
    await sim.close();
    expect(sim.eventsSent).toEqual([expect.objectContaining({ operationName: `${OPS}/listClusterUserCredential/action`, status: 200 })]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_400);
    await slow.close();
  });

  it('records webhook errors and unreachable webhooks without failing the request', async () => {
    receiver.respondWith(500);
    await client.managedClusters.listClusterAdminCredentials(RG, 'evt-forbidden');
    const operationName = `${OPS}/listClusterAdminCredential/action`;
    const rejected = await waitFor(() => simulator.eventDeliveryErrors.find((e) => e.operationName === operationName && e.status === 500));
    expect(rejected.message).toMatch(/HTTP 500/);
    expect(simulator.eventsSent).toContainEqual(expect.objectContaining({ operationName, status: 500 }));

    simulator.setEventWebhook(`http://127.0.0.1:${await findFreePort()}/nobody-listens`);
    const listed = await client.managedClusters.listClusterUserCredentials(RG, 'evt-forbidden');
    expect(listed.kubeconfigs).toHaveLength(1);
    const unreachable = await waitFor(() =>
      simulator.eventDeliveryErrors.find((e) => e.operationName === `${OPS}/listClusterUserCredential/action` && e.status === undefined),
    );
    expect(unreachable.message).toMatch(/ECONNREFUSED/);
  });

  it('rejects a webhook URL that is not http(s)', () => {
    expect(() => simulator.setEventWebhook('ftp://example.com/hook')).toThrow(/not an http\(s\) URL/);
  });
});
