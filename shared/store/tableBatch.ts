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
  for (const group of byPartition.values()) {
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
