import { describe, expect, it } from 'vitest';
import { buildScaleFleet, unevenSubscriptionSizes } from '../../../dev/demoFleet/index.js';

describe('unevenSubscriptionSizes', () => {
  it('spreads 10,000 clusters over 50 subscriptions, the first holding 2,000 and the others fewer and fewer', () => {
    const sizes = unevenSubscriptionSizes({ clusters: 10_000, subscriptions: 50, largest: 2_000 });
    expect(sizes).toHaveLength(50);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(sizes[0]).toBe(2_000);
    expect(Math.max(...sizes.slice(1))).toBeLessThan(2_000);
    for (let i = 2; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]!);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(sizes[1]! / sizes.at(-1)!).toBeGreaterThan(10);
  });

  it('adds up exactly whatever the rounding, and keeps every other subscription at or under the largest', () => {
    for (const [clusters, subscriptions, largest] of [[1_000, 20, 50], [1_000, 20, 120], [7, 3, 3], [101, 7, 20], [5, 5, 1]] as const) {
      const sizes = unevenSubscriptionSizes({ clusters, subscriptions, largest });
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(clusters);
      expect(sizes[0]).toBe(largest);
      expect(Math.max(...sizes)).toBe(largest);
    }
    expect(unevenSubscriptionSizes({ clusters: 4, subscriptions: 1, largest: 4 })).toEqual([4]);
    expect(unevenSubscriptionSizes({ clusters: 0, subscriptions: 0, largest: 0 })).toEqual([]);
  });

  it('refuses a spread that cannot be made', () => {
    expect(() => unevenSubscriptionSizes({ clusters: 100, subscriptions: 10, largest: 5 })).toThrow(/cannot be spread/);
    expect(() => unevenSubscriptionSizes({ clusters: 100, subscriptions: 10, largest: 200 })).toThrow(/cannot be spread/);
    expect(() => unevenSubscriptionSizes({ clusters: 100, subscriptions: 1, largest: 50 })).toThrow(/cannot be spread/);
    expect(() => unevenSubscriptionSizes({ clusters: 10, subscriptions: 0, largest: 0 })).toThrow(/cannot be spread/);
    expect(() => unevenSubscriptionSizes({ clusters: 10, subscriptions: 2.5, largest: 5 })).toThrow('subscriptions must be a non-negative integer');
  });
});

describe('buildScaleFleet with sizes', () => {
  it('builds each subscription with the number of clusters asked for, ids unique', async () => {
    const fleet = await buildScaleFleet({ now: new Date(), sizes: [5, 0, 2] });
    expect(fleet.subscriptions).toHaveLength(3);
    const perSubscription = fleet.subscriptions.map((s) => fleet.clusters.filter((c) => c.subscriptionId === s.subscriptionId).length);
    expect(perSubscription).toEqual([5, 0, 2]);
    expect(new Set(fleet.clusters.map((c) => c.resource.id.toLowerCase())).size).toBe(7);
  });

  it('refuses a size that is not a whole number of clusters', async () => {
    await expect(buildScaleFleet({ now: new Date(), sizes: [3, -1] })).rejects.toThrow('every subscription size must be a non-negative integer');
  });
});
