import { isStopped, type ClusterFacts } from './cluster.js';
import { parseKubernetesVersion, releasedAfterMarch2022 } from './kubernetesVersion.js';
import { nodeImageDate } from './nodeImageVersion.js';
import type { Policy } from './policy.js';

export type EligibilityReason =
  | 'RBAC_DISABLED'
  | 'PREDATES_TLS_BOOTSTRAP'
  | 'NODE_IMAGE_PREDATES_TLS_BOOTSTRAP'
  | 'TLS_BOOTSTRAP_DISABLED'
  | 'CLUSTER_STOPPED';

export interface AutoRotation {
  eligible: boolean;
  reasons: EligibilityReason[];
}

/** AKS certificate rotation (docs/rules.md 001): "For any AKS clusters created or upgraded after March 2022 ..." */
export const TLS_BOOTSTRAP_CUTOFF = new Date('2022-03-01T00:00:00Z');

/**
 * Whether AKS will rotate this cluster's non-CA certificates by itself (AKS certificate rotation, docs/rules.md 001): RBAC enabled,
 * TLS bootstrapping (created or upgraded after March 2022, control plane and node pools), not stopped.
 * Only evidence counts: a missing creation date or an undatable node image is never a reason.
 */
export function evaluateAutoRotation(cluster: ClusterFacts, policy: Policy, tlsBootstrapDisabled = false): AutoRotation {
  const reasons: EligibilityReason[] = [];
  if (policy.requireRbacForAutoRotation && cluster.enableRbac === false) reasons.push('RBAC_DISABLED');
  if (controlPlanePredatesTlsBootstrap(cluster)) reasons.push('PREDATES_TLS_BOOTSTRAP');
  if (nodePoolsPredatingTlsBootstrap(cluster).length > 0) reasons.push('NODE_IMAGE_PREDATES_TLS_BOOTSTRAP');
  if (tlsBootstrapDisabled) reasons.push('TLS_BOOTSTRAP_DISABLED');
  if (isStopped(cluster)) reasons.push('CLUSTER_STOPPED');
  return { eligible: reasons.length === 0, reasons };
}

function controlPlanePredatesTlsBootstrap(cluster: ClusterFacts): boolean {
  if (!cluster.createdAt || cluster.createdAt >= TLS_BOOTSTRAP_CUTOFF) return false;
  const version = parseKubernetesVersion(cluster.currentKubernetesVersion ?? cluster.kubernetesVersion);
  return !(version && releasedAfterMarch2022(version));
}

export function nodePoolsPredatingTlsBootstrap(cluster: ClusterFacts): string[] {
  return cluster.agentPools
    // An image we cannot date is no evidence: it counts as built at the cut-off, not before it.
    .filter((pool) => (nodeImageDate(pool.nodeImageVersion) ?? TLS_BOOTSTRAP_CUTOFF) < TLS_BOOTSTRAP_CUTOFF)
    .map((pool) => pool.name);
}
