import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * ARM's documented write budget per subscription (principal and region): a bucket of 200 requests
 * refilled at 10 a second. The credential listings are POSTs, so they draw from it (Azure Resource Manager throttling, docs/architecture.md).
 */
export const ARM_WRITE_BUCKET = { capacity: 200, refillPerSecond: 10 };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REMAINING_HEADER = 'x-ms-ratelimit-remaining-subscription-writes';

/**
 * Paces a subscription's writes to ARM's token bucket instead of running into it: without pacing, a
 * large subscription's credential calls all meet 429s once the burst is spent and wait out whole
 * Retry-After seconds together. The local bucket follows ARM's own count (the remaining-writes header)
 * whenever ARM has fewer tokens left than we think, and refills at the documented rate.
 */
export class ArmWriteBudget {
  private tokens: number;
  private refilledAt = Date.now();

  constructor(private readonly bucket = ARM_WRITE_BUCKET) {
    this.tokens = bucket.capacity;
  }

  readonly policy: PipelinePolicy = {
    name: 'armWriteBudget',
    sendRequest: async (request, next) => {
      if (!WRITE_METHODS.has(request.method)) return next(request);
      await this.take();
      const response = await next(request);
      const remaining = Number(response.headers.get(REMAINING_HEADER));
      if (response.status === 429) this.tokens = Math.min(this.tokens, 0);
      else if (Number.isFinite(remaining)) this.follow(remaining);
      return response;
    },
  };

  private refill(): void {
    const now = Date.now();
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
      await sleep(((1 - this.tokens) / this.bucket.refillPerSecond) * 1000);
    }
  }

  private follow(remaining: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, remaining);
  }
}
