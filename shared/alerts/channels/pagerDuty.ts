/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): one
 * incident per cluster, kept together by a `dedup_key` stable per cluster (the alert key), so that
 * escalations, reminders and rotation news join the incident and the resolve closes it. Digests are
 * never sent here: on-call gets one incident per cluster, not one for the scan.
 */
import { createHash } from 'node:crypto';
import type { ChannelMessage, ClusterAlertMessage } from '../alertMessage.js';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type AlertChannel } from './channel.js';
import { postJson } from './httpAnswer.js';
import { DASHBOARD_LINK_TEXT, summaryLine, truncate } from './wording.js';

export const DEFAULT_PAGERDUTY_URL = 'https://events.pagerduty.com/v2/enqueue';

/** The Events API's limits. */
export const PAGERDUTY_SUMMARY_MAX = 1024;
export const PAGERDUTY_DEDUP_KEY_MAX = 255;

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyTrigger {
  routing_key: string;
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, string | number>;
  };
  client: string;
  client_url?: string;
  links?: { href: string; text: string }[];
}

export interface PagerDutyResolve {
  routing_key: string;
  event_action: 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = PagerDutyTrigger | PagerDutyResolve;

/**
 * The alert key, or (when it is longer than the 255 characters PagerDuty keeps: a cluster id with a
 * long group and name can be) a digest of it, equally stable.
 */
export function pagerDutyDedupKey(alertKey: string): string {
  if (alertKey.length <= PAGERDUTY_DEDUP_KEY_MAX) return alertKey;
  return `akscert-sha256-${createHash('sha256').update(alertKey).digest('hex')}`;
}

function severityOf(alert: ClusterAlertMessage): PagerDutySeverity {
  if (alert.event === 'test') return 'info';
  return alert.severity === 'violation' ? 'critical' : 'warning';
}

function customDetails(alert: ClusterAlertMessage): Record<string, string | number> {
  const details: Record<string, string | number | undefined> = {
    event: alert.event,
    cluster: alert.cluster.name,
    subscription: alert.cluster.subscriptionId,
    resource_group: alert.cluster.resourceGroup,
    cluster_id: alert.cluster.id,
    worst_finding: alert.worstFinding?.message,
    finding_code: alert.worstFinding?.code,
    certificate: alert.worstFinding?.certificateSource,
    days_left: alert.daysLeft,
    fix_command: alert.fixCommand,
    dashboard: alert.dashboardUrl,
    notification_id: alert.notificationId,
    scan_id: alert.scanId,
  };
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined && value !== '')) as Record<string, string | number>;
}

/** The Events API body for one cluster's notification: a resolve for `resolved`, a trigger otherwise. */
export function renderPagerDutyEvent(alert: ClusterAlertMessage, routingKey: string): PagerDutyEvent {
  const dedupKey = pagerDutyDedupKey(alert.alertKey);
  if (alert.event === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: truncate(summaryLine(alert), PAGERDUTY_SUMMARY_MAX),
      source: alert.cluster.id,
      severity: severityOf(alert),
      timestamp: alert.occurredAt.toISOString(),
      component: alert.cluster.name,
      group: alert.cluster.resourceGroup,
      class: alert.worstFinding?.code ?? alert.event,
      custom_details: customDetails(alert),
    },
    client: 'aks-cert-compliance',
    ...(alert.dashboardUrl ? { client_url: alert.dashboardUrl, links: [{ href: alert.dashboardUrl, text: DASHBOARD_LINK_TEXT }] } : {}),
  };
}

export interface PagerDutySettings {
  /** ALERT_PAGERDUTY_ROUTING_KEY: the integration key of an Events API v2 integration. */
  routingKey: string;
  /** ALERT_PAGERDUTY_URL. */
  url?: string;
  timeoutMs?: number;
}

export function pagerDutyChannel(settings: PagerDutySettings): AlertChannel {
  const url = settings.url ?? DEFAULT_PAGERDUTY_URL;
  const target = { channel: 'pagerduty' as const, url, secrets: [settings.routingKey], timeoutMs: settings.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS };
  return {
    name: 'pagerduty',
    accepts: (message: ChannelMessage) => message.kind === 'single',
    send: async (message, signal) => {
      if (message.kind !== 'single') return { ok: false, retryable: false, error: 'pagerduty: takes one incident per cluster, never a digest' };
      return postJson(target, JSON.stringify(renderPagerDutyEvent(message.alert, settings.routingKey)), {}, signal);
    },
  };
}
