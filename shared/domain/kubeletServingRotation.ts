import type { AgentPoolFacts, ClusterFacts } from './cluster.js';
import type { Finding } from './findings.js';
import { parseKubernetesVersion } from './kubernetesVersion.js';
import { nodeImageDate } from './nodeImageVersion.js';

/**
 * Kubelet serving certificate rotation, per node pool (AKS certificate rotation, revision of July
 * 2026, docs/rules.md "Kubelet serving certificate rotation"): it needs Kubernetes 1.27 or later, it
 * is not supported on pools created from a snapshot older than node image 202501.12.0, and the pool
 * tag below opts out of it until the day AKS stops honouring the tag.
 */
export const SERVING_ROTATION_OPT_OUT_TAG = 'aks-disable-kubelet-serving-certificate-rotation';

/** From this instant (UTC midnight) on, AKS no longer honours the opt-out tag: the pool rotates. */
export const OPT_OUT_TAG_IGNORED_FROM = new Date('2027-04-01T00:00:00.000Z');

/** Node image 202501.12.0: a snapshot whose image is dated before 2025-01-12 cannot rotate. */
export const MIN_SNAPSHOT_IMAGE_DATE = new Date('2025-01-12T00:00:00.000Z');

export type ServingRotationCause = 'kubernetes_version' | 'snapshot' | 'opt_out_tag';

/** Why a pool's kubelets do not rotate their serving certificates, in the order the rules are checked. */
export function servingRotationCauses(pool: AgentPoolFacts, cluster: Pick<ClusterFacts, 'currentKubernetesVersion' | 'kubernetesVersion'>, now: Date): ServingRotationCause[] {
  const causes: ServingRotationCause[] = [];
  const version = parseKubernetesVersion(poolKubernetesVersion(pool, cluster));
  if (version && (version.major < 1 || (version.major === 1 && version.minor < 27))) causes.push('kubernetes_version');
  // An image we cannot date is unknown evidence, never proof of age: it counts as dated never (Infinity).
  const imageTime = nodeImageDate(pool.nodeImageVersion)?.getTime() ?? Infinity;
  if (pool.snapshotId !== undefined && imageTime < MIN_SNAPSHOT_IMAGE_DATE.getTime()) causes.push('snapshot');
  if (optedOut(pool) && now < OPT_OUT_TAG_IGNORED_FROM) causes.push('opt_out_tag');
  return causes;
}

/** The pool's Kubernetes version (its current one, else the one it asks for), else the control plane's. */
function poolKubernetesVersion(pool: AgentPoolFacts, cluster: Pick<ClusterFacts, 'currentKubernetesVersion' | 'kubernetesVersion'>): string | undefined {
  return pool.currentOrchestratorVersion ?? pool.orchestratorVersion ?? cluster.currentKubernetesVersion ?? cluster.kubernetesVersion;
}

/** Tag names are case-insensitive in Azure; the value AKS reads is `true`. */
function optedOut(pool: AgentPoolFacts): boolean {
  return Object.entries(pool.tags ?? {}).some(([key, value]) => key.toLowerCase() === SERVING_ROTATION_OPT_OUT_TAG && value.trim().toLowerCase() === 'true');
}

/** `version`: the pool's Kubernetes version, which the kubernetes_version cause was read from. */
const CAUSE_WORDS: Record<ServingRotationCause, (pool: AgentPoolFacts, version: string | undefined) => string> = {
  kubernetes_version: (_pool, version) => `it runs Kubernetes ${version} (1.27 or later is needed)`,
  snapshot: (pool) => `it was created from a snapshot with node image ${pool.nodeImageVersion}, older than 202501.12.0`,
  opt_out_tag: () => `it is tagged ${SERVING_ROTATION_OPT_OUT_TAG}=true, which AKS honours until 2027-04-01 and then turns rotation on`,
};

/** KUBELET_SERVING_ROTATION_DISABLED (warning), one per affected pool, naming the pool and its first cause. */
export function kubeletServingRotationFindings(cluster: Pick<ClusterFacts, 'agentPools' | 'currentKubernetesVersion' | 'kubernetesVersion'>, now: Date): Finding[] {
  return cluster.agentPools.flatMap((pool): Finding[] => {
    const causes = servingRotationCauses(pool, cluster, now);
    if (causes.length === 0) return [];
    const version = poolKubernetesVersion(pool, cluster);
    return [{
      code: 'KUBELET_SERVING_ROTATION_DISABLED', severity: 'warning', nodePool: pool.name, cause: causes[0]!,
      message: `Node pool ${pool.name} does not rotate its kubelet serving certificates: ${causes.map((c) => CAUSE_WORDS[c](pool, version)).join('; ')}.`,
    }];
  });
}
