import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { provisioningStateOf } from '../../../dev/armSimulator/clusterState.js';
import { runCli } from '../../support/cli.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { clusterIdOf, ROTATION_CLUSTERS, rotationFleet } from '../../support/rotation.js';
import { waitFor } from '../../support/waitFor.js';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let env: Record<string, string>;
let policyFile: string;

beforeAll(async () => {
  fleet = await rotationFleet(new Date());
  simulator = await simulatorFor(fleet);
  azurite = await startAzurite();
  env = { AZURE_STATIC_TOKEN: TEST_TOKEN, COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, ROTATION_ACTOR: 'oncall-e2e' };
  policyFile = join(await mkdtemp(join(tmpdir(), 'akscert-rotation-')), 'policy.json');
  await writeFile(policyFile, JSON.stringify({ rotation: { mode: 'auto', maxConcurrent: 3, maxConcurrentPerSubscription: 3, cooldownHours: 24 } }));
});
afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

const rotateCalls = (name: string) => simulator.rotationRequests(clusterIdOf(fleet, name)).length;
const scan = (...extra: string[]) => runCli(['scan', '--arm-endpoint', simulator.url, '--no-apiserver-probe', '--policy', policyFile, '--output', 'json', ...extra], env);
const passing = [...ROTATION_CLUSTERS.due, ROTATION_CLUSTERS.dueInOpenWindow];

describe('akscert scan --remediate', () => {
  it('a plain scan rotates nothing and reports the rotations it plans', async () => {
    const { code, stdout } = await scan();
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.clusters.find((c: { name: string }) => c.name === 'due-a').remediation).toEqual({ state: 'planned' });
    expect(report.clusters.find((c: { name: string }) => c.name === 'fresh').remediation).toEqual({ state: 'none' });
    expect(fleet.clusters.every((c) => rotateCalls(c.resource.name) === 0)).toBe(true);
  });

  it('with rotation.mode auto rotates exactly the candidates passing every guard, and prints each held one with its reason', async () => {
    const { code, stdout, stderr } = await scan('--remediate');
    expect(code).toBe(0);
    const byName = new Map(JSON.parse(stdout).clusters.map((c: { name: string; remediation: unknown }) => [c.name, c.remediation]));
    // maxConcurrent 3: of the four that pass every other guard, three start and one is held by the cap
    const started = passing.filter((name) => (byName.get(name) as { state: string }).state === 'started');
    expect(started).toHaveLength(3);
    const capped = passing.filter((name) => !started.includes(name));
    expect(byName.get(capped[0]!)).toEqual({ state: 'held', reason: 'cap_fleet' });
    for (const name of started) expect(rotateCalls(name), name).toBe(1);
    for (const name of [...capped, ROTATION_CLUSTERS.stopped, ROTATION_CLUSTERS.failed, ROTATION_CLUSTERS.taggedOff, ROTATION_CLUSTERS.dueInClosedWindow, ROTATION_CLUSTERS.fresh]) {
      expect(rotateCalls(name), name).toBe(0);
    }
    expect(stderr).toContain('--remediate: 3 rotations started');
    expect(stderr).toContain(`held: ${ROTATION_CLUSTERS.stopped}: held (not_running)`);
    expect(stderr).toContain(`held: ${ROTATION_CLUSTERS.failed}: held (not_ready)`);
    expect(stderr).toContain(`held: ${ROTATION_CLUSTERS.taggedOff}: held (tag_off)`);
    expect(stderr).toMatch(new RegExp(`held: ${ROTATION_CLUSTERS.dueInClosedWindow}: held \\(outside_window\\), not before \\d{4}-\\d\\d-\\d\\dT`));
    expect(stderr).toContain(`held: ${capped[0]}: held (cap_fleet)`);

    const listed = await runCli(['rotations', '--output', 'json'], env);
    expect(listed.code).toBe(0);
    const rotations = JSON.parse(listed.stdout).rotations;
    expect(rotations.map((r: { name: string }) => r.name).sort()).toEqual([...started].sort());
    expect(rotations[0]).toMatchObject({ actor: 'oncall-e2e', attempt: 1, trigger: 'policy', reasons: ['CERT_AGE_EXCEEDS_POLICY'] });
    expect(rotations[0].refreshCommand).toMatch(/^az aks get-credentials -g rg-rotation -n due-.+ --overwrite-existing$/);
    expect(JSON.stringify(rotations)).not.toContain('resumeFrom');
  });

  it('a second run first completes and verifies the rotations, rotates none of them again, and starts the one the cap held', async () => {
    await waitFor('the rotations to end in ARM', async () => passing.every((name) => provisioningStateOf(fleet.clusters.find((c) => c.resource.name === name)!) === 'Succeeded'));
    const { code, stdout, stderr } = await scan('--remediate');
    expect(code).toBe(0);
    const byName = new Map(JSON.parse(stdout).clusters.map((c: { name: string; remediation: unknown }) => [c.name, c.remediation]));
    // The rotated clusters' certificates are new: no longer candidates, and cooling down anyway (the records say so)
    const rotatedBefore = passing.filter((name) => rotateCalls(name) === 1 && (byName.get(name) as { state: string }).state !== 'started');
    expect(rotatedBefore).toHaveLength(3);
    for (const name of rotatedBefore) expect(byName.get(name), name).toEqual({ state: 'none' });
    const capped = passing.find((name) => !rotatedBefore.includes(name))!;
    expect(byName.get(capped)).toMatchObject({ state: 'started' });
    expect(passing.map(rotateCalls)).toEqual([1, 1, 1, 1]);
    expect(stderr).toContain('--remediate: 1 rotation started');
    const done = JSON.parse((await runCli(['rotations', '--state', 'succeeded', '--output', 'json'], env)).stdout).rotations;
    expect(done.map((r: { name: string; verified: boolean }) => [r.name, r.verified]).sort()).toEqual(rotatedBefore.map((name) => [name, true]).sort());
    const verify = await runCli(['verify', '--output', 'json'], env);
    expect(JSON.parse(verify.stdout).findings).toEqual([]);
    expect(verify.code).toBe(0);
  });

  it('refuses --remediate without the store, and rotate without a terminal or --yes', async () => {
    const noStore = await scan('--remediate', '--no-store');
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('--remediate needs the store');
    const rotate = await runCli(['rotate', clusterIdOf(fleet, ROTATION_CLUSTERS.dueInClosedWindow)], env);
    expect(rotate.code).toBe(2);
    expect(rotate.stderr).toContain('pass --yes');
    expect(rotateCalls(ROTATION_CLUSTERS.dueInClosedWindow)).toBe(0);
  });

  it('rotate --yes goes through the same guards', async () => {
    const held = await runCli(['rotate', clusterIdOf(fleet, ROTATION_CLUSTERS.stopped), '--yes', '--output', 'json'], env);
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout).remediation).toEqual({ state: 'held', reason: 'not_running' });
    expect(rotateCalls(ROTATION_CLUSTERS.stopped)).toBe(0);
  });
});
