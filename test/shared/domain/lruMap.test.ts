import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../shared/domain/lruMap.js';

describe('LruMap', () => {
  it('holds what was set until it is full, then forgets the least recently used first', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(1); // a is now the most recent
    map.set('c', 3);
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.get('c')).toBe(3);
  });

  it('finds nothing for a key it does not hold, and does not start holding it', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    expect(map.get('b')).toBeUndefined();
    expect(map.size).toBe(1);
    map.set('c', 3);
    expect(map.get('a')).toBe(1);
  });

  it('counts setting a held key again as a use, and keeps one entry for it', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    expect(map.size).toBe(2);
    map.set('c', 3);
    expect(map.get('a')).toBe(10);
    expect(map.get('b')).toBeUndefined();
  });

  it('computes a value once while it is held, and again after it was forgotten', () => {
    const map = new LruMap<string, string>(1);
    const computed: string[] = [];
    const compute = (key: string) => (computed.push(key), key.toUpperCase());
    expect(map.getOrCompute('x', compute)).toBe('X');
    expect(map.getOrCompute('x', compute)).toBe('X');
    expect(computed).toEqual(['x']);
    expect(map.getOrCompute('y', compute)).toBe('Y');
    expect(map.getOrCompute('x', compute)).toBe('X');
    expect(computed).toEqual(['x', 'y', 'x']);
  });

  it('remembers a held value that is falsy, and a key whose value is undefined, as held', () => {
    const map = new LruMap<string, number | undefined>(3);
    let calls = 0;
    map.getOrCompute('zero', () => (calls++, 0));
    map.getOrCompute('none', () => (calls++, undefined));
    expect(map.getOrCompute('zero', () => (calls++, 5))).toBe(0);
    expect(map.getOrCompute('none', () => (calls++, 5))).toBeUndefined();
    expect(calls).toBe(2);
  });

  it('remembers nothing when the computation throws', () => {
    const map = new LruMap<string, number>(2);
    expect(() => map.getOrCompute('bad', () => { throw new Error('not a certificate'); })).toThrow('not a certificate');
    expect(map.size).toBe(0);
    expect(map.getOrCompute('bad', () => 7)).toBe(7);
  });

  it('refuses a capacity that holds nothing or is not whole', () => {
    expect(() => new LruMap(0)).toThrow(new RangeError('an LruMap holds at least one entry, not 0'));
    expect(() => new LruMap(1.5)).toThrow(RangeError);
    expect(new LruMap(1).capacity).toBe(1);
  });
});
