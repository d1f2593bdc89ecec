import { createHttpHeaders, createPipelineRequest, type PipelineResponse, type SendRequest } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { ArmWriteBudget } from '../../../shared/azure/armWriteBudget.js';

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
});
