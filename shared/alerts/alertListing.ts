import pLimit from 'p-limit';
import type { AlertEvent, AlertSeverity } from './alertMessage.js';
import type { Delivery, RecordedAlertState } from './ports.js';

/**
 * What `akscert alerts` and `GET /api/alerts` list: each cluster's alert (open or resolved), or the
 * notifications parked on a channel after their retries (re-sent by `akscert alerts retry`).
 */
export type AlertListFilter = 'open' | 'resolved' | 'parked';
export const ALERT_LIST_FILTERS: readonly AlertListFilter[] = ['open', 'resolved', 'parked'];

export interface AlertItem {
  alertKey: string;
  state: 'open' | 'resolved';
  level?: AlertSeverity;
  clusterId: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  episode: number;
  openedAt?: string;
  lastNotifiedAt?: string;
  resolvedAt?: string;
  reminders: number;
  escalations: number;
}

export interface ParkedItem {
  notificationId: string;
  alertKey: string;
  channel: string;
  event?: AlertEvent;
  level: AlertSeverity;
  clusterId?: string;
  name?: string;
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  createdAt: string;
}

export type AlertListing = { kind: 'alerts'; items: AlertItem[] } | { kind: 'parked'; items: ParkedItem[] };

/** What the listing reads (store/alertOutbox.ts). */
export interface AlertReader {
  list(state?: 'open' | 'resolved'): Promise<RecordedAlertState[]>;
  deliveriesIn(state: Delivery['state']): Promise<Delivery[]>;
  message(alertKey: string, notificationId: string): Promise<{ event: AlertEvent; cluster: { id: string; name: string } } | undefined>;
}

export async function listAlerts(reader: AlertReader, filter?: AlertListFilter): Promise<AlertListing> {
  if (filter === 'parked') {
    const parked = await reader.deliveriesIn('parked');
    const slots = pLimit(16);
    const items = await Promise.all(parked.map((d) => slots(async (): Promise<ParkedItem> => {
      const message = await reader.message(d.alertKey, d.notificationId);
      return {
        notificationId: d.notificationId, alertKey: d.alertKey, channel: d.channel, level: d.level,
        ...(message ? { event: message.event, clusterId: message.cluster.id, name: message.cluster.name } : {}),
        attempts: d.attempts, ...(d.lastStatus !== undefined ? { lastStatus: d.lastStatus } : {}), ...(d.lastError ? { lastError: d.lastError } : {}),
        createdAt: d.createdAt.toISOString(),
      };
    })));
    return { kind: 'parked', items: items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.notificationId.localeCompare(b.notificationId) || a.channel.localeCompare(b.channel)) };
  }
  const states = await reader.list(filter);
  const items = states.map((s): AlertItem => ({
    alertKey: s.alertKey, state: s.open ? 'open' : 'resolved', ...(s.level ? { level: s.level } : {}),
    clusterId: s.cluster.id, subscriptionId: s.cluster.subscriptionId, resourceGroup: s.cluster.resourceGroup, name: s.cluster.name,
    episode: s.episode, ...iso('openedAt', s.openedAt), ...iso('lastNotifiedAt', s.lastNotifiedAt), ...iso('resolvedAt', s.resolvedAt),
    reminders: s.reminders, escalations: s.escalations,
  }));
  // Open first, violations first, then by name.
  const rank = (i: AlertItem) => (i.state === 'open' ? 0 : 2) + (i.level === 'violation' ? 0 : 1);
  return { kind: 'alerts', items: items.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.clusterId.localeCompare(b.clusterId)) };
}

function iso<K extends string>(key: K, value: Date | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value.toISOString() } as Record<K, string>) : {};
}
