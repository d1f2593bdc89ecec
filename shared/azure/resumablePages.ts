import { withArmRetry, type RetryOptions } from './retry.js';

/**
 * Pages of an ARM list, each fetched with withArmRetry. An SDK page iterator that throws is finished
 * for good, so after a failure the list resumes from the last page's continuation token (its nextLink)
 * instead of retrying the dead iterator, which would end the list early and lose clusters.
 */
export async function* resumablePages<T>(
  openPager: (continuationToken?: string) => AsyncIterableIterator<T[]>,
  continuationTokenOf: (page: T[]) => string | undefined,
  retry: RetryOptions,
): AsyncIterable<T[]> {
  let token: string | undefined;
  let pager = openPager();
  for (;;) {
    const next = await withArmRetry(async () => {
      try {
        return await pager.next();
      } catch (error) {
        pager = openPager(token);
        throw error;
      }
    }, retry);
    if (next.done) return;
    yield next.value;
    token = continuationTokenOf(next.value);
    if (!token) return;
  }
}
