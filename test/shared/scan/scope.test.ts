import { describe, expect, it } from 'vitest';
import { inScope, subscriptionScope, subscriptionsOf } from '../../../shared/scan/scope.js';

const A = '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34';
const B = '1c7a5d3f-9e4b-4a2c-8d1f-6b3e2a7c9d45';

describe('subscriptionScope', () => {
  it('takes the subscriptions asked for over the configured ones, and the configured over "every subscription"', () => {
    expect(subscriptionScope([A], [B])).toEqual([A]);
    expect(subscriptionScope(undefined, [B])).toEqual([B]);
    expect(subscriptionScope([], [B])).toEqual([B]);
    expect(subscriptionScope(undefined, undefined)).toBeUndefined();
  });
});

describe('inScope', () => {
  it('compares subscription ids without regard to case, and takes everything when the scope is every subscription', () => {
    expect(inScope([A], A.toUpperCase())).toBe(true);
    expect(inScope([A], B)).toBe(false);
    expect(inScope(undefined, B)).toBe(true);
  });
});

describe('subscriptionsOf', () => {
  it('lists the subscriptions the identity can read only when the scope is every subscription', async () => {
    let listed = 0;
    const fleet = {
      async *listSubscriptions() {
        listed++;
        yield { subscriptionId: A };
        yield { subscriptionId: B };
      },
    };
    expect(await subscriptionsOf([B], fleet)).toEqual([B]);
    expect(listed).toBe(0);
    expect(await subscriptionsOf(undefined, fleet)).toEqual([A, B]);
    expect(listed).toBe(1);
  });
});
