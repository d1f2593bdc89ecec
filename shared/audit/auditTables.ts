import type { TableClient } from '@azure/data-tables';
import { isNotFound } from '../domain/errors.js';
import type { CheckpointMirrorReader } from './checkpointMirror.js';

/**
 * A table an auditor's code may read: list and get, nothing else. Handlers and reports receive only
 * this, so nothing in the audit API or the reports can write, even by mistake.
 */
export type ReadOnlyTable = Pick<TableClient, 'listEntities' | 'getEntity'>;

/** The trail's tables (store/complianceStore.ts ComplianceTables), seen read-only; opening them creates nothing. */
export interface AuditTables {
  /** ClusterState: the latest verdict of each cluster. */
  state: ReadOnlyTable;
  /** ComplianceHistory: the hash-chained trail. */
  history: ReadOnlyTable;
  /** ScanRuns: one row per scan. */
  scans: ReadOnlyTable;
  /** TrailCheckpoints: the latest hashes of the clusters each scan recorded, chained. */
  checkpoints: ReadOnlyTable;
  /** TrailIntents: writes of the store not finished yet (their rows are `incomplete`, not forged). */
  intents: ReadOnlyTable;
  /** The checkpoint mirror (CHECKPOINT_MIRROR), when there is one: list and download only. */
  mirror?: CheckpointMirrorReader;
}

/** A table that was never written (no scan yet) reads as empty, not as an error. */
export function isMissingTable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return isNotFound(error) && (code === undefined || code === 'TableNotFound' || code === 'ResourceNotFound');
}
