import type { ConnectedClusterFacts } from './arcRules.js';
import type { ClusterId } from './clusterId.js';

/** What ARM tells about a managed cluster, reduced to the facts the rules use. */
export interface AgentPoolFacts {
  name: string;
  osType?: string;
  nodeImageVersion?: string;
  /** Only in preview api versions (AKS custom CA, docs/rules.md 000: custom CA trust is enabled per node pool). */
  enableCustomCATrust?: boolean;
}

export interface ClusterFacts extends ClusterId {
  location: string;
  tags: Record<string, string>;
  enableRbac?: boolean;
  powerState?: string;
  provisioningState?: string;
  kubernetesVersion?: string;
  currentKubernetesVersion?: string;
  /** `systemData.createdAt`: live responses often omit it, so it is evidence only when present. */
  createdAt?: Date;
  fqdn?: string;
  privateFqdn?: string;
  disableLocalAccounts?: boolean;
  agentPools: AgentPoolFacts[];
  /** `securityProfile.customCATrustCertificates`: each entry's bytes (PEM text or DER). */
  customCaTrustCertificates: Uint8Array[];
  /**
   * AKS enabled by Azure Arc only (the id names a connected cluster, `platformOf` in clusterId.ts):
   * what the connected cluster says of its Arc agent.
   */
  connectedCluster?: ConnectedClusterFacts;
}

/** The cluster tag that overrides the policy's rotation mode for one cluster (docs/rules.md). */
export const ROTATION_TAG = 'aks-cert-compliance/rotation';

export function isStopped(cluster: ClusterFacts): boolean {
  return cluster.powerState?.toLowerCase() === 'stopped';
}

export function isProvisioned(cluster: ClusterFacts): boolean {
  return cluster.provisioningState === undefined || cluster.provisioningState.toLowerCase() === 'succeeded';
}
