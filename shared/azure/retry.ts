import { isRestError } from '@azure/core-rest-pipeline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryOptions {
  /** Attempts after the first, on top of the SDK's own retries. */
  retries: number;
  /** First back-off when ARM gives no Retry-After; doubles each time, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * The SDK retries a 429 only when it carries Retry-After, and 5xx three times. Fleet scans
 * hit ARM's per-subscription token buckets hard, so a throttled or failing call is retried here too,
 * honouring Retry-After (seconds or an HTTP date) and otherwise backing off exponentially.
 */
export async function withArmRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.retries || !isRetryable(error)) throw error;
      await sleep(retryDelayMs(error, attempt, options));
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (!isRestError(error)) return false;
  const status = error.statusCode;
  return status === undefined || status === 408 || status === 429 || status >= 500;
}

function retryDelayMs(error: unknown, attempt: number, options: RetryOptions): number {
  const header = isRestError(error) ? error.response?.headers.get('retry-after') : undefined;
  const fromHeader = parseRetryAfterMs(header);
  if (fromHeader !== undefined) return Math.min(fromHeader, options.maxDelayMs);
  const backoff = options.baseDelayMs * 2 ** attempt;
  return Math.min(backoff / 2 + Math.random() * (backoff / 2), options.maxDelayMs);
}

export function parseRetryAfterMs(value: string | undefined | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
