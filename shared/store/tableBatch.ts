import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';

/** A transaction holds at most 100 operations and 4 MiB, all in one partition (DESIGN.md). */
const MAX_OPERATIONS = 100;
const MAX_BYTES = 3.5 * 1024 * 1024; // headroom under 4 MiB for the batch envelope

/** Upserts entities (Replace), grouped by partition into as few transactions as the limits allow. */
export async function upsertInBatches(table: TableClient, entities: readonly TableEntity[]): Promise<void> {
  const byPartition = new Map<string, TableEntity[]>();
  for (const entity of entities) {
    const group = byPartition.get(entity.partitionKey) ?? [];
    group.push(entity);
    byPartition.set(entity.partitionKey, group);
  }
  for (const group of byPartition.values()) {
    let batch: TransactionAction[] = [];
    let bytes = 0;
    for (const entity of group) {
      const size = JSON.stringify(entity).length * 2;
      if (batch.length === MAX_OPERATIONS || (batch.length > 0 && bytes + size > MAX_BYTES)) {
        await table.submitTransaction(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(['upsert', entity, 'Replace']);
      bytes += size;
    }
    if (batch.length > 0) await table.submitTransaction(batch);
  }
}

/** Creates the table unless it exists. */
export async function ensureTable(table: TableClient): Promise<void> {
  try {
    await table.createTable();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
  }
}
