import { odata } from '@azure/data-tables';
import type { ReadOnlyTable } from './auditTables.js';
import { historyRecordFromEntity } from '../store/historyEntity.js';
import type { HistoryRecord } from '../store/historyRecord.js';
import { clusterKey, subscriptionKey } from '../store/tableKeys.js';
import { readPage, type Page, type PageRequest } from './tablePages.js';
import { textOf, type TableRow } from './tableRows.js';

/** A history row as auditors read it: the record, its hash, and where it is stored. */
export type HistoryEntry =
  | (HistoryRecord & { hash: string; partitionKey: string; rowKey: string })
  | { kind: 'unreadable'; partitionKey: string; rowKey: string; problem: string };

export interface TimeRange {
  from?: Date;
  to?: Date;
}

export function historyEntryFromRow(row: TableRow): HistoryEntry {
  try {
    return { ...historyRecordFromEntity(row), hash: textOf(row, 'hash'), partitionKey: row.partitionKey!, rowKey: row.rowKey! };
  } catch (error) {
    return { kind: 'unreadable', partitionKey: row.partitionKey!, rowKey: row.rowKey!, problem: (error as Error).message };
  }
}

/**
 * The OData filter for one cluster's rows in a time range. Row keys are `<clusterKey>|<ISO time>|<by>`,
 * so a range of times is a range of row keys: '}' sorts right after '|' (everything of the cluster
 * is below `<clusterKey>}`), and '~' after any character a scan id or event id starts with.
 */
export function clusterHistoryQuery(subscriptionId: string, clusterId: string, range: TimeRange): string {
  const key = clusterKey(clusterId);
  const lower = range.from ? `${key}|${range.from.toISOString()}` : `${key}|`;
  const upper = range.to ? `${key}|${range.to.toISOString()}|~` : `${key}}`;
  return odata`PartitionKey eq ${subscriptionKey(subscriptionId)} and RowKey ge ${lower} and RowKey le ${upper}`;
}

/** One page of a cluster's history, oldest first. */
export function clusterHistoryPage(history: ReadOnlyTable, subscriptionId: string, clusterId: string, range: TimeRange, page: PageRequest): Promise<Page<HistoryEntry>> {
  return readPage(history, { filter: clusterHistoryQuery(subscriptionId, clusterId, range) }, page, historyEntryFromRow);
}
