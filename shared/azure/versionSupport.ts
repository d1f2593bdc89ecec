import { z } from 'zod';
import { platformOf } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import type { CertificateEvidence, UnavailableSource } from '../domain/verdict.js';
import { judgeVersionSupport, type RegionMinor, type VersionSupportEvidence } from '../domain/versionSupport.js';
import type { EvidenceSource } from '../scan/ports.js';
import type { ArmClients } from './armClients.js';
import { describeArmFailure } from './armErrors.js';
import { DEFAULT_RETRY, withArmRetry, type RetryOptions } from './retry.js';

/** `KubernetesVersionListResult` as the SDK returns it (`values[]`, each minor with its support plans). */
const versionListSchema = z.object({
  values: z
    .array(z.object({
      version: z.string(),
      isPreview: z.boolean().nullish(),
      capabilities: z.object({ supportPlan: z.array(z.string()).nullish() }).nullish(),
    }))
    .nullish(),
});

/** `ManagedClusterUpgradeProfile` as the SDK flattens it: the control plane's upgrades. */
const upgradeProfileSchema = z.object({
  controlPlaneProfile: z.object({
    kubernetesVersion: z.string(),
    upgrades: z.array(z.object({ kubernetesVersion: z.string(), isPreview: z.boolean().nullish() })).nullish(),
  }),
});

/**
 * The region's version lists of one scan: one `listKubernetesVersions` call per region, however many
 * clusters it holds (the versions are the region's, asked through the first cluster's subscription).
 * The wiring makes one per scan, so a list never outlives the scan that read it.
 */
export class RegionVersionCache {
  private readonly byRegion = new Map<string, Promise<RegionMinor[]>>();

  get(location: string, read: () => Promise<RegionMinor[]>): Promise<RegionMinor[]> {
    const key = location.toLowerCase().replaceAll(' ', '');
    let list = this.byRegion.get(key);
    if (!list) {
      list = read();
      this.byRegion.set(key, list);
    }
    return list;
  }
}

/**
 * The EvidenceSource of version support: the cluster's upgrade profile (`managedClusters.getUpgradeProfile`)
 * and its region's supported versions (`managedClusters.listKubernetesVersions`). What cannot be read
 * is `unavailable` with its reason; the scan goes on and the version rules stay silent.
 */
export class ArmVersionSupport implements EvidenceSource {
  constructor(
    private readonly clients: ArmClients,
    private readonly regions: RegionVersionCache = new RegionVersionCache(),
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  /**
   * The region's list first (cached per scan); the upgrade profile only for a cluster the list says is
   * unsupported, the one case its upgrades decide anything (the `no_upgrade_path` cause and the
   * upgrade target): a supported cluster costs no call of its own, nor does one whose list is unread.
   */
  async read(cluster: ClusterFacts): Promise<CertificateEvidence> {
    // AKS's versions and upgrade profiles: an AKS Arc cluster has neither (its update rule is domain/arcRules.ts).
    if (platformOf(cluster) !== 'aks') return { certificates: [], unavailable: [] };
    const managedClusters = this.clients.containerServiceFor(cluster.subscriptionId).managedClusters;
    const unavailable: UnavailableSource[] = [];
    const versionSupport: VersionSupportEvidence = {};
    try {
      versionSupport.regionVersions = await this.regions.get(cluster.location, async () => {
        const list = versionListSchema.parse(await withArmRetry(() => managedClusters.listKubernetesVersions(cluster.location), this.retry));
        return (list.values ?? []).map((v) => ({ version: v.version, isPreview: v.isPreview ?? false, supportPlans: v.capabilities?.supportPlan ?? [] }));
      });
    } catch (error) {
      unavailable.push(failed('kubernetesVersions', `listKubernetesVersions(${cluster.location})`, error));
    }
    const judged = judgeVersionSupport(cluster, versionSupport);
    if (judged.known && !judged.supported) {
      try {
        const profile = upgradeProfileSchema.parse(await withArmRetry(() => managedClusters.getUpgradeProfile(cluster.resourceGroup, cluster.name), this.retry));
        versionSupport.controlPlaneUpgrades = (profile.controlPlaneProfile.upgrades ?? []).map((u) => ({ kubernetesVersion: u.kubernetesVersion, isPreview: u.isPreview ?? false }));
      } catch (error) {
        unavailable.push(failed('upgradeProfile', 'getUpgradeProfile', error));
      }
    }
    return { certificates: [], unavailable, versionSupport };
  }
}

function failed(source: UnavailableSource['source'], operation: string, error: unknown): UnavailableSource {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return { source, reason: 'error', message: `${operation} answered a shape the rules cannot read: "${issue?.path.join('.')}" ${issue?.message}.` };
  }
  const failure = describeArmFailure(operation, error);
  return { source, reason: failure.reason, message: `${failure.message}.` };
}
