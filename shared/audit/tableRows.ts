import type { ListTableEntitiesOptions, TableEntityResult } from '@azure/data-tables';
import { isNotFound } from '../domain/errors.js';
import { isMissingTable, type ReadOnlyTable } from './auditTables.js';

export type TableRow = TableEntityResult<Record<string, unknown>>;

/** Every row matching the query, in key order (PartitionKey, then RowKey); none when the table does not exist. */
export async function* tableRows(table: ReadOnlyTable, queryOptions: ListTableEntitiesOptions['queryOptions'] = {}): AsyncGenerator<TableRow> {
  try {
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions })) yield row;
  } catch (error) {
    if (!isMissingTable(error)) throw error;
  }
}

/** One row, or undefined when it (or its table) does not exist. */
export async function tableRow(table: ReadOnlyTable, partitionKey: string, rowKey: string): Promise<TableRow | undefined> {
  try {
    return await table.getEntity<Record<string, unknown>>(partitionKey, rowKey);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A property as text, or '' when it is absent or not text. */
export function textOf(row: Record<string, unknown>, name: string): string {
  const value = row[name];
  return typeof value === 'string' ? value : '';
}

/** A DateTime property (the SDK returns Date or ISO text), or undefined when it is not a date. */
export function dateOf(row: Record<string, unknown>, name: string): Date | undefined {
  const value = row[name];
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
