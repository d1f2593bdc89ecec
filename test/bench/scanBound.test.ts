import { describe, expect, it } from 'vitest';
import { coldScanBoundMs, type BoundInputs } from '../../bench/scanBound.js';
import { unevenSubscriptionSizes } from '../../dev/demoFleet/index.js';

const ARM = { reads: { capacity: 250, refillPerSecond: 25 }, writes: { capacity: 200, refillPerSecond: 10 } };
const inputs = (sizes: number[], overrides: Partial<BoundInputs> = {}): BoundInputs => ({
  sizes, latencyMs: 40, pageSize: 20, subscriptionPageSize: 2, ...ARM,
  concurrency: { subscriptions: 16, clusters: 32, clustersPerSubscription: 16 }, ...overrides,
});

describe('coldScanBoundMs', () => {
  it('is the largest subscription\'s write bucket for a large uneven fleet: 1,800 POSTs past the burst at 10 a second', () => {
    const sizes = unevenSubscriptionSizes({ clusters: 10_000, subscriptions: 50, largest: 2_000 });
    // 25 pages of subscriptions, then 180 s of refill and the last POST's latency.
    expect(coldScanBoundMs(inputs(sizes))).toBe(25 * 40 + 180_000 + 40);
  });

  it('is latency under the fleet\'s concurrency for a small even fleet', () => {
    // 1,000 POSTs, 32 at a time, 40 ms each: 32 rounds; after 10 pages of subscriptions.
    expect(coldScanBoundMs(inputs(Array.from({ length: 20 }, () => 50)))).toBe(10 * 40 + 32 * 40);
  });

  it('is a subscription\'s own concurrency or its listing when they are what limits it', () => {
    const one = inputs([100], { concurrency: { subscriptions: 16, clusters: 1_000, clustersPerSubscription: 4 } });
    expect(coldScanBoundMs(one)).toBe(40 + 25 * 40);
    const listing = inputs([100], { pageSize: 1, concurrency: { subscriptions: 16, clusters: 1_000, clustersPerSubscription: 100 } });
    expect(coldScanBoundMs(listing)).toBe(40 + 100 * 40);
  });

  it('counts the read bucket once a subscription has more pages than its burst', () => {
    const bound = coldScanBoundMs(inputs([300], { pageSize: 1, writes: { capacity: 1_000, refillPerSecond: 10 }, concurrency: { subscriptions: 1, clusters: 1_000, clustersPerSubscription: 1_000 } }));
    expect(bound).toBe(40 + 300 * 40 + (50 / 25) * 1000);
  });

  it('spreads subscriptions over the scan\'s subscription slots', () => {
    const bound = coldScanBoundMs(inputs(Array.from({ length: 4 }, () => 16), { concurrency: { subscriptions: 1, clusters: 1_000, clustersPerSubscription: 16 } }));
    expect(bound).toBe(2 * 40 + 4 * 40);
  });
});
