/**
 * The version-support source through the real SDK to the ARM simulator: the upgrade profile and the
 * region's versions in their REST shapes, one listKubernetesVersions per region per scan, and what
 * cannot be read reported as unavailable without failing the read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { evaluateCluster } from '../../../shared/domain/evaluateCluster.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { fleetReaderFor, simulatorFor, versionSupportFor } from '../../support/environment.js';

const SUB = '3a1f5c7e-9b2d-4e6f-8a0c-1d3e5f7a9b2c';
const NO_RETRY = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };

function cluster(name: string, location: string, version: string, extra: Partial<SimulatedCluster> = {}): SimulatedCluster {
  return {
    subscriptionId: SUB,
    resource: {
      id: `/subscriptions/${SUB}/resourceGroups/rg-versions/providers/Microsoft.ContainerService/managedClusters/${name}`,
      name, location, type: 'Microsoft.ContainerService/ManagedClusters',
      properties: {
        provisioningState: 'Succeeded', kubernetesVersion: version, currentKubernetesVersion: version, enableRBAC: true, supportPlan: 'KubernetesOfficial',
        agentPoolProfiles: [{
          name: 'system', mode: 'System', osType: 'Linux', orchestratorVersion: version, currentOrchestratorVersion: version,
          nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202412.04.0', tags: { team: 'versions' },
          creationData: { sourceResourceId: `/subscriptions/${SUB}/resourceGroups/rg-versions/providers/Microsoft.ContainerService/snapshots/snap-202412` },
        }],
      },
    },
    credentials: {},
    ...extra,
  };
}

const fleet: SimulatedFleet = {
  subscriptions: [{ subscriptionId: SUB, displayName: 'Versions', tenantId: '5d2b8f1a-3c4e-4a6b-9d8f-7e6c5b4a3d2e' }],
  clusters: [
    cluster('aks-old-weu', 'westeurope', '1.26.15', { upgrades: [] }),
    cluster('aks-lts-weu', 'westeurope', '1.28.5'),
    cluster('aks-new-weu', 'westeurope', '1.31.2'),
    cluster('aks-new-eus', 'eastus', '1.30.6'),
  ],
  secrets: [],
};

let simulator: ArmSimulator;
let clusters: ClusterFacts[];
const versionCalls = () => simulator.requests.filter((r) => /\/kubernetesVersions$/i.test(r.path));
const profileCalls = () => simulator.requests.filter((r) => /\/upgradeProfiles\/default$/i.test(r.path));

beforeAll(async () => {
  simulator = await simulatorFor(fleet);
  const reader = fleetReaderFor(simulator);
  clusters = (await Promise.all(fleet.clusters.map((c) => reader.getCluster({ id: c.resource.id, subscriptionId: SUB, resourceGroup: 'rg-versions', name: c.resource.name }))))
    .map((c) => c!);
});

afterAll(async () => {
  await simulator?.close();
});

describe('ArmVersionSupport (real SDK -> ARM simulator)', () => {
  it('reads the pools\' tags, versions and snapshot origin from the managed cluster GET', () => {
    expect(clusters[0]!.agentPools[0]).toMatchObject({
      name: 'system', tags: { team: 'versions' }, orchestratorVersion: '1.26.15', currentOrchestratorVersion: '1.26.15',
      snapshotId: `/subscriptions/${SUB}/resourceGroups/rg-versions/providers/Microsoft.ContainerService/snapshots/snap-202412`,
    });
    expect(clusters[0]!.supportPlan).toBe('KubernetesOfficial');
  });

  it('asks each region for its versions once per scan however many clusters it holds, and again in the next scan', async () => {
    const before = versionCalls().length;
    const scan = versionSupportFor(simulator);
    await Promise.all(clusters.map((c) => scan.read(c)));
    await scan.read(clusters[1]!);
    expect(versionCalls().length - before).toBe(2);
    expect(versionCalls().slice(before).map((r) => r.path.split('/')[6]).sort()).toEqual(['eastus', 'westeurope']);
    await versionSupportFor(simulator).read(clusters[0]!);
    expect(versionCalls().length - before).toBe(3);
  });

  it('reads the region list and the upgrade profile in their REST shapes', async () => {
    const before = profileCalls().length;
    const evidence = await versionSupportFor(simulator).read(clusters[1]!);
    expect(profileCalls().length - before).toBe(1);
    expect(evidence.unavailable).toEqual([]);
    expect(evidence.versionSupport?.regionVersions).toContainEqual({ version: '1.28', isPreview: false, supportPlans: ['AKSLongTermSupport'] });
    expect(evidence.versionSupport?.regionVersions).toContainEqual({ version: '1.32', isPreview: true, supportPlans: ['KubernetesOfficial'] });
    expect(evidence.versionSupport?.controlPlaneUpgrades).toEqual([
      { kubernetesVersion: '1.28.15', isPreview: false },
      { kubernetesVersion: '1.29.7', isPreview: false },
      { kubernetesVersion: '1.29.9', isPreview: false },
      { kubernetesVersion: '1.29.11', isPreview: false },
    ]);
  });

  it('reads no upgrade profile for a cluster its region supports: only an unsupported version needs its upgrades', async () => {
    const before = profileCalls().length;
    const evidence = await versionSupportFor(simulator).read(clusters[2]!);
    expect(profileCalls().length - before).toBe(0);
    expect(evidence.unavailable).toEqual([]);
    expect(evidence.versionSupport?.regionVersions?.length).toBeGreaterThan(0);
    expect(evidence.versionSupport?.controlPlaneUpgrades).toBeUndefined();
    const unsupported = await versionSupportFor(simulator).read(clusters[0]!);
    expect(profileCalls().length - before).toBe(1);
    expect(unsupported.versionSupport?.controlPlaneUpgrades).toEqual([]);
  });

  it('gives the rules what they need to find each new code', async () => {
    const scan = versionSupportFor(simulator);
    const verdictOf = async (c: ClusterFacts) => evaluateCluster(c, await scan.read(c), DEFAULT_POLICY, new Date());
    const old = await verdictOf(clusters[0]!);
    expect(old.findings.map((f) => [f.code, f.cause])).toEqual([
      ['KUBERNETES_VERSION_UNSUPPORTED', undefined],
      ['UPGRADE_ROTATION_DEADLOCK_RISK', 'no_upgrade_path'],
      ['KUBELET_SERVING_ROTATION_DISABLED', 'kubernetes_version'],
    ]);
    const fresh = await verdictOf(clusters[2]!);
    expect(fresh.findings.map((f) => [f.code, f.cause, f.nodePool])).toEqual([['KUBELET_SERVING_ROTATION_DISABLED', 'snapshot', 'system']]);
  });

  it('reports what it cannot read as unavailable, with its reason, and still reads the rest', async () => {
    // Unsupported (1.28 under the official plan, which the region offers under long-term support only): its profile is read.
    const gone = { ...clusters[1]!, name: 'aks-gone-weu', id: clusters[1]!.id.replace('aks-lts-weu', 'aks-gone-weu') };
    const evidence = await versionSupportFor(simulator).read(gone);
    expect(evidence.unavailable).toEqual([expect.objectContaining({ source: 'upgradeProfile', reason: 'not_found' })]);
    expect(evidence.unavailable[0]!.message).toMatch(/^getUpgradeProfile answered HTTP 404 ResourceNotFound/);
    expect(evidence.versionSupport?.regionVersions?.length).toBeGreaterThan(0);
    expect(evidence.versionSupport?.controlPlaneUpgrades).toBeUndefined();
  });

  it('reports a region list in a shape it cannot read as unavailable, naming the field', async () => {
    const nowhere = { ...clusters[3]!, location: 'nosuchregion' };
    const faulty = await startFaultyRegion();
    try {
      const evidence = await versionSupportFor(faulty, NO_RETRY).read(nowhere);
      expect(evidence.unavailable).toEqual([expect.objectContaining({ source: 'kubernetesVersions', reason: 'error' })]);
      expect(evidence.unavailable[0]!.message).toMatch(/^listKubernetesVersions\(nosuchregion\) answered a shape the rules cannot read: "values.0.version"/);
    } finally {
      await faulty.close();
    }
  });
});

/** A simulator whose region list is not a KubernetesVersionListResult: the adapter refuses the shape. */
async function startFaultyRegion(): Promise<ArmSimulator> {
  const broken = structuredClone(fleet);
  broken.kubernetesVersions = { nosuchregion: [{ version: 42 } as never] };
  return simulatorFor(broken);
}
