import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * ARM's documented write budget per subscription (principal and region): a bucket of 200 requests
 * refilled at 10 a second. The credential listings are POSTs, so they draw from it (Azure Resource Manager throttling, docs/architecture.md).
 */
export const ARM_WRITE_BUCKET = { capacity: 200, refillPerSecond: 10 };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REMAINING_HEADER = 'x-ms-ratelimit-remaining-subscription-writes';

/** The time a budget goes by: the real one, or a test's. */
export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}
const REAL_CLOCK: BudgetClock = { now: () => Date.now(), sleep };

/**
 * Paces a subscription's writes to ARM's token bucket instead of running into it: without pacing, a
 * large subscription's credential calls all meet 429s once the burst is spent and wait out whole
 * Retry-After seconds together. The local bucket follows ARM's own count (the remaining-writes header)
 * whenever ARM has fewer tokens left than we think, and refills at the documented rate.
 */
export class ArmWriteBudget {
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly bucket = ARM_WRITE_BUCKET, private readonly clock: BudgetClock = REAL_CLOCK) {
    this.tokens = bucket.capacity;
    this.refilledAt = clock.now();
  }

  readonly policy: PipelinePolicy = {
    name: 'armWriteBudget',
    sendRequest: async (request, next) => {
      if (!WRITE_METHODS.has(request.method)) return next(request);
      await this.take();
      const sentAt = this.clock.now();
      const response = await next(request);
      const remaining = Number(response.headers.get(REMAINING_HEADER));
      if (response.status === 429) this.tokens = Math.min(this.tokens, 0);
      else if (Number.isFinite(remaining)) this.follow(remaining, sentAt);
      return response;
    },
  };

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.bucket.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.bucket.refillPerSecond);
    this.refilledAt = now;
  }

  private async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) / this.bucket.refillPerSecond) * 1000);
    }
  }

  /**
   * ARM counted `remaining` when the request reached it, some time after `sentAt`, and has refilled
   * since: credited with the refill since `sentAt` (the most it can have now), its count lowers ours
   * only when it is lower still (another caller spends the subscription's writes too). Taken bare, a
   * count one round trip old would throw away a round trip's refill with every response, and pace a
   * large subscription well below ARM's rate.
   */
  private follow(remaining: number, sentAt: number): void {
    this.refill();
    const armNowAtMost = remaining + ((this.refilledAt - sentAt) / 1000) * this.bucket.refillPerSecond;
    this.tokens = Math.min(this.tokens, armNowAtMost);
  }
}
