import type { SimulatedConnectedCluster } from './connectedClusters.js';

/**
 * The data an ARM simulator serves: subscriptions, managed clusters as ARM returns them on the wire,
 * and how each cluster answers the credential-listing POSTs.
 */

/** An ARM error body, as `{"error": {"code", "message"}}` with this HTTP status. */
export interface SimulatedArmError {
  status: number;
  code: string;
  message: string;
}

/** What a `listCluster{MonitoringUser,User,Admin}Credential` POST answers for one cluster. */
export type SimulatedCredential =
  | { kubeconfig: string; name?: string }
  | { error: SimulatedArmError };

/**
 * A planned maintenance configuration (`default`, `aksManagedAutoUpgradeSchedule`,
 * `aksManagedNodeOSUpgradeSchedule`) as ARM serves it under its cluster: `properties` in the REST
 * shape (`maintenanceWindow.startDate` `YYYY-MM-DD`, `notAllowedDates` `{start, end}` dates, or the
 * legacy `timeInWeek` / `notAllowedTime`). The route adds `id` and `type`.
 */
export interface SimulatedMaintenanceConfiguration {
  name: string;
  properties: Record<string, unknown>;
}

export interface SimulatedCluster {
  subscriptionId: string;
  /**
   * The managed cluster exactly as `GET .../managedClusters/{name}` returns it on the wire
   * (`id`, `name`, `location`, `type`, `tags`, `systemData`, `properties.enableRBAC`, ...).
   */
  resource: Record<string, unknown> & { id: string; name: string };
  /** Absent entries answer 404 NotFound. */
  credentials: {
    monitoring?: SimulatedCredential;
    user?: SimulatedCredential;
    admin?: SimulatedCredential;
  };
  /**
   * What the API server presents in its TLS handshake, served for SNI = the cluster's fqdn by the
   * simulator's API-server endpoint. Absent for private clusters.
   */
  apiServer?: { certificatePem: string; privateKeyPem: string };
  /**
   * What run-command finds on each node pool's nodes (nodePools.ts): the scale sets of the node resource
   * group are the cluster's `agentPoolProfiles`; a pool without an entry here has none of the files.
   * Absent: the node resource group holds no scale set.
   */
  nodes?: SimulatedNodePool[];
  /** Served by `GET .../maintenanceConfigurations[/{name}]`; absent or empty: none. */
  maintenanceConfigurations?: SimulatedMaintenanceConfiguration[];
  /**
   * The control plane's upgrades `GET .../upgradeProfiles/default` offers; absent: derived from the
   * region's versions (versionRoutes.ts).
   */
  upgrades?: Array<{ kubernetesVersion: string; isPreview?: boolean }>;
  /** Test expectations for the demo fleet: what a correct scan concludes. Not served over HTTP. */
  expected?: {
    status: 'compliant' | 'warning' | 'violation' | 'unknown';
    findingCodes: string[];
    autoRotationReasons: string[];
    /** Why this cluster is in the fleet (one sentence). */
    purpose: string;
  };
}

/** One entry of `KubernetesVersionListResult.values`, in its REST shape. */
export interface SimulatedMinorVersion {
  version: string;
  isDefault?: boolean;
  isPreview?: boolean;
  capabilities: { supportPlan: Array<'KubernetesOfficial' | 'AKSLongTermSupport'> };
  patchVersions: Record<string, { upgrades: string[] }>;
}

/** The files of one node pool's nodes, as the node probe's script reads them, and how its run command ends. */
export interface SimulatedNodePool {
  pool: string;
  /** PEM certificates (never keys: the probe prints none); an absent file is missing on the node. */
  files: { 'kubelet-client'?: string; 'kubelet-serving'?: string; 'node-apiserver'?: string };
  /** `/var/lib/kubelet/bootstrap-kubeconfig` (Windows `C:\k\bootstrap-config`) exists: TLS bootstrapping is on. */
  bootstrapKubeconfig: boolean;
  /** The run command's operation ends Failed with this error (a VM agent that does not answer). */
  runCommandError?: SimulatedArmError;
  /** The run command's operation stays InProgress for ever (a stuck agent). */
  runCommandHangs?: boolean;
  /** Printed before the script's own output (a login banner, a shell warning): output the probe must refuse. */
  stdoutPrefix?: string;
}

export interface SimulatedSubscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  state?: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
  /** When set, every managed-cluster list call in this subscription answers this error. */
  listError?: SimulatedArmError;
}

export interface SimulatedFleet {
  subscriptions: SimulatedSubscription[];
  clusters: SimulatedCluster[];
  /**
   * `GET .../locations/{location}/kubernetesVersions` per location (lower case); a location not named
   * here serves DEFAULT_KUBERNETES_VERSIONS (versionRoutes.ts).
   */
  kubernetesVersions?: Record<string, SimulatedMinorVersion[]>;
  /** AKS enabled by Azure Arc clusters (connectedClusters.ts); absent: none. */
  connectedClusters?: SimulatedConnectedCluster[];
  /** Secret strings (private keys, tokens) inside the kubeconfigs: tests search outputs for them. */
  secrets: string[];
}
