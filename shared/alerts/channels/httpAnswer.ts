/**
 * One HTTP attempt of a channel, and what its answer means for delivery: 2xx delivered; 408, 429 and
 * 5xx worth retrying (after Retry-After when the service gives one); any other 4xx (and a redirect,
 * which is never followed: it would carry the alert to another host) not worth retrying.
 *
 * Error texts name the channel and the host only: webhook URLs carry their secret in the path or
 * the query, so neither ever appears, and whatever the service answered is scrubbed of the secrets.
 */
import { parseRetryAfterMs } from '../../azure/retry.js';
import type { ChannelMessage } from '../alertMessage.js';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type AlertChannel, type ChannelAnswer, type ChannelName } from './channel.js';

/** How much of a refusal's body an error keeps ("invalid_blocks", PagerDuty's "Event object is invalid"). */
const ANSWER_EXCERPT_CHARS = 200;

export interface HttpTarget {
  channel: ChannelName;
  url: string;
  /** Strings that must never appear in an error: keys, routing keys, the URL itself. */
  secrets: readonly string[];
  timeoutMs: number;
}

/** The URL's host, which is all an error may say of where it went. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an unreadable URL';
  }
}

/** `text` with every secret (and the path and query of every secret URL) replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  const words = new Set<string>();
  for (const secret of secrets) {
    if (secret) words.add(secret);
    try {
      const url = new URL(secret);
      const rest = `${url.pathname}${url.search}`;
      if (rest.length > 1) words.add(rest);
    } catch {
      // not a URL: the secret itself is enough
    }
  }
  // Longest first, so a URL is replaced whole before its path is.
  return [...words].sort((a, b) => b.length - a.length).reduce((scrubbed, word) => scrubbed.split(word).join('***'), text);
}

/** What an answer with this status means; `retryAfter` is the raw header. */
export function answerOf(channel: ChannelName, host: string, status: number, retryAfter: string | null | undefined, said = ''): ChannelAnswer {
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = retryable ? parseRetryAfterMs(retryAfter) : undefined;
  const redirect = status >= 300 && status < 400 ? ' (a redirect, not followed)' : '';
  const error = `${channel}: ${host} answered ${status}${redirect}${said ? `: ${said}` : ''}`;
  return { ok: false, status, retryable, error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** A failure before any answer (refused, reset, timed out, aborted): always worth retrying. */
export function unansweredOf(channel: ChannelName, host: string, error: unknown, timeoutMs: number, timedOut: boolean): ChannelAnswer {
  if (timedOut) return { ok: false, retryable: true, error: `${channel}: ${host} did not answer within ${timeoutMs} ms` };
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'AbortError') return { ok: false, retryable: true, error: `${channel}: the send to ${host} was aborted` };
  // fetch throws TypeError('fetch failed') with the network error (ECONNREFUSED, ENOTFOUND...) as its cause.
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : ((error as { code?: unknown } | undefined)?.code as string | undefined);
  return { ok: false, retryable: true, error: `${channel}: could not reach ${host}${typeof code === 'string' ? ` (${code})` : ''}` };
}

/** The caller's signal and the attempt's timeout as one signal, and a way to tell which fired. */
export function attemptSignal(timeoutMs: number, signal?: AbortSignal): { signal: AbortSignal; timedOut: () => boolean } {
  const timeout = AbortSignal.timeout(timeoutMs);
  return { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, timedOut: () => timeout.aborted && !signal?.aborted };
}

function excerpt(text: string, secrets: readonly string[]): string {
  const line = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return line.length > ANSWER_EXCERPT_CHARS ? `${line.slice(0, ANSWER_EXCERPT_CHARS)}…` : line;
}

/** POSTs `body` (already serialized: the webhook signs these exact bytes) once, and reads the answer. */
export async function postJson(target: HttpTarget, body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<ChannelAnswer> {
  const host = hostOf(target.url);
  const attempt = attemptSignal(target.timeoutMs, signal);
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'aks-cert-compliance', ...headers },
      body,
      redirect: 'manual',
      signal: attempt.signal,
    });
    const text = await response.text().catch(() => '');
    const said = response.ok ? '' : excerpt(text, [...target.secrets, target.url]);
    return answerOf(target.channel, host, response.status, response.headers.get('retry-after'), said);
  } catch (error) {
    return unansweredOf(target.channel, host, error, target.timeoutMs, attempt.timedOut());
  }
}

/**
 * A channel that POSTs each message, rendered, as JSON to a webhook URL that is itself the secret
 * (Slack's incoming webhooks, Teams' Workflows): it takes digests as well as singles.
 */
export function secretUrlWebhookChannel(
  name: Extract<ChannelName, 'slack' | 'teams'>,
  settings: { webhookUrl: string; timeoutMs?: number },
  render: (message: ChannelMessage) => unknown,
): AlertChannel {
  const target = { channel: name, url: settings.webhookUrl, secrets: [settings.webhookUrl], timeoutMs: settings.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS };
  return {
    name,
    accepts: () => true,
    send: (message, signal) => postJson(target, JSON.stringify(render(message)), {}, signal),
  };
}
