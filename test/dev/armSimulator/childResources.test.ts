/**
 * A cluster's child resources as the simulator serves them (planned maintenance configurations and
 * agent pools, read through the real SDK and raw), and rotations made to fail on demand.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startArmSimulator, type ArmSimulator } from '../../../dev/armSimulator/server.js';
import { TENANT, clusterId, clusterResource, credential, errorOf } from './simulatorKit.js';

const SUB = '66666666-6666-4666-8666-666666666666';
const RG = 'rg-children';

const WEEKLY = {
  name: 'aksManagedAutoUpgradeSchedule',
  properties: {
    maintenanceWindow: {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Saturday' } },
      durationHours: 6,
      utcOffset: '-08:00',
      startDate: '2026-01-03',
      startTime: '22:00',
      notAllowedDates: [{ start: '2026-12-24', end: '2026-12-26' }],
    },
  },
};

function fleet(): SimulatedFleet {
  const planned = clusterResource(SUB, RG, 'planned');
  const pools = (planned['properties'] as { agentPoolProfiles: Record<string, unknown>[] }).agentPoolProfiles;
  Object.assign(pools[0]!, { mode: 'System', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.12.0' });
  Object.assign(pools[1]!, { name: 'win', mode: 'User', osType: 'Windows', nodeImageVersion: 'AKSWindows-2022-containerd-20348.2762.241009' });
  return {
    subscriptions: [{ subscriptionId: SUB, displayName: 'Children', tenantId: TENANT }],
    clusters: [
      { subscriptionId: SUB, resource: planned, credentials: {}, maintenanceConfigurations: [WEEKLY, { name: 'default', properties: { timeInWeek: [{ day: 'Sunday', hourSlots: [2, 3] }] } }] },
      { subscriptionId: SUB, resource: clusterResource(SUB, RG, 'unplanned'), credentials: {} },
      { subscriptionId: SUB, resource: clusterResource(SUB, RG, 'flaky'), credentials: {} },
    ],
    secrets: [],
  };
}

let simulator: ArmSimulator;
let client: ContainerServiceClient;

function rawGet(path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${simulator.url}${path}?api-version=2026-04-01`, { headers: { authorization: 'Bearer raw' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Rotates through the SDK's poller, polling every 20 ms (pollUntilDone would wait out ARM's Retry-After: 1); the error when it failed. */
async function rotate(name: string): Promise<Error | undefined> {
  const poller = client.managedClusters.rotateClusterCertificates(RG, name);
  await poller.submitted();
  while (!poller.isDone) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      await poller.poll();
    } catch (error) {
      return error as Error;
    }
  }
  return undefined;
}

beforeAll(async () => {
  simulator = await startArmSimulator({ fleet: fleet(), tls: inject('devTls'), throttle: false, rotation: { durationMs: 30 } });
  client = new ContainerServiceClient(credential, SUB, { endpoint: simulator.url });
});

afterAll(async () => {
  await simulator.close();
});

describe('maintenanceConfigurations', () => {
  it('lists the fleet definition in the REST shape, dates as YYYY-MM-DD', async () => {
    const { status, body } = await rawGet(`${clusterId(SUB, RG, 'planned')}/maintenanceConfigurations`);
    expect(status).toBe(200);
    expect(body.value).toEqual([
      { id: `${clusterId(SUB, RG, 'planned')}/maintenanceConfigurations/aksManagedAutoUpgradeSchedule`, name: 'aksManagedAutoUpgradeSchedule', type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations', properties: WEEKLY.properties },
      expect.objectContaining({ name: 'default', properties: { timeInWeek: [{ day: 'Sunday', hourSlots: [2, 3] }] } }),
    ]);
  });

  it('gets one by name (any case) through the SDK, and answers none with an empty list', async () => {
    const one = await client.maintenanceConfigurations.get(RG, 'planned', 'AKSMANAGEDAUTOUPGRADESCHEDULE');
    expect(one.name).toBe('aksManagedAutoUpgradeSchedule');
    expect(one.maintenanceWindow?.startDate).toEqual(new Date('2026-01-03T00:00:00Z'));
    expect(await collect(client.maintenanceConfigurations.listByManagedCluster(RG, 'unplanned'))).toEqual([]);
  });

  it("answers an absent configuration 404 with ARM's error envelope", async () => {
    const { status, body } = await rawGet(`${clusterId(SUB, RG, 'unplanned')}/maintenanceConfigurations/default`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NotFound', message: "Maintenance configuration 'default' was not found in managed cluster 'unplanned'." } });
    const error = await errorOf(client.maintenanceConfigurations.get(RG, 'unplanned', 'default'));
    expect(error).toMatchObject({ statusCode: 404, code: 'NotFound' });
  });

  it('answers 404 ResourceNotFound under a cluster that does not exist, and 405 to a write', async () => {
    const missing = await rawGet(`${clusterId(SUB, RG, 'gone')}/maintenanceConfigurations`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'ResourceNotFound' } } });
    const error = await errorOf(client.maintenanceConfigurations.createOrUpdate(RG, 'planned', 'default', { timeInWeek: [] }));
    expect(error).toMatchObject({ statusCode: 405, code: 'MethodNotAllowed' });
  });
});

describe('agentPools', () => {
  it('lists the pools of agentPoolProfiles with their states, count, OS, mode and node image', async () => {
    const pools = await collect(client.agentPools.list(RG, 'planned'));
    expect(pools.map((p) => ({ id: p.id, name: p.name, provisioningState: p.provisioningState, powerState: p.powerState?.code, count: p.count, osType: p.osType, mode: p.mode, nodeImageVersion: p.nodeImageVersion }))).toEqual([
      { id: `${clusterId(SUB, RG, 'planned')}/agentPools/system`, name: 'system', provisioningState: 'Succeeded', powerState: 'Running', count: 3, osType: 'Linux', mode: 'System', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.12.0' },
      { id: `${clusterId(SUB, RG, 'planned')}/agentPools/win`, name: 'win', provisioningState: 'Succeeded', powerState: 'Running', count: 3, osType: 'Windows', mode: 'User', nodeImageVersion: 'AKSWindows-2022-containerd-20348.2762.241009' },
    ]);
  });

  it('gets one pool, and answers an absent one 404 NotFound', async () => {
    expect(await client.agentPools.get(RG, 'planned', 'WIN')).toMatchObject({ name: 'win', osType: 'Windows', type: 'Microsoft.ContainerService/managedClusters/agentPools' });
    const { status, body } = await rawGet(`${clusterId(SUB, RG, 'planned')}/agentPools/gpu`);
    expect(status).toBe(404);
    expect(body).toEqual({ error: { code: 'NotFound', message: "Agent pool 'gpu' was not found in managed cluster 'planned'." } });
  });
});

describe('rotations made to fail', () => {
  it('fails the next N rotations (leaving the pool Failed), then succeeds, and counts every rotate POST', async () => {
    const id = clusterId(SUB, RG, 'flaky').replace('resourceGroups', 'resourcegroups');
    simulator.failRotations(id, { times: 2, failedPool: 'apps' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rotate('flaky');
      expect(error?.message).toMatch(/ReconcileVMSSAgentPoolFailed\. Agent pool 'apps' failed to reconcile/);
      expect((await client.agentPools.get(RG, 'flaky', 'apps')).provisioningState).toBe('Failed');
      expect((await client.agentPools.get(RG, 'flaky', 'system')).provisioningState).toBe('Succeeded');
      expect((await client.managedClusters.get(RG, 'flaky')).provisioningState).toBe('Failed');
    }
    expect(await rotate('flaky')).toBeUndefined();
    expect((await collect(client.agentPools.list(RG, 'flaky'))).map((p) => p.provisioningState)).toEqual(['Succeeded', 'Succeeded']);
    expect((await client.managedClusters.get(RG, 'flaky')).provisioningState).toBe('Succeeded');
    expect(simulator.rotationRequests(clusterId(SUB, RG, 'flaky')).map((r) => r.status)).toEqual([202, 202, 202]);
    expect(simulator.rotationRequests(clusterId(SUB, RG, 'planned'))).toEqual([]);
  });

  it('fails with the error asked for, without touching pools, and refuses a plan of no rotations', async () => {
    simulator.failRotations(clusterId(SUB, RG, 'unplanned'), { times: 1, error: { status: 400, code: 'CertificateRotationFailed', message: 'Try again.' } });
    const error = await rotate('unplanned');
    expect(error?.message).toMatch(/CertificateRotationFailed\. Try again\./);
    expect((await collect(client.agentPools.list(RG, 'unplanned'))).map((p) => p.provisioningState)).toEqual(['Succeeded', 'Succeeded']);
    expect(() => simulator.failRotations(clusterId(SUB, RG, 'unplanned'), { times: 0 })).toThrow(RangeError);
  });
});
