import type { ChannelMessage } from '../alertMessage.js';

export type ChannelName = 'pagerduty' | 'teams' | 'slack' | 'eventgrid' | 'webhook';

/**
 * What a channel answered. `error` is safe to log, store and show: it names the channel and the
 * host, never a webhook URL's path or query (Slack and Teams put their secret there), a key or a
 * routing key.
 */
export type ChannelAnswer =
  | { ok: true; status: number }
  | { ok: false; status?: number; retryAfterMs?: number; retryable: boolean; error: string };

/** One configured channel, as the delivery code calls it: it owns retries, backoff and parking. */
export interface AlertChannel {
  readonly name: ChannelName;
  /** False for what this channel never takes (PagerDuty and Event Grid take no digests: one incident, one event, per cluster). */
  accepts(message: ChannelMessage): boolean;
  /** One attempt, no retries of its own; never throws (a failure is an answer). */
  send(message: ChannelMessage, signal?: AbortSignal): Promise<ChannelAnswer>;
}

/** How long one attempt may take before it counts as a retryable failure. */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 10_000;
