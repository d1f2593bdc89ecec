import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { boundBytes, exactBytes, transactionsOf } from '../../../shared/store/tableBatch.js';

const MAX_OPERATIONS = 100;
const MAX_BYTES = 3.5 * 1024 * 1024;

/** Every entity serialised and sized: what transactionsOf must still give, batch for batch. */
function sizedOneByOne(actions: readonly TransactionAction[]): TransactionAction[][] {
  const groups = new Map<string, TransactionAction[]>();
  for (const action of actions) groups.set(action[1].partitionKey, [...(groups.get(action[1].partitionKey) ?? []), action]);
  const transactions: TransactionAction[][] = [];
  for (const group of groups.values()) {
    let batch: TransactionAction[] = [];
    let bytes = 0;
    for (const action of group) {
      const size = JSON.stringify(action[1]).length * 2;
      if (batch.length === MAX_OPERATIONS || (batch.length > 0 && bytes + size > MAX_BYTES)) {
        transactions.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(action);
      bytes += size;
    }
    if (batch.length > 0) transactions.push(batch);
  }
  return transactions;
}

const upsert = (partitionKey: string, rowKey: string, text: string): TransactionAction => [
  'upsert', { partitionKey, rowKey, verdictJson: text, recordedAt: new Date('2026-12-01T00:00:00Z'), schemaVersion: 1, eligible: true }, 'Replace',
];

describe('transactionsOf', () => {
  it('puts a partition of small rows in batches of 100, one partition a batch', () => {
    const actions = Array.from({ length: 250 }, (_, i) => upsert(i % 2 ? 'a' : 'b', `r${i}`, `{"n":${i}}`));
    const batches = transactionsOf(actions);
    expect(batches.map((b) => b.length)).toEqual([100, 25, 100, 25]);
    for (const batch of batches) expect(new Set(batch.map((a) => a[1].partitionKey)).size).toBe(1);
    expect(batches).toEqual(sizedOneByOne(actions));
  });

  it('splits batches where their serialised size would pass 3.5 MiB, exactly as sizing each row would', () => {
    // Rows whose bound passes the limit long before their JSON does (plain text), and rows full of escapes.
    const plain = Array.from({ length: 150 }, (_, i) => upsert('p', `r${i}`, 'x'.repeat(20_000 + i)));
    const quoted = Array.from({ length: 120 }, (_, i) => upsert('q', `r${i}`, '"\u0001'.repeat(6_000 + i)));
    const huge = [upsert('h', 'one', 'y'.repeat(1_000_000)), upsert('h', 'two', 'y'.repeat(900_000)), upsert('h', 'three', 'z')];
    const actions = [...plain, ...quoted, ...huge];
    const batches = transactionsOf(actions);
    expect(batches).toEqual(sizedOneByOne(actions));
    expect(batches.filter((b) => b[0]![1].partitionKey === 'p').map((b) => b.length)).toEqual([90, 60]);
    expect(batches.filter((b) => b[0]![1].partitionKey === 'h').map((b) => b.length)).toEqual([1, 2]);
  });

  it('gives no batches for no actions', () => {
    expect(transactionsOf([])).toEqual([]);
  });
});

describe('boundBytes', () => {
  it('is never below the JSON size of the entity, whatever its strings escape to', () => {
    const entities = [
      { partitionKey: 'p', rowKey: 'r' },
      { partitionKey: '\u0000\u001f"\\', rowKey: '\ud800', note: '\n\t\u2028', n: -2.2250738585072014e-308, ok: false, none: null, gone: undefined },
      { partitionKey: 'p', rowKey: 'r', at: new Date('2026-12-01T00:00:00Z'), bad: new Date(Number.NaN), list: ['a', { b: 1 }] },
    ];
    for (const entity of entities) expect(boundBytes(entity)).toBeGreaterThanOrEqual(exactBytes(entity));
  });

  it('measures what is neither text, number, flag nor date exactly', () => {
    const nested = { list: ['a', { b: 1 }] };
    expect(boundBytes({ partitionKey: 'p', ...nested })).toBe(2 * (2 + (6 * 'partitionKey'.length + 4) + 8 + (6 * 'list'.length + 4) + JSON.stringify(nested.list).length));
  });
});
