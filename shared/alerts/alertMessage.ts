import type { ClusterId } from '../domain/clusterId.js';
import type { FindingCode } from '../domain/findings.js';

/**
 * What one notification about one cluster says: the content every channel renders in its own
 * native format. One alert per cluster (its key is the cluster identity); these are the moments of
 * its conversation.
 */
export type AlertEvent =
  | 'opened'
  | 'escalated'
  | 'reminder'
  | 'resolved'
  | 'rotation_started'
  | 'rotation_failed_twice'
  | 'kubeconfig_refresh'
  | 'test';

/** The severity an alert carries; a resolve carries the severity the alert had. */
export type AlertSeverity = 'warning' | 'violation';

export interface ClusterAlertMessage {
  /** Stable per cluster: PagerDuty's `dedup_key`, the outbox's key. */
  alertKey: string;
  /** Unique per notification: receivers deduplicate on it, the outbox keys each send with it. */
  notificationId: string;
  event: AlertEvent;
  severity: AlertSeverity;
  cluster: ClusterId;
  /** The worst finding, in words an engineer reads at 3 a.m. */
  worstFinding?: { code: FindingCode; message: string; certificateSource?: string };
  /** Whole days until the earliest certificate that matters expires; negative once expired. */
  daysLeft?: number;
  /** The command that fixes it (`az aks rotate-certs -g RG -n NAME`, ...). */
  fixCommand?: string;
  /** The cluster's dashboard page, when DASHBOARD_URL is set. */
  dashboardUrl?: string;
  occurredAt: Date;
  scanId?: string;
}

/**
 * What one channel is asked to send: one cluster's notification, or (when many clusters changed in one
 * scan) a digest with the count and the worst ten. PagerDuty always gets singles: one incident per cluster.
 */
export type ChannelMessage =
  | { kind: 'single'; alert: ClusterAlertMessage }
  | { kind: 'digest'; digestId: string; total: number; worst: ClusterAlertMessage[]; occurredAt: Date; dashboardUrl?: string };
