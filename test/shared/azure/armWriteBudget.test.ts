import { createHttpHeaders, createPipelineRequest, type PipelineResponse, type SendRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmWriteBudget, type BudgetClock } from '../../../shared/azure/armWriteBudget.js';

/** A stand-in for the rest of the pipeline that answers with ARM's remaining-writes header. */
function armAnswering(remaining: () => number, status = 200): { next: SendRequest; sentAt: number[] } {
  const sentAt: number[] = [];
  const next: SendRequest = async (request) => {
    sentAt.push(Date.now());
    return { request, status, headers: createHttpHeaders({ 'x-ms-ratelimit-remaining-subscription-writes': String(remaining()) }) } as PipelineResponse;
  };
  return { next, sentAt };
}
const post = () => createPipelineRequest({ url: 'https://management.azure.com/x', method: 'POST' });

describe('ArmWriteBudget', () => {
  it('lets a burst within the bucket through at once', async () => {
    const budget = new ArmWriteBudget({ capacity: 5, refillPerSecond: 10 });
    const { next, sentAt } = armAnswering(() => 100);
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => budget.policy.sendRequest(post(), next)));
    expect(sentAt).toHaveLength(5);
    expect(Math.max(...sentAt) - started).toBeLessThan(50);
  });

  it('spaces writes at the refill rate once the bucket is spent', async () => {
    const budget = new ArmWriteBudget({ capacity: 2, refillPerSecond: 20 });
    const { next, sentAt } = armAnswering(() => 100);
    await Promise.all(Array.from({ length: 6 }, () => budget.policy.sendRequest(post(), next)));
    const spread = Math.max(...sentAt) - Math.min(...sentAt);
    expect(spread).toBeGreaterThanOrEqual(4 * 50 - 10); // 4 writes past the burst, one per 50 ms
  });

  it('follows ARM when ARM has fewer writes left than the local count', async () => {
    const budget = new ArmWriteBudget({ capacity: 200, refillPerSecond: 20 });
    const { next, sentAt } = armAnswering(() => 0);
    await budget.policy.sendRequest(post(), next); // ARM says: nothing left
    await budget.policy.sendRequest(post(), next);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(40);
  });

  it('does not hold back reads', async () => {
    const budget = new ArmWriteBudget({ capacity: 0, refillPerSecond: 1 });
    const { next, sentAt } = armAnswering(() => 0);
    const get = createPipelineRequest({ url: 'https://management.azure.com/x', method: 'GET' });
    await budget.policy.sendRequest(get, next);
    expect(sentAt).toHaveLength(1);
  });

  describe('ARM\'s count, one round trip old (a clock of the test\'s own)', () => {
    /** Time passes only when the test says: in `next` (the round trip) and in the budget's sleeps. */
    const virtualClock = () => {
      const clock = { at: 0, slept: [] as number[], now: () => clock.at, sleep: async (ms: number) => { clock.slept.push(ms); clock.at += ms; } };
      return clock satisfies BudgetClock;
    };
    /** ARM: counts the request on arrival (`remaining`), answers `roundTripMs` later. */
    const arm = (clock: ReturnType<typeof virtualClock>, roundTripMs: number, remaining: () => number): SendRequest => async (request) => {
      const counted = remaining();
      clock.at += roundTripMs;
      return { request, status: 200, headers: createHttpHeaders({ 'x-ms-ratelimit-remaining-subscription-writes': String(counted) }) } as PipelineResponse;
    };

    it('credits ARM\'s count with the refill since the request was sent: a spent bucket refilled meanwhile paces nothing', async () => {
      const clock = virtualClock();
      const budget = new ArmWriteBudget({ capacity: 10, refillPerSecond: 10 }, clock);
      // ARM had nothing left when it counted; the answer took a second, in which it refilled 10.
      await budget.policy.sendRequest(post(), arm(clock, 1000, () => 0));
      for (let i = 0; i < 9; i++) await budget.policy.sendRequest(post(), arm(clock, 0, () => 100));
      expect(clock.slept).toEqual([]);
    });

    it('still follows a count lower than ours with the refill credited: another caller spends the writes', async () => {
      const clock = virtualClock();
      const budget = new ArmWriteBudget({ capacity: 10, refillPerSecond: 10 }, clock);
      // Counted at 0, answered 200 ms later: ARM has at most 2 now, though we think 9.
      await budget.policy.sendRequest(post(), arm(clock, 200, () => 0));
      for (let i = 0; i < 3; i++) await budget.policy.sendRequest(post(), arm(clock, 0, () => 100));
      expect(clock.slept).toHaveLength(1);
      expect(clock.slept[0]).toBeCloseTo(100, 6);
    });
  });
});
