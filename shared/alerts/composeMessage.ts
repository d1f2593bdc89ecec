import { createHash } from 'node:crypto';
import { clusterIdentity, clusterRefOf, type ClusterId } from '../domain/clusterId.js';
import type { AlertNotice } from '../domain/alertDecision.js';
import { certificateSourceOf, fixCommandFor } from '../domain/fixCommand.js';
import { severityRank, worstFinding } from '../domain/findings.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { daysToExpiry } from '../domain/verdictMetrics.js';
import type { ChannelMessage, ClusterAlertMessage } from './alertMessage.js';

/**
 * The one key of a cluster's alert: PagerDuty's `dedup_key`, the outbox's partition. A hash of the
 * cluster identity (case-folded id), so that it fits every key limit (PagerDuty's 255 characters,
 * Table Storage's forbidden characters) and is the same however ARM spelled the id.
 */
export function alertKeyOf(clusterId: string): string {
  return `akscert-${createHash('sha256').update(clusterIdentity(clusterId)).digest('hex').slice(0, 40)}`;
}

/** A notification's id: its alert's key and the notice's deterministic name (table-key safe). */
export function notificationIdOf(alertKey: string, notice: Pick<AlertNotice, 'name'>): string {
  return `${alertKey}.${notice.name.replace(/[^A-Za-z0-9._-]/g, (c) => `~${c.charCodeAt(0).toString(16)}`)}`;
}

/** The cluster's page on the dashboard (`/api/dashboard/clusters/<ref>`, shared/dashboard/links.ts), when DASHBOARD_URL is set. */
export function dashboardLinkOf(dashboardUrl: string | undefined, clusterId: string): string | undefined {
  return dashboardUrl && `${dashboardUrl}/clusters/${encodeURIComponent(clusterRefOf(clusterId))}`;
}

export interface MessageContext {
  cluster: ClusterId;
  notice: AlertNotice;
  /** The verdict that said it (absent for a deletion or a rotation step decided without one). */
  verdict?: ClusterVerdict;
  occurredAt: Date;
  scanId?: string;
  dashboardUrl?: string;
}

/** What a notification says: the worst finding in words, days left, the fixing command, the link. */
export function composeMessage(context: MessageContext): ClusterAlertMessage {
  const { cluster, notice, verdict } = context;
  const alertKey = alertKeyOf(cluster.id);
  const worst = verdict && notice.transition !== 'resolved' ? worstFinding(verdict.findings) : undefined;
  const shown = worst && severityRank(worst.severity) > 0 ? worst : undefined;
  const source = shown && certificateSourceOf(shown, verdict!);
  const fixCommand = shown && fixCommandFor(cluster, shown, verdict!);
  const daysLeft = verdict && daysToExpiry(verdict, context.occurredAt);
  const dashboardUrl = dashboardLinkOf(context.dashboardUrl, cluster.id);
  return {
    alertKey,
    notificationId: notificationIdOf(alertKey, notice),
    event: notice.transition,
    severity: notice.level,
    cluster: { id: cluster.id, subscriptionId: cluster.subscriptionId, resourceGroup: cluster.resourceGroup, name: cluster.name },
    ...(shown ? { worstFinding: { code: shown.code, message: shown.message, ...(source ? { certificateSource: source } : {}) } } : {}),
    ...(daysLeft !== undefined ? { daysLeft } : {}),
    ...(fixCommand ? { fixCommand } : {}),
    ...(dashboardUrl ? { dashboardUrl } : {}),
    occurredAt: context.occurredAt,
    ...(context.scanId ? { scanId: context.scanId } : {}),
  };
}

/** Above this many notifications from one scan, every channel that takes digests gets one digest instead (Alertmanager's grouping). */
export const DIGEST_THRESHOLD = 5;

/** How many clusters a digest names; the rest are counted. */
export const DIGEST_WORST = 10;

/** Most urgent first: violation before warning, fewer days left, then name. */
export function byAlertUrgency(a: ClusterAlertMessage, b: ClusterAlertMessage): number {
  const rank = (m: ClusterAlertMessage) => (m.severity === 'violation' ? 0 : 1);
  return rank(a) - rank(b) || (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.cluster.name.localeCompare(b.cluster.name) || a.notificationId.localeCompare(b.notificationId);
}

/** One digest of many clusters' notifications: the count, and the worst ten. */
export function digestOf(digestId: string, alerts: readonly ClusterAlertMessage[], dashboardUrl?: string): ChannelMessage {
  const sorted = [...alerts].sort(byAlertUrgency);
  const occurredAt = new Date(Math.max(...alerts.map((a) => a.occurredAt.getTime())));
  return { kind: 'digest', digestId, total: alerts.length, worst: sorted.slice(0, DIGEST_WORST), occurredAt, ...(dashboardUrl ? { dashboardUrl } : {}) };
}
