/**
 * A map that holds at most `capacity` entries, forgetting the least recently used first: a memo for
 * pure functions of their key (certificate facts by the DER's SHA-256), so that a fleet's shared
 * certificates are parsed once without the memo growing with the fleet.
 */
export class LruMap<K, V> {
  // A Map iterates in insertion order: re-inserting an entry on use keeps the least recent first.
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`an LruMap holds at least one entry, not ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key) as V;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** The value for `key`, computed by `compute` when it is not held (a throw is not remembered). */
  getOrCompute(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) return this.get(key) as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}
