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
  /** Served by `GET .../maintenanceConfigurations[/{name}]`; absent or empty: none. */
  maintenanceConfigurations?: SimulatedMaintenanceConfiguration[];
  /** Test expectations for the demo fleet: what a correct scan concludes. Not served over HTTP. */
  expected?: {
    status: 'compliant' | 'warning' | 'violation' | 'unknown';
    findingCodes: string[];
    autoRotationReasons: string[];
    /** Why this cluster is in the fleet (one sentence). */
    purpose: string;
  };
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
  /** AKS enabled by Azure Arc clusters (connectedClusters.ts); absent: none. */
  connectedClusters?: SimulatedConnectedCluster[];
  /** Secret strings (private keys, tokens) inside the kubeconfigs: tests search outputs for them. */
  secrets: string[];
}
