import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { historyEntryFromRow } from '../../../shared/audit/historyQueries.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import type { RotationDependencies } from '../../../shared/rotation/orchestratorPorts.js';
import { pollRotations } from '../../../shared/rotation/pollRotations.js';
import { remediate } from '../../../shared/rotation/remediate.js';
import { runScan } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { azuriteStore, fleetReaderFor, simulatorFor } from '../../support/environment.js';
import { AUTO_POLICY, clusterIdOf, rotationDependenciesFor, rotationFleet, rotationStoreOf } from '../../support/rotation.js';
import { waitFor } from '../../support/waitFor.js';

const now = new Date();
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let deps: RotationDependencies;
let verdicts: ClusterVerdict[];

beforeAll(async () => {
  fleet = await rotationFleet(now, ['flaky', 'killed-after-post', 'killed-before-trail', 'forgotten-operation']);
  simulator = await simulatorFor(fleet);
  ({ azurite, store, tables } = await azuriteStore());
  deps = rotationDependenciesFor(simulator, store, await rotationStoreOf(azurite.connectionString));
  verdicts = (await runScan({ policy: AUTO_POLICY }, { fleet: fleetReaderFor(simulator), store })).report.clusters;
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const only = (name: string) => verdicts.filter((v) => v.name === name);
const rotateCalls = (name: string) => simulator.rotationRequests(clusterIdOf(fleet, name)).length;
const recordsOf = async (name: string) => (await deps.records.list()).filter((r) => r.name === name);
async function stepsOf(name: string) {
  const id = clusterIdOf(fleet, name);
  const rows = [];
  for await (const row of tables.history.listEntities()) if (row['clusterId'] === id) rows.push(historyEntryFromRow(row));
  return rows.flatMap((r) => (r.kind === 'rotation' ? [r] : []));
}
async function pollUntil(name: string, done: (states: string[]) => boolean, options = {}) {
  return waitFor(`${name}'s rotation`, async () => {
    await pollRotations(deps, options);
    const states = (await recordsOf(name)).map((r) => r.state);
    return done(states) && states;
  });
}

describe('pollRotations (real SDK -> ARM simulator, Azurite)', () => {
  it('reruns a failed rotation once, then holds the cluster as failed_twice', async () => {
    simulator.failRotations(clusterIdOf(fleet, 'flaky'), { times: 2, failedPool: 'system' });
    expect((await remediate(only('flaky'), deps))[0]!.remediation.state).toBe('started');
    const states = await pollUntil('flaky', (s) => s.length === 2 && s.every((x) => x === 'failed'));
    expect(states).toEqual(['failed', 'failed']);
    const records = await recordsOf('flaky');
    expect(records.map((r) => [r.attempt, r.errorCode])).toEqual([[1, 'ReconcileVMSSAgentPoolFailed'], [2, 'ReconcileVMSSAgentPoolFailed']]);
    expect(new Set(records.map((r) => r.leaseHolder)).size).toBe(1); // one rotation, two attempts
    expect(rotateCalls('flaky')).toBe(2);
    expect((await stepsOf('flaky')).map((s) => `${s.event}#${s.attempt}`)).toEqual(['ROTATION_STARTED#1', 'ROTATION_FAILED#1', 'ROTATION_STARTED#2', 'ROTATION_FAILED#2']);
    expect((await remediate(only('flaky'), deps))[0]!.remediation).toEqual({ state: 'held', reason: 'failed_twice' });
    expect(rotateCalls('flaky')).toBe(2);
  });

  it('picks up a rotation whose instance died right after the POST, before it recorded the operation', async () => {
    const dying: RotationDependencies = {
      ...deps,
      arm: { ...deps.arm, readCluster: (c) => deps.arm.readCluster(c), listMaintenanceConfigurations: (c) => deps.arm.listMaintenanceConfigurations(c), checkRotation: (o) => deps.arm.checkRotation(o),
        startRotation: async (cluster) => {
          await deps.arm.startRotation(cluster);
          throw new Error('the instance was stopped');
        } },
    };
    const [outcome] = await remediate(only('killed-after-post'), dying);
    expect(outcome!.remediation).toEqual({ state: 'started', reason: 'unconfirmed' });
    expect((await recordsOf('killed-after-post')).map((r) => r.state)).toEqual(['requested']);
    await pollRotations(deps); // within the grace period: the instance may still be between its record and its POST
    expect((await recordsOf('killed-after-post')).map((r) => r.state)).toEqual(['requested']);
    await pollUntil('killed-after-post', (s) => s[0] === 'succeeded', { requestedGraceMs: 0 });
    expect(rotateCalls('killed-after-post')).toBe(1);
    expect((await recordsOf('killed-after-post'))[0]).toMatchObject({ verified: true, trailed: true });
    expect((await stepsOf('killed-after-post')).map((s) => [s.event, s.operationId])).toEqual([['ROTATION_STARTED', ''], ['ROTATION_SUCCEEDED', '']]);
  });

  it('completes the history row of a rotation whose instance died between its record and its row', async () => {
    let failOnce = true;
    const dying: RotationDependencies = {
      ...deps,
      trail: { recordRotationEvent: async (step) => {
        if (failOnce) {
          failOnce = false;
          throw new Error('the instance was stopped');
        }
        return deps.trail.recordRotationEvent(step);
      } },
    };
    await expect(remediate(only('killed-before-trail'), dying)).resolves.toMatchObject([{ remediation: { state: 'failed', reason: 'error' } }]);
    const [record] = await recordsOf('killed-before-trail');
    expect(record).toMatchObject({ state: 'started', trailed: false });
    expect(await stepsOf('killed-before-trail')).toEqual([]);
    await pollUntil('killed-before-trail', (s) => s[0] === 'succeeded');
    expect((await stepsOf('killed-before-trail')).map((s) => s.event)).toEqual(['ROTATION_STARTED', 'ROTATION_SUCCEEDED']);
    expect(rotateCalls('killed-before-trail')).toBe(1);
    const verification = await verifyChains(tables);
    expect(verification.findings).toEqual([]);
  });

  it('follows the cluster when ARM no longer knows the operation, and verifies it by the rescan', async () => {
    expect((await remediate(only('forgotten-operation'), deps))[0]!.remediation.state).toBe('started');
    const [record] = await recordsOf('forgotten-operation');
    const forgotten = record!.resumeFrom!.replaceAll(record!.operationId!, '00000000-0000-4000-8000-00000000dead');
    expect(forgotten).not.toBe(record!.resumeFrom);
    await deps.records.update({ ...record!, resumeFrom: forgotten });
    await pollUntil('forgotten-operation', (states) => states[0] === 'succeeded');
    expect((await recordsOf('forgotten-operation'))[0]).toMatchObject({ verified: true });
    expect(rotateCalls('forgotten-operation')).toBe(1);
  });
});
