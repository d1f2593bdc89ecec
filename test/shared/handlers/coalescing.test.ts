import { describe, expect, it } from 'vitest';
import { coalescing } from '../../../shared/handlers/coalescing.js';

/** A batch runner that records its batches and doubles each item; odd items fail when asked to. */
function recorder(options: { failOdd?: boolean; throwsFirst?: boolean } = {}) {
  const batches: number[][] = [];
  const run = async (items: number[]): Promise<PromiseSettledResult<number>[]> => {
    batches.push(items);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (options.throwsFirst && batches.length === 1) throw new Error('the batch failed');
    return items.map((n) => (options.failOdd && n % 2 === 1 ? { status: 'rejected', reason: new Error(`item ${n} failed`) } : { status: 'fulfilled', value: n * 2 }));
  };
  return { batches, run };
}

describe('coalescing', () => {
  it('runs the calls made at the same time as one batch, each call getting its own outcome', async () => {
    const { batches, run } = recorder();
    const call = coalescing(run);
    expect(await Promise.all([1, 2, 3, 4].map(call))).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('runs a call alone as a batch of one, and the calls made while a batch runs as the next batch', async () => {
    const { batches, run } = recorder();
    const call = coalescing(run);
    expect(await call(1)).toBe(2);
    const first = call(2);
    await new Promise((resolve) => setImmediate(resolve)); // the batch of [2] has started
    const later = [3, 4, 5].map(call);
    expect(await Promise.all([first, ...later])).toEqual([4, 6, 8, 10]);
    expect(batches).toEqual([[1], [2], [3, 4, 5]]);
  });

  it('fails only the calls whose items failed, and every call of a batch that threw', async () => {
    const partial = coalescing(recorder({ failOdd: true }).run);
    const results = await Promise.allSettled([1, 2, 3].map(partial));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toEqual(new Error('item 1 failed'));

    const failing = coalescing(recorder({ throwsFirst: true }).run);
    const all = await Promise.allSettled([1, 2].map(failing));
    expect(all.map((r) => r.status === 'rejected' && (r.reason as Error).message)).toEqual(['the batch failed', 'the batch failed']);
    expect(await failing(7)).toBe(14); // a failed batch leaves the next one unharmed
  });

  it('keeps batches within the most items it is given', async () => {
    const { batches, run } = recorder();
    const call = coalescing(run, 2);
    await Promise.all([1, 2, 3, 4, 5].map(call));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
