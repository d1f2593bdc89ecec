/**
 * ArmRotation through the real SDK (@azure/arm-containerservice 25.3.0) against the ARM simulator over
 * HTTPS: planned maintenance configurations of every kind with their calendar dates, and
 * rotateClusterCertificates started by one instance and checked, from its saved poller state, by another.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet, SimulatedMaintenanceConfiguration } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { ArmRotation } from '../../../shared/azure/armRotation.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { loadConfig } from '../../../shared/config.js';
import { parseClusterId, type ClusterId } from '../../../shared/domain/clusterId.js';
import { AksCertError, SourceReadError } from '../../../shared/domain/errors.js';
import type { RotationOperation, RotationOperationStatus } from '../../../shared/rotation/ports.js';
import { createClusterRotation } from '../../../shared/wiring/adapters.js';
import { TENANT, clusterResource } from '../../dev/armSimulator/simulatorKit.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const SUB = '5e5e5e5e-0000-4000-8000-000000000009';
const RG = 'rg-rotation';
const FAST_RETRY = { retries: 1, baseDelayMs: 10, maxDelayMs: 50 };

const IST_WEEKLY: SimulatedMaintenanceConfiguration = {
  name: 'aksManagedNodeOSUpgradeSchedule',
  properties: {
    maintenanceWindow: {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
      durationHours: 4,
      utcOffset: '+05:30',
      startDate: '2025-12-31',
      startTime: '00:30',
      notAllowedDates: [{ start: '2026-01-01', end: '2026-01-03' }],
    },
  },
};
const PACIFIC_RELATIVE: SimulatedMaintenanceConfiguration = {
  name: 'aksManagedAutoUpgradeSchedule',
  properties: {
    maintenanceWindow: {
      schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Last', dayOfWeek: 'Friday' } },
      durationHours: 8,
      utcOffset: '-08:00',
      startDate: '2026-03-01',
      startTime: '22:00',
    },
  },
};
const LEGACY_DEFAULT: SimulatedMaintenanceConfiguration = {
  name: 'default',
  properties: {
    timeInWeek: [{ day: 'Saturday', hourSlots: [1, 2, 3] }, { day: 'Sunday', hourSlots: [1] }],
    notAllowedTime: [{ start: '2026-12-24T00:00:00Z', end: '2026-12-27T00:00:00Z' }],
  },
};
const DAILY: SimulatedMaintenanceConfiguration = {
  name: 'aksManagedNodeOSUpgradeSchedule',
  properties: { maintenanceWindow: { schedule: { daily: { intervalDays: 2 } }, durationHours: 6, startTime: '03:00' } },
};
const ABSOLUTE: SimulatedMaintenanceConfiguration = {
  name: 'aksManagedAutoUpgradeSchedule',
  properties: {
    maintenanceWindow: { schedule: { absoluteMonthly: { intervalMonths: 3, dayOfMonth: 15 } }, durationHours: 24, utcOffset: '+00:00', startTime: '12:00' },
  },
};

function cluster(name: string, maintenanceConfigurations?: SimulatedMaintenanceConfiguration[]): SimulatedCluster {
  return { subscriptionId: SUB, resource: clusterResource(SUB, RG, name), credentials: {}, ...(maintenanceConfigurations ? { maintenanceConfigurations } : {}) };
}

const fleet: SimulatedFleet = {
  subscriptions: [{ subscriptionId: SUB, displayName: 'Rotation', tenantId: TENANT }],
  clusters: [
    cluster('planned', [IST_WEEKLY, PACIFIC_RELATIVE, LEGACY_DEFAULT]),
    cluster('planned-other', [DAILY, ABSOLUTE]),
    cluster('unplanned'),
    ...['rotate-ok', 'rotate-slow', 'rotate-fails', 'rotate-poll-error', 'rotate-busy'].map((name) => cluster(name)),
  ],
  secrets: [],
};

let simulator: ArmSimulator;

/** A brand-new adapter from the same settings, as another process would build it. */
function rotationApi(): ArmRotation {
  return new ArmRotation(new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN)), FAST_RETRY);
}

const idOf = (name: string): ClusterId => parseClusterId(clusterResource(SUB, RG, name).id)!;

/** Checks from fresh instances until the operation is no longer running. */
async function settled(operation: RotationOperation): Promise<RotationOperationStatus> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const status = await rotationApi().checkRotation(operation);
    if (status.status !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`rotation ${operation.operationId} still running`);
}

beforeAll(async () => {
  simulator = await simulatorFor(fleet, { throttle: false, rotation: { durationMs: 100 } });
});

afterAll(async () => {
  await simulator?.close();
});

describe('listMaintenanceConfigurations', () => {
  it('reads weekly, relative-monthly and legacy configurations with their calendar dates in +05:30 and -08:00', async () => {
    const configurations = await rotationApi().listMaintenanceConfigurations(idOf('planned'));
    expect(configurations).toStrictEqual([
      {
        name: 'aksManagedNodeOSUpgradeSchedule',
        maintenanceWindow: {
          schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Sunday' } },
          durationHours: 4,
          utcOffset: '+05:30',
          startDate: '2025-12-31',
          startTime: '00:30',
          notAllowedDates: [{ start: '2026-01-01', end: '2026-01-03' }],
        },
      },
      {
        name: 'aksManagedAutoUpgradeSchedule',
        maintenanceWindow: {
          schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Last', dayOfWeek: 'Friday' } },
          durationHours: 8,
          utcOffset: '-08:00',
          startDate: '2026-03-01',
          startTime: '22:00',
        },
      },
      {
        name: 'default',
        timeInWeek: [{ day: 'Saturday', hourSlots: [1, 2, 3] }, { day: 'Sunday', hourSlots: [1] }],
        notAllowedTime: [{ start: new Date('2026-12-24T00:00:00Z'), end: new Date('2026-12-27T00:00:00Z') }],
      },
    ]);
  });

  it('reads daily and absolute-monthly windows', async () => {
    const configurations = await rotationApi().listMaintenanceConfigurations(idOf('planned-other'));
    expect(configurations.map((c) => c.maintenanceWindow)).toStrictEqual([
      { schedule: { daily: { intervalDays: 2 } }, durationHours: 6, startTime: '03:00' },
      { schedule: { absoluteMonthly: { intervalMonths: 3, dayOfMonth: 15 } }, durationHours: 24, utcOffset: '+00:00', startTime: '12:00' },
    ]);
  });

  it('answers [] for a cluster without configurations and for a cluster ARM no longer has', async () => {
    expect(await rotationApi().listMaintenanceConfigurations(idOf('unplanned'))).toEqual([]);
    expect(await rotationApi().listMaintenanceConfigurations(idOf('deleted-meanwhile'))).toEqual([]);
  });

  it('turns a refused listing into SourceReadError with ARM code and status', async () => {
    simulator.injectFault({ method: 'GET', pathIncludes: '/managedClusters/unplanned/maintenanceConfigurations', status: 403, code: 'AuthorizationFailed', times: 1 });
    const error = await rotationApi().listMaintenanceConfigurations(idOf('unplanned')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceReadError);
    expect(error).toMatchObject({ reason: 'forbidden', code: 'AuthorizationFailed', status: 403 });
    expect((error as Error).message).toMatch(/^listing maintenance configurations answered HTTP 403 AuthorizationFailed/);
  });
});

describe('createClusterRotation', () => {
  it('builds the adapter from the settings, as the fleet reader is built', async () => {
    const fromConfig = createClusterRotation(loadConfig({ ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN }));
    expect(fromConfig).toBeInstanceOf(ArmRotation);
    expect((await fromConfig.listMaintenanceConfigurations(idOf('planned-other'))).map((c) => c.name)).toEqual(['aksManagedNodeOSUpgradeSchedule', 'aksManagedAutoUpgradeSchedule']);
  });
});

describe('readCluster', () => {
  it('reads the cluster as ARM has it now, and undefined once ARM answers 404', async () => {
    expect(await rotationApi().readCluster(idOf('rotate-ok'))).toMatchObject({ name: 'rotate-ok', provisioningState: 'Succeeded', powerState: 'Running' });
    expect(await rotationApi().readCluster(idOf('deleted-meanwhile'))).toBeUndefined();
  });
});

describe('startRotation and checkRotation', () => {
  it('starts a rotation with one POST and a brand-new instance follows it from the saved state to succeeded', async () => {
    const before = simulator.requests.length;
    const operation = await rotationApi().startRotation(idOf('rotate-ok'));
    expect(simulator.rotationRequests(idOf('rotate-ok').id)).toHaveLength(1);
    expect(simulator.requests.slice(before).map((r) => r.method)).toEqual(['POST']);
    expect(operation.operationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(operation.resumeFrom).toContain(operation.operationId);
    expect(operation.startedAt).toBeInstanceOf(Date);
    expect(await settled(operation)).toEqual({ status: 'succeeded' });
    expect(await rotationApi().readCluster(idOf('rotate-ok'))).toMatchObject({ provisioningState: 'Succeeded' });
    expect(simulator.rotationRequests(idOf('rotate-ok').id)).toHaveLength(1);
  });

  it('returns while ARM still runs the rotation, which then reads running', async () => {
    simulator.setRotationDuration(60_000);
    try {
      const operation = await rotationApi().startRotation(idOf('rotate-slow'));
      expect(await rotationApi().readCluster(idOf('rotate-slow'))).toMatchObject({ provisioningState: 'RotatingClusterCertificates' });
      expect(await rotationApi().checkRotation(operation)).toEqual({ status: 'running' });
    } finally {
      simulator.setRotationDuration(100);
    }
  });

  it('refuses a second rotation of a busy cluster as SourceReadError 409 OperationNotAllowed', async () => {
    simulator.setRotationDuration(60_000);
    try {
      await rotationApi().startRotation(idOf('rotate-busy'));
      const error = await rotationApi().startRotation(idOf('rotate-busy')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceReadError);
      expect(error).toMatchObject({ code: 'OperationNotAllowed', status: 409 });
      expect((error as Error).message).toMatch(/^starting the certificate rotation answered HTTP 409 OperationNotAllowed: managed cluster is in Provisioning State\(RotatingClusterCertificates\)/);
    } finally {
      simulator.setRotationDuration(100);
    }
  });

  it('reports a failed rotation with ARM code and message, the pool left Failed, and a rerun that succeeds', async () => {
    const id = idOf('rotate-fails');
    simulator.failRotations(id.id, {
      times: 1,
      error: { status: 500, code: 'ReconcileVMSSAgentPoolFailed', message: "Agent pool 'apps' failed to reconcile." },
      failedPool: 'apps',
    });
    const first = await rotationApi().startRotation(id);
    expect(await settled(first)).toEqual({ status: 'failed', code: 'ReconcileVMSSAgentPoolFailed', message: "Agent pool 'apps' failed to reconcile." });
    expect(await rotationApi().readCluster(id)).toMatchObject({ provisioningState: 'Failed' });
    const pools = () => (simulator.fleet.clusters.find((c) => c.resource.name === 'rotate-fails')!.resource['properties'] as { agentPoolProfiles: { name: string; provisioningState: string }[] }).agentPoolProfiles;
    expect(pools().map((p) => [p.name, p.provisioningState])).toEqual([['system', 'Succeeded'], ['apps', 'Failed']]);

    const rerun = await rotationApi().startRotation(id);
    expect(await settled(rerun)).toEqual({ status: 'succeeded' });
    expect(pools().map((p) => p.provisioningState)).toEqual(['Succeeded', 'Succeeded']);
    expect(simulator.rotationRequests(id.id)).toHaveLength(2);
  });

  it('throws SourceReadError, never a status, when the poll itself keeps failing', async () => {
    const operation = await rotationApi().startRotation(idOf('rotate-poll-error'));
    simulator.injectFault({ method: 'GET', pathIncludes: `/operations/${operation.operationId}`, status: 429, retryAfterSeconds: 0, times: 100 });
    const error = await rotationApi().checkRotation(operation).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceReadError);
    expect(error).toMatchObject({ reason: 'throttled', status: 429 });
    expect((error as Error).message).toMatch(new RegExp(`^polling certificate rotation ${operation.operationId} answered HTTP 429`));
  });

  it('throws SourceReadError for an operation ARM does not know', async () => {
    const operation = await rotationApi().startRotation(idOf('rotate-ok'));
    const unknown = { ...operation, resumeFrom: operation.resumeFrom.replaceAll(operation.operationId, '00000000-0000-4000-8000-000000000000') };
    await expect(rotationApi().checkRotation(unknown)).rejects.toMatchObject({ name: 'SourceReadError', reason: 'not_found', status: 404 });
    await settled(operation);
  });

  it('refuses saved state that would send the token to another host, before any request', async () => {
    const operation = await rotationApi().startRotation(idOf('rotate-ok'));
    await settled(operation);
    const before = simulator.requests.length;
    const elsewhere = { ...operation, resumeFrom: operation.resumeFrom.replaceAll(simulator.url, 'https://attacker.example') };
    const error = await rotationApi().checkRotation(elsewhere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AksCertError);
    expect((error as Error).message).toMatch(/polls https:\/\/attacker\.example, not the ARM endpoint/);
    expect(simulator.requests.length).toBe(before);
    await expect(rotationApi().checkRotation({ ...operation, resumeFrom: '{"state":{}}' })).rejects.toThrow(/not a saved rotateClusterCertificates operation/);
  });
});
