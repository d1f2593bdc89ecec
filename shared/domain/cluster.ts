import type { ConnectedClusterFacts } from './arcRules.js';
import type { ClusterId } from './clusterId.js';

/** What ARM tells about a managed cluster, reduced to the facts the rules use. */
export interface AgentPoolFacts {
  name: string;
  osType?: string;
  nodeImageVersion?: string;
  /** Only in preview api versions (AKS custom CA, docs/rules.md 000: custom CA trust is enabled per node pool). */
  enableCustomCATrust?: boolean;
  /** The pool's own tags (`aks-disable-kubelet-serving-certificate-rotation`, docs/rules.md "Kubelet serving certificate rotation"). */
  tags?: Record<string, string>;
  orchestratorVersion?: string;
  currentOrchestratorVersion?: string;
  /** `creationData.sourceResourceId` when it names a node pool snapshot (`Microsoft.ContainerService/snapshots`). */
  snapshotId?: string;
}

export interface ClusterFacts extends ClusterId {
  location: string;
  tags: Record<string, string>;
  enableRbac?: boolean;
  powerState?: string;
  provisioningState?: string;
  kubernetesVersion?: string;
  currentKubernetesVersion?: string;
  /** `supportPlan`: `KubernetesOfficial` (ARM's default when absent) or `AKSLongTermSupport`. */
  supportPlan?: string;
  /** `systemData.createdAt`: live responses often omit it, so it is evidence only when present. */
  createdAt?: Date;
  /** `systemData.lastModifiedAt`: any write to the cluster moves it; without it a scan never carries recorded evidence. */
  lastModifiedAt?: Date;
  fqdn?: string;
  privateFqdn?: string;
  disableLocalAccounts?: boolean;
  /** `properties.nodeResourceGroup` (`MC_<group>_<name>_<location>`): where AKS keeps the pools' scale sets, read by the node probe. */
  nodeResourceGroup?: string;
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
