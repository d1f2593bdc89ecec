/**
 * The version-support surface of ARM, in its REST shapes (as @azure/arm-containerservice 25.3.0
 * reads them): the region's Kubernetes versions
 * (`GET /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions`,
 * a `KubernetesVersionListResult`: `values[]` of minors with `capabilities.supportPlan[]` and
 * `patchVersions{patch: {upgrades}}`) and a cluster's upgrade profile
 * (`GET .../managedClusters/{name}/upgradeProfiles/default`: `properties.controlPlaneProfile` and
 * `properties.agentPoolProfiles[]`, each with `kubernetesVersion`, `osType` and `upgrades[]`).
 */
import { ok, type ArmReply } from './armReply.js';
import { propertiesOf } from './clusterState.js';
import type { SimulatedCluster, SimulatedFleet, SimulatedMinorVersion } from './fleet.js';

const BOTH: SimulatedMinorVersion['capabilities']['supportPlan'] = ['KubernetesOfficial', 'AKSLongTermSupport'];

function minor(version: string, patches: string[], supportPlan: SimulatedMinorVersion['capabilities']['supportPlan'], extra: Partial<SimulatedMinorVersion> = {}): SimulatedMinorVersion {
  return { version, ...extra, capabilities: { supportPlan }, patchVersions: Object.fromEntries(patches.map((p) => [p, { upgrades: [] as string[] }])) };
}

type Version = [number, number, number];
const parse = (v: string): Version => {
  const [major = 0, minorPart = 0, patch = 0] = v.split('.').map(Number);
  return [major, minorPart, patch];
};
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

function withUpgradePaths(minors: SimulatedMinorVersion[]): SimulatedMinorVersion[] {
  return minors.map((m) => ({
    ...m,
    patchVersions: Object.fromEntries(Object.keys(m.patchVersions).map((patch) => [patch, { upgrades: upgradesFrom(minors, patch) }])),
  }));
}

/** The patches above `version` of its minor and the next; for a minor the region no longer lists, the lowest official minor above it. */
function upgradesFrom(minors: readonly SimulatedMinorVersion[], version: string): string[] {
  const current = parse(version);
  const patches = minors.flatMap((m) => Object.keys(m.patchVersions).map((p) => ({ patch: p, parsed: parse(p), minor: m })));
  const above = patches.filter((p) => compare(p.parsed, current) > 0);
  const near = above.filter((p) => p.parsed[0] === current[0] && p.parsed[1] - current[1] <= 1);
  if (near.length > 0) return near.map((p) => p.patch);
  const lowest = above.filter((p) => p.minor.capabilities.supportPlan.includes('KubernetesOfficial')).sort((a, b) => compare(a.parsed, b.parsed))[0];
  return lowest ? above.filter((p) => p.minor === lowest.minor).map((p) => p.patch) : [];
}

/**
 * What a region offers unless the fleet says otherwise: 1.27 and 1.28 only under long-term support,
 * 1.29 to 1.31 under both plans (1.31 the default), 1.32 in preview. Each patch's `upgrades` are the
 * later patches of its minor and of the next, as AKS lists them.
 */
export const DEFAULT_KUBERNETES_VERSIONS: SimulatedMinorVersion[] = withUpgradePaths([
  minor('1.27', ['1.27.9', '1.27.100'], ['AKSLongTermSupport']),
  minor('1.28', ['1.28.5', '1.28.15'], ['AKSLongTermSupport']),
  minor('1.29', ['1.29.7', '1.29.9', '1.29.11'], BOTH),
  minor('1.30', ['1.30.4', '1.30.6', '1.30.7'], BOTH),
  minor('1.31', ['1.31.1', '1.31.2'], BOTH, { isDefault: true }),
  minor('1.32', ['1.32.0'], ['KubernetesOfficial'], { isPreview: true }),
]);

function regionVersions(fleet: SimulatedFleet, location: string): SimulatedMinorVersion[] {
  return fleet.kubernetesVersions?.[location.toLowerCase()] ?? DEFAULT_KUBERNETES_VERSIONS;
}

export function kubernetesVersionsReply(fleet: SimulatedFleet, location: string): ArmReply {
  return ok({ values: structuredClone(regionVersions(fleet, location)) });
}

function isPreviewIn(minors: readonly SimulatedMinorVersion[], version: string): boolean {
  const [major, minorPart] = parse(version);
  return minors.find((m) => m.version === `${major}.${minorPart}`)?.isPreview === true;
}

/** The upgrade profile, from the cluster as it stands now (its versions change with operations). */
export function upgradeProfileReply(fleet: SimulatedFleet, cluster: SimulatedCluster): ArmReply {
  const properties = propertiesOf(cluster);
  const minors = regionVersions(fleet, String(cluster.resource['location'] ?? ''));
  const upgradesOf = (version: string) =>
    (cluster.upgrades ?? upgradesFrom(minors, version).map((kubernetesVersion): { kubernetesVersion: string; isPreview?: boolean } => ({ kubernetesVersion })))
      .map((u) => ({ kubernetesVersion: u.kubernetesVersion, ...((u.isPreview ?? isPreviewIn(minors, u.kubernetesVersion)) ? { isPreview: true } : {}) }));
  const controlPlaneVersion = String(properties['currentKubernetesVersion'] ?? properties['kubernetesVersion'] ?? '');
  const pools = Array.isArray(properties['agentPoolProfiles']) ? (properties['agentPoolProfiles'] as Array<Record<string, unknown>>) : [];
  return ok({
    id: `${cluster.resource.id}/upgradeProfiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/upgradeProfiles',
    properties: {
      controlPlaneProfile: { kubernetesVersion: controlPlaneVersion, name: null, osType: 'Linux', upgrades: upgradesOf(controlPlaneVersion) },
      agentPoolProfiles: pools.map((pool) => {
        const version = String(pool['currentOrchestratorVersion'] ?? pool['orchestratorVersion'] ?? controlPlaneVersion);
        return { kubernetesVersion: version, name: pool['name'], osType: pool['osType'] ?? 'Linux', upgrades: upgradesOf(version) };
      }),
    },
  });
}
