/**
 * The least time a cold scan can take against ARM's buckets and latency, with the scan's own
 * concurrency: what no implementation of the same calls could beat.
 *   - Subscriptions are listed first, a page at a time.
 *   - In each subscription, one credential POST per cluster draws from its write bucket: past the
 *     burst, at the refill rate. Its cluster pages are listed one after another, and at most
 *     `clustersPerSubscription` POSTs are in flight, each taking the latency.
 *   - Over the fleet, at most `clusters` POSTs are in flight, and `subscriptions` subscriptions at once.
 * The largest subscription's write bucket dominates a large uneven fleet; latency and concurrency a
 * small even one.
 */
import type { BucketConfig } from '../dev/armSimulator/throttle.js';

export interface BoundInputs {
  sizes: readonly number[];
  latencyMs: number;
  pageSize: number;
  subscriptionPageSize: number;
  writes: BucketConfig;
  reads: BucketConfig;
  concurrency: { subscriptions: number; clusters: number; clustersPerSubscription: number };
}

export function coldScanBoundMs(inputs: BoundInputs): number {
  const { sizes, latencyMs: L, pageSize, writes, reads, concurrency } = inputs;
  const listSubscriptions = Math.max(1, Math.ceil(sizes.length / inputs.subscriptionPageSize)) * L;
  const perSubscription = sizes.map((n) => {
    const pages = Math.max(1, Math.ceil(n / pageSize));
    const listing = pages * L + (Math.max(0, pages - reads.capacity) / reads.refillPerSecond) * 1000;
    const writeBucket = n === 0 ? 0 : (Math.max(0, n - writes.capacity) / writes.refillPerSecond) * 1000 + L;
    const inFlight = Math.ceil(n / concurrency.clustersPerSubscription) * L;
    return Math.max(listing, writeBucket, inFlight);
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const fleetInFlight = Math.ceil(total / concurrency.clusters) * L;
  const subscriptionSlots = perSubscription.reduce((a, b) => a + b, 0) / concurrency.subscriptions;
  return listSubscriptions + Math.max(...perSubscription, fleetInFlight, subscriptionSlots);
}
