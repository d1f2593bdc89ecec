import type { Finding } from './findings.js';
import { DAY_MS, wholeDaysBetween } from './time.js';

/**
 * The rules of AKS enabled by Azure Arc (docs/rules.md "AKS enabled by Azure Arc", 002): the cloud
 * agent's client certificates and tokens last 90 days and an update resets them; Microsoft recommends
 * updating within 60 days of a release; the Arc agent's managed identity certificate, once expired,
 * leaves the connected cluster `Expired`.
 */

/** 002: "Microsoft recommends that you update clusters within 60 days of a new release". */
export const ARC_UPDATE_RECOMMENDED_DAYS = 60;
/** 002: certificates and tokens are valid "for a specific period (the default is 90 days)", reset by an update. */
export const ARC_CREDENTIAL_VALIDITY_DAYS = 90;

/** What the connected cluster (`Microsoft.Kubernetes/connectedClusters`) says of its Arc agent. */
export interface ConnectedClusterFacts {
  /** `properties.connectivityStatus`: `Connecting`, `Connected`, `Offline`, `Expired`, `AgentNotInstalled`. */
  connectivityStatus?: string;
  /** `properties.managedIdentityCertificateExpirationTime`: when the Arc agent's identity certificate expires. */
  managedIdentityCertificateExpirationTime?: Date;
  /** `properties.lastConnectivityTime`. */
  lastConnectivityTime?: Date;
}

/** What the provisioned cluster instance (`Microsoft.HybridContainerService/provisionedClusterInstances/default`) says. */
export interface ArcInstanceFacts {
  kubernetesVersion?: string;
  provisioningState?: string;
  /** `properties.status.currentState`. */
  currentState?: string;
  /**
   * The cluster's last update: the instance's `systemData.lastModifiedAt` (an upgrade writes the
   * instance; so does any other change of it, so this is the latest the last update can be).
   * Absent: unknown evidence, never assumed.
   */
  lastUpdatedAt?: Date;
}

/** ARC_UPDATE_OVERDUE: a warning past 60 days since the last update, a violation past the 90-day validity it reset. */
export function judgeArcUpdate(instance: ArcInstanceFacts | undefined, now: Date): Finding[] {
  const updatedAt = instance?.lastUpdatedAt;
  if (!updatedAt) return [];
  const elapsed = now.getTime() - updatedAt.getTime();
  const since = `last updated ${wholeDaysBetween(updatedAt, now)} days ago, on ${updatedAt.toISOString().slice(0, 10)}`;
  if (elapsed > ARC_CREDENTIAL_VALIDITY_DAYS * DAY_MS) {
    return [{ code: 'ARC_UPDATE_OVERDUE', severity: 'violation',
      message: `The cluster was ${since}: past the ${ARC_CREDENTIAL_VALIDITY_DAYS} days its cloud agent certificates and tokens are valid from an update.` }];
  }
  if (elapsed > ARC_UPDATE_RECOMMENDED_DAYS * DAY_MS) {
    return [{ code: 'ARC_UPDATE_OVERDUE', severity: 'warning',
      message: `The cluster was ${since}: Microsoft recommends updating within ${ARC_UPDATE_RECOMMENDED_DAYS} days, before its ${ARC_CREDENTIAL_VALIDITY_DAYS}-day certificates and tokens expire.` }];
  }
  return [];
}

/** ARC_CONNECTIVITY_EXPIRED: the Arc agent's identity certificate has expired, or Azure says the connection has. */
export function judgeArcConnectivity(connected: ConnectedClusterFacts | undefined, now: Date): Finding[] {
  const expiresAt = connected?.managedIdentityCertificateExpirationTime;
  if (expiresAt && now.getTime() >= expiresAt.getTime()) {
    return [{ code: 'ARC_CONNECTIVITY_EXPIRED', severity: 'violation',
      message: `The Arc agent's managed identity certificate expired on ${expiresAt.toISOString()}: Azure can no longer manage the cluster.` }];
  }
  if (connected?.connectivityStatus?.toLowerCase() === 'expired') {
    return [{ code: 'ARC_CONNECTIVITY_EXPIRED', severity: 'violation',
      message: 'The connected cluster\'s connectivity status is Expired: Azure can no longer manage the cluster.' }];
  }
  return [];
}
