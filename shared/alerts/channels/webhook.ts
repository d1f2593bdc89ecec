/**
 * The signed webhook: the message as JSON (payload.ts), POSTed with
 *   X-AksCert-Timestamp: <unix seconds>
 *   X-AksCert-Signature: sha256=<hex HMAC-SHA256 of `${timestamp}.${body}` keyed with ALERT_WEBHOOK_SECRET>
 * so a receiver can prove the body came from us, unaltered, recently: it recomputes the HMAC over the
 * exact bytes it received and refuses a timestamp outside its tolerance (a replay).
 * `verifyWebhookSignature` is that check, for receivers written in TypeScript (README, "Alert channels").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChannelMessage } from '../alertMessage.js';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type AlertChannel } from './channel.js';
import { postJson } from './httpAnswer.js';
import { messagePayload } from './payload.js';

export const WEBHOOK_TIMESTAMP_HEADER = 'X-AksCert-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-AksCert-Signature';
export const WEBHOOK_NOTIFICATION_HEADER = 'X-AksCert-Notification-Id';
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/** The body to POST: the message as JSON. */
export function renderWebhookBody(message: ChannelMessage): string {
  return JSON.stringify(messagePayload(message));
}

function hmacHex(secret: string, timestamp: string, body: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The two signature headers for `body` sent at `now`. */
export function signWebhook(body: string, secret: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [WEBHOOK_TIMESTAMP_HEADER]: timestamp, [WEBHOOK_SIGNATURE_HEADER]: `sha256=${hmacHex(secret, timestamp, body)}` };
}

export type WebhookVerification =
  | { ok: true; timestamp: Date }
  | { ok: false; reason: 'missing_headers' | 'malformed' | 'stale' | 'bad_signature' };

/** Node's `IncomingHttpHeaders`, a fetch `Headers`, or a plain object with any case of names. */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers as Record<string, string | string[] | undefined>).find(([key]) => key.toLowerCase() === wanted);
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether a received webhook is ours and fresh: the signature matches the HMAC of `${timestamp}.${body}`
 * (compared in constant time) and the timestamp is within `toleranceSeconds` of `now`, either way (an
 * older one is a replay). Pass the body exactly as received, before any JSON parsing.
 */
export function verifyWebhookSignature(
  headers: HeaderSource,
  body: string | Uint8Array,
  secret: string,
  now: Date = new Date(),
  toleranceSeconds: number = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerification {
  const timestamp = header(headers, WEBHOOK_TIMESTAMP_HEADER)?.trim();
  const signature = header(headers, WEBHOOK_SIGNATURE_HEADER)?.trim();
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  const given = /^sha256=([0-9a-f]{64})$/i.exec(signature)?.[1];
  if (!/^\d{1,12}$/.test(timestamp) || given === undefined) return { ok: false, reason: 'malformed' };
  const sentAt = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - sentAt) > toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, timestamp: new Date(sentAt * 1000) };
}

export interface WebhookSettings {
  /** ALERT_WEBHOOK_URL. */
  url: string;
  /** ALERT_WEBHOOK_SECRET: the HMAC key the receiver shares. */
  secret: string;
  timeoutMs?: number;
  /** The clock the timestamp comes from (tests). */
  now?: () => Date;
}

export function webhookChannel(settings: WebhookSettings): AlertChannel {
  const target = { channel: 'webhook' as const, url: settings.url, secrets: [settings.secret, settings.url], timeoutMs: settings.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS };
  const now = settings.now ?? (() => new Date());
  return {
    name: 'webhook',
    accepts: () => true,
    send: (message, signal) => {
      const body = renderWebhookBody(message);
      const id = message.kind === 'single' ? message.alert.notificationId : message.digestId;
      return postJson(target, body, { ...signWebhook(body, settings.secret, now()), [WEBHOOK_NOTIFICATION_HEADER]: id }, signal);
    },
  };
}
