/**
 * The message as JSON, for the machine channels (the signed webhook's body, Event Grid's `data`):
 * the fields of `ClusterAlertMessage` with dates as ISO 8601, plus the one-line summary, so a
 * receiver can forward it to a human without knowing our wording. A contract: add fields, never rename.
 */
import type { ChannelMessage, ClusterAlertMessage } from '../alertMessage.js';
import { summaryLine } from './wording.js';

export const ALERT_PAYLOAD_VERSION = 1;

export interface AlertPayload {
  alertKey: string;
  notificationId: string;
  event: ClusterAlertMessage['event'];
  severity: ClusterAlertMessage['severity'];
  cluster: { id: string; subscriptionId: string; resourceGroup: string; name: string };
  summary: string;
  worstFinding?: { code: string; message: string; certificateSource?: string };
  daysLeft?: number;
  fixCommand?: string;
  dashboardUrl?: string;
  occurredAt: string;
  scanId?: string;
}

export type MessagePayload =
  | { schemaVersion: 1; kind: 'single'; alert: AlertPayload }
  | { schemaVersion: 1; kind: 'digest'; digestId: string; total: number; worst: AlertPayload[]; occurredAt: string; dashboardUrl?: string };

export function alertPayload(alert: ClusterAlertMessage): AlertPayload {
  const { id, subscriptionId, resourceGroup, name } = alert.cluster;
  return {
    alertKey: alert.alertKey,
    notificationId: alert.notificationId,
    event: alert.event,
    severity: alert.severity,
    cluster: { id, subscriptionId, resourceGroup, name },
    summary: summaryLine(alert),
    ...(alert.worstFinding ? { worstFinding: { ...alert.worstFinding } } : {}),
    ...(alert.daysLeft !== undefined ? { daysLeft: alert.daysLeft } : {}),
    ...(alert.fixCommand ? { fixCommand: alert.fixCommand } : {}),
    ...(alert.dashboardUrl ? { dashboardUrl: alert.dashboardUrl } : {}),
    occurredAt: alert.occurredAt.toISOString(),
    ...(alert.scanId ? { scanId: alert.scanId } : {}),
  };
}

export function messagePayload(message: ChannelMessage): MessagePayload {
  if (message.kind === 'single') return { schemaVersion: ALERT_PAYLOAD_VERSION, kind: 'single', alert: alertPayload(message.alert) };
  return {
    schemaVersion: ALERT_PAYLOAD_VERSION,
    kind: 'digest',
    digestId: message.digestId,
    total: message.total,
    worst: message.worst.map(alertPayload),
    occurredAt: message.occurredAt.toISOString(),
    ...(message.dashboardUrl ? { dashboardUrl: message.dashboardUrl } : {}),
  };
}
