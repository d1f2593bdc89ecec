import { randomUUID } from 'node:crypto';
import type { AlertInput, AlertSettings } from '../domain/alertDecision.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import type { ScanOutcome } from '../scan/runScan.js';
import type { ChannelMessage } from './alertMessage.js';
import { alertKeyOf } from './composeMessage.js';
import { deliverPending, safeText, type ChannelDelivery, type DeliveryChannel, type DeliveryOptions } from './deliver.js';
import { messageOf } from '../domain/errors.js';
import type { AlertStates, DeliveryQueue } from './ports.js';
import { raiseAlerts, type AlertSubject, type RaisedNotice } from './raiseAlerts.js';

export interface AlertingDependencies {
  outbox: AlertStates & DeliveryQueue;
  /** The configured channels (at least one: without any, there is no alerting at all). */
  channels: readonly DeliveryChannel[];
  settings: AlertSettings;
  dashboardUrl?: string;
  /** How deliveries retry (tests compress time through `now` and `sleep`). */
  delivery?: DeliveryOptions;
}

/** One round of alerting: what was said, and what each channel did with what was pending. */
export interface AlertRound {
  raised: RaisedNotice[];
  delivered: ChannelDelivery[];
}

/** A rotation step, as the rotation orchestrator's history rows name it (ROTATION_STARTED, ...). */
export type RotationStep = Extract<AlertInput['kind'], 'rotation_started' | 'rotation_failed_twice' | 'kubeconfig_refresh'>;

/** A test message's answer from one channel (`akscert alerts test`). */
export interface ChannelTestAnswer {
  channel: string;
  ok: boolean;
  status?: number;
  error?: string;
}

/**
 * Alerting, as every trigger uses it: after a scan has recorded its verdicts, decide each cluster's
 * alert from them, record what is to be said in the outbox, and deliver; a deletion or a rotation
 * step is one more input of the same conversation.
 */
export class Alerting {
  constructor(private readonly deps: AlertingDependencies) {}

  get channels(): readonly string[] {
    return this.deps.channels.map((c) => c.name);
  }

  /**
   * After a scan: its verdicts and the deletions it recorded. A scan whose verdicts were not all
   * recorded raises nothing (its report is not what the trail holds); the next scan decides.
   */
  async afterScan(outcome: ScanOutcome): Promise<AlertRound> {
    if (outcome.storeError) return { raised: [], delivered: [] };
    const at = outcome.report.scan.startedAt;
    const subjects: AlertSubject[] = [
      ...outcome.report.clusters.map((verdict) => ({ cluster: clusterOf(verdict), input: { kind: 'verdict', status: verdict.status, at } as const, verdict })),
      ...(outcome.deleted ?? []).map((cluster) => ({ cluster, input: { kind: 'deleted', at } as const })),
    ];
    return this.round(subjects, outcome.report.scan.id, outcome.report.scan.id);
  }

  /** A deletion recorded from an event: an open alert resolves. */
  clusterDeleted(cluster: ClusterId, at: Date, eventId: string): Promise<AlertRound> {
    return this.round([{ cluster, input: { kind: 'deleted', at } }], `event-${eventId}`);
  }

  /**
   * A step of a rotation (from the rotation orchestrator's history row `eventId`): part of the
   * cluster's alert conversation. `verdict`, when known, is quoted in the message.
   */
  rotation(cluster: ClusterId, step: RotationStep, eventId: string, at: Date, verdict?: ClusterVerdict): Promise<AlertRound> {
    return this.round([{ cluster, input: { kind: step, eventId, at }, ...(verdict ? { verdict } : {}) }], `rotation-${eventId}`);
  }

  /** Decides and records, then delivers whatever is pending (this round's and earlier ones'). */
  async round(subjects: readonly AlertSubject[], batchId: string, scanId?: string): Promise<AlertRound> {
    const raised = await this.record(subjects, batchId, scanId);
    return { raised, delivered: await this.deliver() };
  }

  /** Decides and records only (what a process that dies before delivering leaves in the outbox). */
  record(subjects: readonly AlertSubject[], batchId: string, scanId?: string): Promise<RaisedNotice[]> {
    return raiseAlerts(subjects, this.deps.outbox, {
      channels: this.channels, settings: this.deps.settings, batchId, ...(scanId ? { scanId } : {}),
      ...(this.deps.dashboardUrl ? { dashboardUrl: this.deps.dashboardUrl } : {}),
    });
  }

  deliver(options: DeliveryOptions = {}): Promise<ChannelDelivery[]> {
    return deliverPending(this.deps.outbox, this.deps.channels, { ...this.deps.delivery, dashboardUrl: this.deps.dashboardUrl, ...options });
  }

  /**
   * Re-sends parked notifications (`akscert alerts retry`): those of one notification, or all of
   * them; each is pending again with its attempts counted afresh, then delivered with the others,
   * unless a newer notification of its alert was sent on its channel since (it stays parked, listed).
   */
  async retryParked(notificationId?: string, now = new Date()): Promise<{ requeued: number; superseded: number; delivered: ChannelDelivery[] }> {
    const parked = await this.deps.outbox.parked(notificationId);
    const configured = new Set(this.channels);
    // A channel no longer configured cannot send: its parked deliveries stay parked, listed. Nor is one
    // re-sent after a newer notification of its alert went out there: a trigger after its resolve
    // would reopen the incident.
    const outcomes = await Promise.all(parked.filter((d) => configured.has(d.channel)).map(async (d) =>
      (await this.deps.outbox.supersededOnItsChannel(d)) ? 'superseded' : (await this.deps.outbox.requeue(d, now)) ? 'requeued' : 'changed'));
    const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
    return { requeued: count('requeued'), superseded: count('superseded'), delivered: await this.deliver() };
  }

  /** Sends a test message to every channel (not through the outbox: nothing is recorded) and says what each answered. */
  test(now = new Date()): Promise<ChannelTestAnswer[]> {
    return testChannels(this.deps.channels, now);
  }
}

/** A test message to each channel (`akscert alerts test`), outside the outbox: it needs no storage. */
export async function testChannels(channels: readonly DeliveryChannel[], now = new Date()): Promise<ChannelTestAnswer[]> {
  const cluster = {
    id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/akscert-test/providers/Microsoft.ContainerService/managedClusters/akscert-test-message',
    subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'akscert-test', name: 'akscert-test-message',
  };
  const alertKey = alertKeyOf(cluster.id);
  const message: ChannelMessage = {
    kind: 'single',
    alert: { alertKey, notificationId: `${alertKey}.test.${randomUUID()}`, event: 'test', severity: 'warning', cluster, occurredAt: now },
  };
  return Promise.all(channels.map(async (channel): Promise<ChannelTestAnswer> => {
    try {
      const answer = await channel.send(message);
      return answer.ok ? { channel: channel.name, ok: true, status: answer.status } : { channel: channel.name, ok: false, ...(answer.status !== undefined ? { status: answer.status } : {}), error: safeText(answer.error) };
    } catch (error) {
      return { channel: channel.name, ok: false, error: safeText(messageOf(error)) };
    }
  }));
}

function clusterOf(verdict: ClusterVerdict): ClusterId {
  return { id: verdict.id, subscriptionId: verdict.subscriptionId, resourceGroup: verdict.resourceGroup, name: verdict.name };
}

/** One line about a round, for logs and the CLI's stderr: counts, channel names and safe errors only. */
export function describeAlertRound(round: AlertRound | { error: string }): string {
  if ('error' in round) return `alerts were not decided: ${round.error}`;
  const channels = round.delivered.map((d) =>
    `${d.channel}: ${d.sent} sent${d.failed ? `, ${d.failed} to retry` : ''}${d.parked ? `, ${d.parked} parked` : ''}${d.waiting ? `, ${d.waiting} waiting` : ''}${d.lastError && (d.failed || d.parked) ? ` (${d.lastError})` : ''}`);
  return `alerts: ${round.raised.length} new notification${round.raised.length === 1 ? '' : 's'}${channels.length ? `; ${channels.join('; ')}` : ''}`;
}
