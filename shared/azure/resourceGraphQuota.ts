import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { setTimeout as sleep } from 'node:timers/promises';

const REMAINING_HEADER = 'x-ms-user-quota-remaining';
const RESETS_AFTER_HEADER = 'x-ms-user-quota-resets-after';

/** `x-ms-user-quota-resets-after` (`hh:mm:ss`, seconds possibly fractional) in milliseconds. */
export function parseQuotaResetMs(value: string | null | undefined): number | undefined {
  const match = /^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$/.exec(value?.trim() ?? '');
  if (!match) return undefined;
  return Math.round((Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3])) * 1000);
}

/**
 * Resource Graph throttles each user by a quota of queries per window (15 per 5 s by default,
 * docs/rules.md "Discovery through Resource Graph") and says in every answer how many are left and
 * when the window resets. When none are left (or a query was throttled) the next query waits for the
 * reset instead of spending a retry on a certain 429.
 */
export class ResourceGraphQuota {
  private exhaustedUntil = 0;

  readonly policy: PipelinePolicy = {
    name: 'resourceGraphQuota',
    sendRequest: async (request, next) => {
      const wait = this.exhaustedUntil - Date.now();
      if (wait > 0) await sleep(wait);
      const response = await next(request);
      const remaining = response.headers.get(REMAINING_HEADER);
      const resetMs = parseQuotaResetMs(response.headers.get(RESETS_AFTER_HEADER));
      const exhausted = response.status === 429 || (remaining !== undefined && remaining.trim() !== '' && Number(remaining) <= 0);
      if (exhausted && resetMs !== undefined) this.exhaustedUntil = Math.max(this.exhaustedUntil, Date.now() + resetMs);
      return response;
    },
  };
}
