import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { makeScanSubscriptionHandler } from '../../../shared/handlers/scanSubscription.js';
import type { Services } from '../../../shared/wiring/services.js';
import { simulatorFor } from '../../support/environment.js';
import { capturingContext } from '../../support/functionContext.js';
import { clusterIdOf, ROTATION_CLUSTERS, ROTATION_SUBSCRIPTION, rotationFleet } from '../../support/rotation.js';
import { servicesFor } from '../../support/services.js';

const AUTO = JSON.stringify({ rotation: { mode: 'auto', maxConcurrent: 20, maxConcurrentPerSubscription: 20 } });
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
const started: { services: Services; azurite: RunningAzurite }[] = [];

beforeAll(async () => {
  fleet = await rotationFleet(new Date());
  simulator = await simulatorFor(fleet);
});
afterAll(async () => {
  await simulator?.close();
  for (const { azurite } of started) await azurite.stop();
});

const rotateCalls = () => fleet.clusters.reduce((sum, c) => sum + simulator.rotationRequests(c.resource.id).length, 0);
const message = { schemaVersion: 1, kind: 'scan-subscription', subscriptionId: ROTATION_SUBSCRIPTION, runId: 'run-r', requestedAt: new Date().toISOString() };

async function runScheduledScan(settings: Record<string, string>) {
  const wired = await servicesFor(simulator, { POLICY_JSON: AUTO, APISERVER_PROBE: 'off', ...settings });
  started.push(wired);
  const { services } = wired;
  const { context, text } = capturingContext('scanSubscription', { dequeueCount: 1 });
  await makeScanSubscriptionHandler({ scan: (scope) => services.scan(scope), poison: () => services.queues(), ...(services.remediate ? { remediate: services.remediate } : {}) })(message, context);
  return text();
}

describe('the scheduled scan remediates only with REMEDIATION=on', () => {
  it('by default (off) it records the verdicts and rotates nothing, even with rotation.mode auto', async () => {
    const log = await runScheduledScan({});
    expect(log).not.toMatch(/remediation/);
    expect(rotateCalls()).toBe(0);
  });

  it('with REMEDIATION=on it starts the rotations every guard allows, and logs the held ones with their reasons', async () => {
    const log = await runScheduledScan({ REMEDIATION: 'on' });
    const due = [...ROTATION_CLUSTERS.due, ROTATION_CLUSTERS.dueInOpenWindow];
    for (const name of due) expect(simulator.rotationRequests(clusterIdOf(fleet, name)), name).toHaveLength(1);
    expect(rotateCalls()).toBe(due.length);
    expect(log).toMatch(new RegExp(`run run-r: remediation started ${due.length} rotations`));
    expect(log).toContain(`run run-r: held: ${ROTATION_CLUSTERS.stopped}: held (not_running)`);
  });
});
