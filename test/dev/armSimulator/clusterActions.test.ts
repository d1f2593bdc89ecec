/**
 * Stop, start and delete as ARM long-running operations, through the real SDK pollers
 * (`managedClusters.stop/start/delete` return PollerLike), plus AKS's refusals (409
 * OperationNotAllowed) while another operation runs and for a pointless stop or start.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startArmSimulator, type ArmSimulator, type ArmSimulatorOptions } from '../../../dev/armSimulator/server.js';
import { TENANT, clusterResource, credential, errorOf } from './simulatorKit.js';

const SUB = '44444444-4444-4444-4444-444444444444';
const RG = 'rg-actions';
const NAMES = ['stop-start', 'busy', 'delete-me', 'delete-busy', 'stop-fails', 'raw'];
const POLL = { updateIntervalInMs: 50 };

function fleet(): SimulatedFleet {
  return {
    subscriptions: [{ subscriptionId: SUB, displayName: 'Actions', tenantId: TENANT }],
    clusters: NAMES.map((name) => ({ subscriptionId: SUB, resource: clusterResource(SUB, RG, name), credentials: {} })),
    secrets: [],
  };
}

const devTls = inject('devTls');
const started: ArmSimulator[] = [];
let simulator: ArmSimulator;
let client: ContainerServiceClient;

async function start(options: Partial<ArmSimulatorOptions> = {}): Promise<ArmSimulator> {
  const sim = await startArmSimulator({ fleet: fleet(), tls: devTls, throttle: false, operations: { durationMs: 200 }, ...options });
  started.push(sim);
  return sim;
}

function raw(url: string, method: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers: { authorization: 'Bearer raw' } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  simulator = await start();
  client = new ContainerServiceClient(credential, SUB, { endpoint: simulator.url });
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

describe('stop and start', () => {
  it('stops a running cluster (Stopping while it runs) and starts it again (Starting)', async () => {
    const stopping = client.managedClusters.stop(RG, 'stop-start', POLL);
    await stopping.submitted();
    const during = await client.managedClusters.get(RG, 'stop-start');
    expect(during.provisioningState).toBe('Stopping');
    expect(during.powerState?.code).toBe('Running');
    await stopping.pollUntilDone();
    const stopped = await client.managedClusters.get(RG, 'stop-start');
    expect(stopped).toMatchObject({ provisioningState: 'Succeeded', powerState: { code: 'Stopped' } });
    expect(stopped.agentPoolProfiles?.map((p) => p.powerState?.code)).toEqual(['Stopped', 'Stopped']);

    const starting = client.managedClusters.start(RG, 'stop-start', POLL);
    await starting.submitted();
    expect((await client.managedClusters.get(RG, 'stop-start')).provisioningState).toBe('Starting');
    await starting.pollUntilDone();
    const running = await client.managedClusters.get(RG, 'stop-start');
    expect(running).toMatchObject({ provisioningState: 'Succeeded', powerState: { code: 'Running' } });
    expect(running.agentPoolProfiles?.map((p) => p.powerState?.code)).toEqual(['Running', 'Running']);
  });

  it('refuses to start a running cluster and to stop a stopped one, as AKS does', async () => {
    const startRunning = await errorOf(client.managedClusters.start(RG, 'stop-start', POLL).pollUntilDone());
    expect(startRunning).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(startRunning.message).toMatch(/Power State\(Running\), starting cannot be performed/);

    await client.managedClusters.stop(RG, 'stop-start', POLL).pollUntilDone();
    const stopStopped = await errorOf(client.managedClusters.stop(RG, 'stop-start', POLL).pollUntilDone());
    expect(stopStopped).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(stopStopped.message).toMatch(/not currently running, stopping cannot be performed/);
    await client.managedClusters.start(RG, 'stop-start', POLL).pollUntilDone();
  });

  it('speaks 202 + Azure-AsyncOperation/Location on the wire, then 204 from the result URL', async () => {
    const base = `${simulator.url}/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/raw`;
    const accepted = await raw(`${base}/stop?api-version=2026-04-01`, 'POST');
    expect(accepted.status).toBe(202);
    const statusUrl = String(accepted.headers['azure-asyncoperation']);
    const resultUrl = String(accepted.headers['location']);
    expect(statusUrl).toContain(`/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/westeurope/operations/`);
    expect(JSON.parse((await raw(statusUrl, 'GET')).body)).toMatchObject({ status: 'InProgress' });
    expect((await raw(resultUrl, 'GET')).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(JSON.parse((await raw(statusUrl, 'GET')).body)).toMatchObject({ status: 'Succeeded' });
    expect((await raw(resultUrl, 'GET')).status).toBe(204);
    // Only real action names route: not an inherited property name.
    expect((await raw(`${base}/constructor?api-version=2026-04-01`, 'POST')).status).toBe(404);
  });

  it('ends a failing stop Failed, with the cluster Failed and still running', async () => {
    const sim = await start({
      operations: {
        durationMs: 100,
        fail: (cluster, action) =>
          action === 'stop' && cluster.resource.name === 'stop-fails' ? { status: 500, code: 'VMSSStopFailed', message: 'a scale set did not deallocate' } : undefined,
      },
    });
    const failing = new ContainerServiceClient(credential, SUB, { endpoint: sim.url });
    await expect(failing.managedClusters.stop(RG, 'stop-fails', POLL).pollUntilDone()).rejects.toThrow(/VMSSStopFailed/);
    expect(await failing.managedClusters.get(RG, 'stop-fails')).toMatchObject({ provisioningState: 'Failed', powerState: { code: 'Running' } });
  });
});

describe('operations on a busy cluster', () => {
  it('answers 409 OperationNotAllowed while another operation runs, and accepts again afterwards', async () => {
    simulator.setOperationDuration(1_000, 'rotateClusterCertificates');
    const rotation = client.managedClusters.rotateClusterCertificates(RG, 'busy', POLL);
    await rotation.submitted();
    for (const attempt of [
      client.managedClusters.stop(RG, 'busy', POLL),
      client.managedClusters.rotateClusterCertificates(RG, 'busy', POLL),
    ]) {
      const error = await errorOf(attempt.pollUntilDone());
      expect(error).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
      expect(error.message).toContain('Provisioning State(RotatingClusterCertificates)');
    }
    await rotation.pollUntilDone();
    simulator.setOperationDuration(200);
    await client.managedClusters.stop(RG, 'busy', POLL).pollUntilDone();
    expect((await client.managedClusters.get(RG, 'busy')).powerState?.code).toBe('Stopped');
  });
});

describe('delete', () => {
  it('deletes as a long-running operation: Deleting while it runs, then 404 and gone from the lists', async () => {
    const deleting = client.managedClusters.delete(RG, 'delete-me', POLL);
    await deleting.submitted();
    expect((await client.managedClusters.get(RG, 'delete-me')).provisioningState).toBe('Deleting');
    const refused = await errorOf(client.managedClusters.stop(RG, 'delete-me', POLL).pollUntilDone());
    expect(refused).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect(refused.message).toMatch(/only allowed operation is deletion/);
    // A repeated DELETE joins the running one rather than starting another.
    const again = await raw(`${simulator.url}${clusterResource(SUB, RG, 'delete-me').id}?api-version=2026-04-01`, 'DELETE');
    expect(again.status).toBe(202);

    await deleting.pollUntilDone();
    expect(await errorOf(client.managedClusters.get(RG, 'delete-me'))).toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    const names: string[] = [];
    for await (const c of client.managedClusters.listByResourceGroup(RG)) names.push(c.name ?? '');
    expect(names).not.toContain('delete-me');
    expect(simulator.fleet.clusters.some((c) => c.resource.name === 'delete-me')).toBe(false);

    // Deleting what is gone is not an error: ARM answers 204, and the poller is done at once.
    const gone = await raw(`${simulator.url}${clusterResource(SUB, RG, 'delete-me').id}?api-version=2026-04-01`, 'DELETE');
    expect(gone.status).toBe(204);
    await client.managedClusters.delete(RG, 'delete-me', POLL).pollUntilDone();
  });

  it('deletes a busy cluster, cancelling the operation that ran', async () => {
    simulator.setOperationDuration(2_000, 'rotateClusterCertificates');
    const rotation = client.managedClusters.rotateClusterCertificates(RG, 'delete-busy', POLL);
    await rotation.submitted();
    const rotationResult = rotation.pollUntilDone().then(
      () => 'succeeded',
      (error: Error) => error.message,
    );
    await client.managedClusters.delete(RG, 'delete-busy', POLL).pollUntilDone();
    expect(await rotationResult).toBe('Operation was canceled');
    expect(await errorOf(client.managedClusters.get(RG, 'delete-busy'))).toMatchObject({ statusCode: 404 });
    simulator.setOperationDuration(200);
  });
});
