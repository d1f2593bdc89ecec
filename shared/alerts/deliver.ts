import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { messageOf } from '../domain/errors.js';
import type { ChannelMessage, ClusterAlertMessage } from './alertMessage.js';
import type { AlertChannel, ChannelAnswer } from './channels/channel.js';
import { digestOf } from './composeMessage.js';
import type { Delivery, DeliveryQueue } from './ports.js';

/** What delivery needs of a channel: one attempt, never throwing (channels/channel.ts). */
export type DeliveryChannel = Pick<AlertChannel, 'name' | 'accepts' | 'send'>;

export interface DeliveryOptions {
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Attempts before a notification is parked (visible, re-sendable with `akscert alerts retry`). */
  maxAttempts?: number;
  /** The first retry's delay; each next one is four times longer (5 s, 20 s, 80 s, 320 s: parked after about 7 minutes). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long one attempt holds its claim: a sender that dies releases the delivery after this. */
  leaseMs?: number;
  /** How long this run may wait for retries that come due; what is due later is left to the next run (the deliverAlerts timer). */
  waitMs?: number;
  dashboardUrl?: string;
}

export interface ChannelDelivery {
  channel: string;
  /** Notifications delivered (a digest counts each of its clusters). */
  sent: number;
  /** Attempts that failed and are to be retried. */
  failed: number;
  parked: number;
  /** Still pending when the run ended: retried by the next run. */
  waiting: number;
  lastError?: string;
}

export const DELIVERY_DEFAULTS = { maxAttempts: 5, baseDelayMs: 5_000, maxDelayMs: 15 * 60_000, leaseMs: 2 * 60_000, waitMs: 0 };

/** Sends in flight on one channel (Slack's incoming webhooks take about one message a second: keep it small). */
const SENDS_PER_CHANNEL = 4;

/** A Retry-After longer than this is not waited for as such: the delivery is retried then at the latest. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Sends the outbox's pending notifications, every channel on its own and all at once, so that a
 * channel that fails or throttles delays only itself. Each attempt first claims its deliveries (an
 * ETag-conditional lease), so two instances never send the same one; a failure is retried with
 * exponential backoff and jitter, after Retry-After when the channel gives one, and parked after
 * `maxAttempts` (or at once when the channel says retrying cannot help). Within a channel, one
 * alert's notifications go in the order they were said (a resolve never overtakes its trigger).
 */
export async function deliverPending(queue: DeliveryQueue, channels: readonly DeliveryChannel[], options: DeliveryOptions = {}): Promise<ChannelDelivery[]> {
  return Promise.all(channels.map((channel) => deliverChannel(queue, channel, options)));
}

async function deliverChannel(queue: DeliveryQueue, channel: DeliveryChannel, options: DeliveryOptions): Promise<ChannelDelivery> {
  const settings = { ...DELIVERY_DEFAULTS, ...definedOptions(options) };
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const deadline = now().getTime() + settings.waitMs;
  const report: ChannelDelivery = { channel: channel.name, sent: 0, failed: 0, parked: 0, waiting: 0 };

  const attempt = async (unit: Delivery[]) => {
    const leaseUntil = new Date(now().getTime() + settings.leaseMs);
    const claimed = (await Promise.all(unit.map((d) => queue.claim(d, leaseUntil)))).filter((d): d is Delivery => d !== undefined);
    if (claimed.length === 0) return;
    const messages = await Promise.all(claimed.map((d) => queue.message(d.alertKey, d.notificationId)));
    const present = claimed.filter((_, i) => messages[i] !== undefined);
    for (const lost of claimed.filter((_, i) => messages[i] === undefined)) {
      await queue.settle(lost, { state: 'parked', attempts: lost.attempts, nextAttemptAt: now(), lastError: 'the notification row is missing from the outbox' });
      report.parked++;
    }
    if (present.length === 0) return;
    const alerts = messages.filter((m): m is ClusterAlertMessage => m !== undefined);
    const message: ChannelMessage = present.length > 1
      ? digestOf(digestIdOf(present), alerts, options.dashboardUrl)
      : { kind: 'single', alert: alerts[0]! };
    let answer: ChannelAnswer;
    try {
      answer = await channel.send(message);
    } catch (error) {
      answer = { ok: false, retryable: true, error: `${channel.name}: ${messageOf(error)}` };
    }
    const at = now();
    if (answer.ok) {
      for (const d of present) await queue.settle(d, { state: 'sent', attempts: d.attempts + 1, sentAt: at, lastStatus: answer.status });
      report.sent += present.length;
      return;
    }
    const lastError = safeText(answer.error);
    report.lastError = lastError;
    for (const d of present) {
      const attempts = d.attempts + 1;
      const park = !answer.retryable || attempts >= settings.maxAttempts;
      const delay = answer.retryAfterMs !== undefined ? Math.min(answer.retryAfterMs, MAX_RETRY_AFTER_MS) : backoffMs(attempts, settings, random);
      await queue.settle(d, {
        state: park ? 'parked' : 'pending', attempts, nextAttemptAt: new Date(at.getTime() + (park ? 0 : delay)), lastError,
        ...(answer.status !== undefined ? { lastStatus: answer.status } : {}),
      });
      if (park) report.parked++;
      else report.failed++;
    }
  };

  for (;;) {
    const pending = nextInOrder(await queue.pending(channel.name));
    const t = now().getTime();
    const ready = pending.filter((d) => d.nextAttemptAt.getTime() <= t);
    if (ready.length === 0) {
      const soonest = Math.min(...pending.map((d) => d.nextAttemptAt.getTime()));
      if (pending.length === 0 || soonest > deadline) break;
      await sleep(Math.max(soonest - t, 1));
      continue;
    }
    // A few sends at once per channel: each is a different alert (only each alert's oldest is ready), so order holds.
    const sends = pLimit(SENDS_PER_CHANNEL);
    await Promise.all(unitsOf(ready, channel).map((unit) => sends(() => attempt(unit))));
  }
  report.waiting = (await queue.pending(channel.name)).length;
  return report;
}

/** Each alert's oldest pending delivery: the next in its conversation on this channel. */
function nextInOrder(pending: readonly Delivery[]): Delivery[] {
  const first = new Map<string, Delivery>();
  for (const d of pending) {
    const seen = first.get(d.alertKey);
    if (!seen || d.createdAt < seen.createdAt) first.set(d.alertKey, d);
  }
  return [...first.values()];
}

/** The sends of a round: the deliveries of one digest together when the channel takes digests, the others one by one. */
function unitsOf(ready: readonly Delivery[], channel: DeliveryChannel): Delivery[][] {
  const byDigest = new Map<string, Delivery[]>();
  const units: Delivery[][] = [];
  for (const d of ready) {
    if (d.digest) byDigest.set(d.digest, [...(byDigest.get(d.digest) ?? []), d]);
    else units.push([d]);
  }
  const takesDigests = channel.accepts({ kind: 'digest', digestId: 'probe', total: 2, worst: [], occurredAt: new Date(0) });
  for (const group of byDigest.values()) {
    if (takesDigests && group.length > 1) units.unshift(group);
    else units.push(...group.map((d) => [d]));
  }
  return units;
}

/** A digest is named by the notifications in it: the same digest sent again (after a lost answer) keeps its id. */
function digestIdOf(deliveries: readonly Delivery[]): string {
  const ids = deliveries.map((d) => d.notificationId).sort();
  return `${deliveries[0]!.digest}.${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 16)}`;
}

/** Exponential backoff with jitter ("equal jitter": half fixed, half random), so that retries of many instances spread out. */
export function backoffMs(attempts: number, settings: { baseDelayMs: number; maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 4 ** (attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** An error as stored and shown: one line, short, and no URL beyond its origin (webhook URLs hold their secret in the path). */
export function safeText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const scrubbed = oneLine.replace(/\bhttps?:\/\/[^\s"'<>]+/gi, (url) => (URL.canParse(url) ? `${new URL(url).origin}/…` : '(a URL)'));
  return scrubbed.slice(0, 500);
}

function definedOptions(options: DeliveryOptions) {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined && typeof value === 'number')) as Partial<typeof DELIVERY_DEFAULTS>;
}
