import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { httpStatusOf } from '../domain/errors.js';

/** Above this many rows of one partition, one query of the partition beats a read per row. */
export const POINT_READS_AT_MOST = 4;

/** A transaction holds at most 100 operations and 4 MiB, all in one partition (Table Storage's limits). */
const MAX_OPERATIONS = 100;
const MAX_BYTES = 3.5 * 1024 * 1024; // headroom under 4 MiB for the batch envelope

/**
 * Groups actions into transactions: one partition each, within the operation and size limits.
 * An action is `[kind, entity, ...]`, so its entity's partition decides its group.
 */
export function transactionsOf(actions: readonly TransactionAction[]): TransactionAction[][] {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const action of actions) {
    const partition = action[1].partitionKey;
    const group = byPartition.get(partition) ?? [];
    group.push(action);
    byPartition.set(partition, group);
  }
  const transactions: TransactionAction[][] = [];
  for (const group of byPartition.values()) transactions.push(...batchesOf(group));
  return transactions;
}

/**
 * One partition's actions in batches of at most MAX_OPERATIONS and MAX_BYTES. A batch is sized by
 * the cheap bound of its entities first and serialised to be sized exactly only once the bound
 * nears the limit: the batches are exactly those that sizing every entity would give (the bound is
 * never below the exact size), without a JSON text of every row, which cost as much as the rows.
 */
function batchesOf(group: readonly TransactionAction[]): TransactionAction[][] {
  const batches: TransactionAction[][] = [];
  let batch: TransactionAction[] = [];
  let bytes = 0;
  let exact = false;
  const close = () => {
    batches.push(batch);
    batch = [];
    bytes = 0;
    exact = false;
  };
  for (const action of group) {
    if (batch.length === MAX_OPERATIONS) close();
    let size = exact ? exactBytes(action[1]) : boundBytes(action[1]);
    if (!exact && bytes + size > MAX_BYTES) {
      exact = true;
      bytes = batch.reduce((sum, a) => sum + exactBytes(a[1]), 0);
      size = exactBytes(action[1]);
    }
    if (batch.length > 0 && bytes + size > MAX_BYTES) close();
    batch.push(action);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The entity's JSON text, in bytes of UTF-16. */
export const exactBytes = (entity: object): number => JSON.stringify(entity).length * 2;

/**
 * At least `exactBytes`: a string's JSON is at most 6 characters a character (`\uXXXX`) and its quotes;
 * a number, boolean, null or date (an ISO string) at most 32; anything else is measured exactly.
 */
export function boundBytes(entity: object): number {
  let chars = 2;
  for (const [key, value] of Object.entries(entity)) {
    chars += 6 * key.length + 4; // the key's quotes, the colon, the comma
    if (typeof value === 'string') chars += 6 * value.length + 2;
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined || value instanceof Date) chars += 32;
    else chars += JSON.stringify(value)?.length ?? 0;
  }
  return chars * 2;
}

/** Upserts entities (Replace) in as few transactions as the limits allow. */
export async function upsertInBatches(table: TableClient, entities: readonly TableEntity[]): Promise<void> {
  for (const transaction of transactionsOf(entities.map((entity): TransactionAction => ['upsert', entity, 'Replace']))) {
    await table.submitTransaction(transaction);
  }
}

/** Creates the table unless it exists. */
export async function ensureTable(table: TableClient): Promise<void> {
  try {
    await table.createTable();
  } catch (error) {
    if (httpStatusOf(error) !== 409) throw error;
  }
}
