import { randomUUID } from 'node:crypto';
import type { TableEntity } from '@azure/data-tables';
import { chunkedProperty, readChunkedProperty } from './tableKeys.js';

/**
 * TrailIntents: what the store is about to append, written before it appends it. A write to the
 * trail takes several requests (the history rows, then the latest states, each in transactions of
 * at most 100 rows), and a Functions invocation can be stopped between any two of them (a timeout,
 * a SIGKILL, a 503 that outlives the retries). The intent names the history rows the write is about
 * to add; it is removed once every one of them is chained (the cluster's latest state moved onto
 * it). A row that an intent names and that nothing chains to is the store's own unfinished write,
 * not a forgery: `verify` calls it `incomplete`, and the next scan of the subscription completes it
 * (moves the state onto it, or chains it again, or drops it when a newer verdict is recorded).
 *
 * Partition: the subscription (the rows' own partition); row: what wrote it and a random id, so two
 * pages of one scan, or a retried page, have intents of their own.
 */
export const TRAIL_INTENTS_TABLE = 'TrailIntents';

/** Cluster keys per intent row: each names a history row of up to ~350 characters, so a row stays far below 1 MiB. */
const KEYS_PER_ROW = 500;

export interface TrailIntent {
  partitionKey: string;
  rowKey: string;
  /** The scan id, or `event-<id>` for a deletion: the third part of the history row keys. */
  recordedBy: string;
  /** The second part of the history row keys. */
  recordedAt: Date;
  /** When the intent was written (by the writer's clock). */
  createdAt: Date;
  /** The clusters whose rows the write appends: the first part of the history row keys. */
  clusterKeys: string[];
  etag?: string;
}

/** The intent rows of one partition's write (split so that each stays within the entity size limit). */
export function intentEntities(partitionKey: string, recordedBy: string, recordedAt: Date, clusterKeys: readonly string[], createdAt: Date): TableEntity[] {
  const rows: TableEntity[] = [];
  for (let i = 0; i < clusterKeys.length; i += KEYS_PER_ROW) {
    rows.push({
      partitionKey,
      rowKey: `${recordedBy}|${randomUUID()}`,
      schemaVersion: 1,
      recordedBy,
      recordedAt,
      createdAt,
      ...chunkedProperty('clusterKeysJson', JSON.stringify(clusterKeys.slice(i, i + KEYS_PER_ROW))),
    });
  }
  return rows;
}

/** An intent row as read back; undefined when it is not one (a row the store never writes). */
export function intentFromEntity(row: Record<string, unknown> & { partitionKey?: string; rowKey?: string; etag?: string }): TrailIntent | undefined {
  const date = (value: unknown) => {
    const parsed = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
  };
  const recordedAt = date(row['recordedAt']);
  const createdAt = date(row['createdAt']);
  const json = readChunkedProperty(row, 'clusterKeysJson');
  if (typeof row['recordedBy'] !== 'string' || !recordedAt || !createdAt || json === undefined || !row.partitionKey || !row.rowKey) return undefined;
  let clusterKeys: unknown;
  try {
    clusterKeys = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(clusterKeys) || !clusterKeys.every((k) => typeof k === 'string')) return undefined;
  return { partitionKey: row.partitionKey, rowKey: row.rowKey, recordedBy: row['recordedBy'], recordedAt, createdAt, clusterKeys, ...(row.etag ? { etag: row.etag } : {}) };
}
