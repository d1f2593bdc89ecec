import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { historyEntryFromRow } from '../../../shared/audit/historyQueries.js';
import { verifyChains } from '../../../shared/audit/verifyChains.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import type { RotationDependencies } from '../../../shared/rotation/orchestratorPorts.js';
import { pollRotations } from '../../../shared/rotation/pollRotations.js';
import { remediate, type RemediationOutcome } from '../../../shared/rotation/remediate.js';
import { runScan } from '../../../shared/scan/runScan.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { azuriteStore, fleetReaderFor, simulatorFor } from '../../support/environment.js';
import { AUTO_POLICY, clusterIdOf, ROTATION_CLUSTERS, rotationDependenciesFor, rotationFleet, rotationStoreOf } from '../../support/rotation.js';
import { waitFor } from '../../support/waitFor.js';
import { get, readOnlyTables } from '../../support/auditApi.js';
import { makeClusterPageHandler } from '../../../shared/handlers/api/clusterPageHandler.js';
import { makeRotationsHandler } from '../../../shared/handlers/api/rotationsHandler.js';

const now = new Date();
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
let deps: RotationDependencies;
let verdicts: ClusterVerdict[];

beforeAll(async () => {
  fleet = await rotationFleet(now);
  simulator = await simulatorFor(fleet);
  ({ azurite, store, tables } = await azuriteStore());
  deps = rotationDependenciesFor(simulator, store, await rotationStoreOf(azurite.connectionString));
  const outcome = await runScan({ policy: AUTO_POLICY }, { fleet: fleetReaderFor(simulator), store });
  expect(outcome.storeError).toBeUndefined();
  verdicts = outcome.report.clusters;
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const rotateCalls = (name: string) => simulator.rotationRequests(clusterIdOf(fleet, name)).length;
const outcomeOf = (outcomes: RemediationOutcome[], name: string) => outcomes.find((o) => o.name === name)?.remediation;
const rotated = [...ROTATION_CLUSTERS.due, ROTATION_CLUSTERS.dueInOpenWindow];

describe('remediate and pollRotations (real SDK -> ARM simulator, Azurite)', () => {
  it('a plain scan never rotates', () => {
    expect(fleet.clusters.map((c) => rotateCalls(c.resource.name))).toEqual(fleet.clusters.map(() => 0));
    expect(verdicts.find((v) => v.name === 'due-a')?.action).toBe('rotate');
  });

  it('20 concurrent remediation runs make exactly one rotate call per due cluster, and hold the others with their reasons', async () => {
    const runs = await Promise.all(Array.from({ length: 20 }, () => remediate(verdicts, deps)));
    for (const name of rotated) expect(rotateCalls(name), name).toBe(1);
    for (const name of [ROTATION_CLUSTERS.stopped, ROTATION_CLUSTERS.failed, ROTATION_CLUSTERS.taggedOff, ROTATION_CLUSTERS.dueInClosedWindow, ROTATION_CLUSTERS.fresh]) {
      expect(rotateCalls(name), name).toBe(0);
    }
    for (const name of rotated) {
      const states = runs.map((run) => outcomeOf(run, name)!);
      expect(states.filter((s) => s.state === 'started'), name).toHaveLength(1);
      expect(states.filter((s) => s.state !== 'started').map((s) => s.reason), name).toEqual(Array(19).fill('lease_held'));
    }
    const first = runs[0]!;
    expect(outcomeOf(first, ROTATION_CLUSTERS.stopped)).toEqual({ state: 'held', reason: 'not_running' });
    expect(outcomeOf(first, ROTATION_CLUSTERS.failed)).toEqual({ state: 'held', reason: 'not_ready' });
    expect(outcomeOf(first, ROTATION_CLUSTERS.taggedOff)).toEqual({ state: 'held', reason: 'tag_off' });
    const closed = outcomeOf(first, ROTATION_CLUSTERS.dueInClosedWindow)!;
    expect(closed).toMatchObject({ state: 'held', reason: 'outside_window' });
    expect(closed.notBefore!.getTime()).toBeGreaterThan(Date.now() + 7 * 3_600_000);
    expect(outcomeOf(first, ROTATION_CLUSTERS.fresh)).toBeUndefined(); // not a candidate
  });

  it('polls every rotation to its end, verifies it by a rescan, and records each step in the chain, verify intact', async () => {
    await waitFor('every rotation done', async () => {
      await pollRotations(deps);
      const records = await deps.records.list();
      return records.length === rotated.length && records.every((r) => r.state === 'succeeded');
    });
    const records = await deps.records.list();
    expect(records.every((r) => r.verified === true && r.operationId && r.trailed)).toBe(true);
    const id = clusterIdOf(fleet, 'due-a');
    const rows = [];
    for await (const row of tables.history.listEntities()) if (row['clusterId'] === id) rows.push(historyEntryFromRow(row));
    const steps = rows.flatMap((r) => (r.kind === 'rotation' ? [r] : []));
    expect(steps.map((s) => s.event)).toEqual(['ROTATION_STARTED', 'ROTATION_SUCCEEDED']);
    expect(steps[0]).toMatchObject({ actor: 'rotation-tests', reasons: ['CERT_AGE_EXCEEDS_POLICY'], refreshCommand: 'az aks get-credentials -g rg-rotation -n due-a --overwrite-existing' });
    expect(steps[0]!.operationId).toBe(records.find((r) => r.name === 'due-a')!.operationId);
    // the rescan after the rotation is in the chain too: verdict, started, verdict (rescan), succeeded
    expect(rows.map((r) => (r.kind === 'rotation' ? r.event : r.kind))).toEqual(['verdict', 'ROTATION_STARTED', 'verdict', 'ROTATION_SUCCEEDED']);
    const verification = await verifyChains(tables);
    expect(verification.findings).toEqual([]);
    expect(verification.intact).toBe(true);
    expect(await deps.leases.holderOf({ id, subscriptionId: fleet.clusters[0]!.subscriptionId }, new Date())).toBeUndefined();
  });

  it('GET /api/rotations and the cluster page show the rotations', async () => {
    const api = { tables: readOnlyTables(tables), rotations: deps.records };
    const listed = await get(makeRotationsHandler(api), '/api/rotations?state=succeeded');
    expect(listed.status).toBe(200);
    expect(listed.json().rotations.map((r: { name: string }) => r.name).sort()).toEqual([...rotated].sort());
    expect(listed.text).not.toContain('resumeFrom');
    const one = await get(makeRotationsHandler(api), `/api/rotations?cluster=${encodeURIComponent(clusterIdOf(fleet, 'due-b'))}`);
    expect(one.json().rotations).toMatchObject([{ name: 'due-b', state: 'succeeded', verified: true, refreshCommand: 'az aks get-credentials -g rg-rotation -n due-b --overwrite-existing' }]);
    expect((await get(makeRotationsHandler(api), '/api/rotations?state=done')).json()).toEqual({ error: expect.stringMatching(/^state: must be one of requested, started/) });
    expect((await get(makeRotationsHandler(api), '/api/rotations?cluster=nonsense')).status).toBe(400);
    const page = await get(makeClusterPageHandler(api), '/api/dashboard/clusters/x', { id: clusterIdOf(fleet, 'due-b') });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Certificate rotations');
    expect(page.text).toContain('ROTATION_SUCCEEDED');
    expect(page.text).toContain('az aks get-credentials -g rg-rotation -n due-b --overwrite-existing');
  });

  it('a second remediate during the cool-down rotates nothing', async () => {
    const again = await remediate(verdicts, deps);
    for (const name of rotated) {
      expect(rotateCalls(name), name).toBe(1);
      const held = outcomeOf(again, name)!;
      expect(held).toMatchObject({ state: 'held', reason: 'cooldown' });
      expect(held.notBefore!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    }
  });
});
