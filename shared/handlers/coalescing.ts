/**
 * Joins calls made at the same time into batches (group commit): the first call starts a batch on
 * the next turn of the event loop, with every call made until then; calls made while a batch runs
 * wait, and go together into the next one. One call alone is a batch of one, so nothing waits longer
 * than the batch before it.
 *
 * The Functions runtime invokes an Event Grid function once per event of a delivery, all at once
 * (and the local host does the same); this is how those invocations share their table round trips.
 * `run` answers each item's outcome in order; an item's failure is its call's alone, a thrown `run`
 * fails every call of its batch.
 */
export function coalescing<I, O>(run: (items: I[]) => Promise<PromiseSettledResult<O>[]>, maxItems = 5_000): (item: I) => Promise<O> {
  const waiting: Array<{ item: I; resolve: (value: O) => void; reject: (reason: unknown) => void }> = [];
  let running = false;

  const drain = async () => {
    running = true;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      while (waiting.length > 0) {
        const batch = waiting.splice(0, maxItems);
        try {
          const results = await run(batch.map((b) => b.item));
          batch.forEach((b, i) => {
            const result = results[i];
            if (result?.status === 'fulfilled') b.resolve(result.value);
            else b.reject(result ? result.reason : new Error('the batch gave no outcome for this item'));
          });
        } catch (error) {
          for (const b of batch) b.reject(error);
        }
      }
    } finally {
      running = false;
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (!running) void drain();
    });
}
