import type { TableClient } from '@azure/data-tables';
import { TABLE_NAMES } from '../store/complianceStore.js';
import { tableClient, type StorageTarget } from '../wiring/storageTarget.js';

/**
 * A table an auditor's code may read: list and get, nothing else. Handlers and reports receive only
 * this, so nothing in the audit API or the reports can write, even by mistake.
 */
export type ReadOnlyTable = Pick<TableClient, 'listEntities' | 'getEntity'>;

export interface AuditTables {
  /** ClusterState: the latest verdict of each cluster. */
  state: ReadOnlyTable;
  /** ComplianceHistory: the hash-chained trail. */
  history: ReadOnlyTable;
  /** ScanRuns: one row per scan. */
  scans: ReadOnlyTable;
}

/** The compliance tables, opened for reading only: unlike ComplianceStore.open, this creates no table. */
export function openAuditTables(target: StorageTarget): AuditTables {
  return {
    state: tableClient(target, TABLE_NAMES.state),
    history: tableClient(target, TABLE_NAMES.history),
    scans: tableClient(target, TABLE_NAMES.scans),
  };
}

/** A table that was never written (no scan yet) reads as empty, not as an error. */
export function isMissingTable(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string };
  return e.statusCode === 404 && (e.code === undefined || e.code === 'TableNotFound' || e.code === 'ResourceNotFound');
}
