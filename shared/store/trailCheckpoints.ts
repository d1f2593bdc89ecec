import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { isConflict, isNotFound } from '../domain/errors.js';
import { canonicalJson, sha256Hex } from './canonicalJson.js';
import { chunkedProperty, clusterKey, readChunkedProperty } from './tableKeys.js';

/**
 * TrailCheckpoints: the fleet's anchor. Each scan (and each recorded deletion) ends with a checkpoint
 * over the clusters it recorded and the hash of the row it recorded for each, chained to the
 * previous checkpoint. A cluster's chain proves every row before its latest one; a checkpoint proves
 * the latest ones, so that removing a cluster's whole trail (every row and its latest state), or a
 * whole subscription's, is seen: the checkpoint still names the rows.
 *
 * Rows (all within Table Storage's limits: an entity below 1 MiB, a transaction of two operations):
 * - partition `checkpoints`, row `cp|<seq>`: the header. Its sequence number, what wrote it, when, the
 *   hash of the previous header, and per subscription the number of entries and their root (the
 *   SHA-256 of the sorted entries); `hash` is the SHA-256 of all that. Row `head` names the newest
 *   header; a header and the head move together in one transaction (ETag-conditional), so
 *   concurrent scans chain their checkpoints one after another instead of forking.
 * - partition `<subscription key>` (the history's partition), row `<recordedBy>|<part>`: the entries
 *   of one subscription, `[cluster id, hash, history row key]` sorted by cluster key, so `verify` reads a
 *   subscription's entries with its history rows, one partition at a time. (Entries written before
 *   checkpoints grouped several recordings have no row key: it is the header's `recordedBy` and `recordedAt`.)
 * The recordings that reach the writer while it commits (an event storm's rescans) wait and are then
 * checkpointed together, as one checkpoint: every checkpoint chains to one head, so committing them
 * one by one would make each rescan wait for all before it.
 * A scan's checkpoint holds at most 2000 subscriptions of at most 1000 entries each; a larger scan
 * writes several (its `part`s).
 *
 * A mirror (an Azure Blob container with a version-level immutability policy) keeps each header with
 * its entries as `checkpoints/<seq>.json`, written once and never overwritten by the store.
 */
export const TRAIL_CHECKPOINTS_TABLE = 'TrailCheckpoints';
export const CHECKPOINT_PARTITION = 'checkpoints';
export const HEAD_ROW = 'head';

const ENTRIES_PER_SLICE = 1000;
const SLICES_PER_CHECKPOINT = 2000;
/** How many older checkpoints a scan looks for in the mirror, and uploads when missing (a mirror write that failed earlier). */
const MIRROR_CATCH_UP = 10;

/** `[cluster id, hash of the row recorded for it, that row's key]` (the key absent in older checkpoints). */
export type CheckpointEntry = [clusterId: string, hash: string, historyRowKey?: string];

export interface CheckpointSlice {
  /** The subscription's partition key (the history's). */
  partition: string;
  count: number;
  /** SHA-256 of the slice's entries, sorted by cluster key. */
  root: string;
}

export interface CheckpointHeader {
  seq: number;
  /**
   * The scan id, or `event-<id>` for a deletion; `<first>+<n>` when n more recordings joined the first.
   * In entries without a row key, it gives the history row key with `recordedAt` and the cluster.
   */
  recordedBy: string;
  part: number;
  recordedAt: Date;
  /** The previous header's hash; '' for the first. */
  previous: string;
  partitions: CheckpointSlice[];
  hash: string;
}

/** What the store recorded for one cluster, to be checkpointed. */
export interface RecordedRow {
  partition: string;
  clusterId: string;
  hash: string;
  /** The history row's key. */
  rowKey: string;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
export const checkpointRowKey = (seq: number) => `cp|${pad(seq, 12)}`;
export const entriesRowKey = (recordedBy: string, part: number) => `${recordedBy}|${pad(part, 4)}`;
export const mirrorBlobName = (seq: number) => `checkpoints/${pad(seq, 12)}.json`;

export function entriesRoot(entries: readonly CheckpointEntry[]): string {
  return sha256Hex(canonicalJson(entries));
}

export function headerHash(header: Omit<CheckpointHeader, 'hash'>): string {
  const { seq, recordedBy, part, recordedAt, previous, partitions } = header;
  return sha256Hex(canonicalJson({ seq, recordedBy, part, recordedAt, previous, partitions }));
}

export function headerEntity(header: CheckpointHeader): TableEntity {
  return {
    partitionKey: CHECKPOINT_PARTITION,
    rowKey: checkpointRowKey(header.seq),
    schemaVersion: 1,
    seq: header.seq,
    recordedBy: header.recordedBy,
    part: header.part,
    recordedAt: header.recordedAt,
    previous: header.previous,
    hash: header.hash,
    ...chunkedProperty('partitionsJson', JSON.stringify(header.partitions)),
  };
}

/** A header row read back, or undefined when it cannot be read as one. */
export function headerFromEntity(row: Record<string, unknown>): CheckpointHeader | undefined {
  const recordedAt = row['recordedAt'] instanceof Date ? row['recordedAt'] : typeof row['recordedAt'] === 'string' ? new Date(row['recordedAt']) : undefined;
  const json = readChunkedProperty(row, 'partitionsJson');
  if (typeof row['seq'] !== 'number' || typeof row['recordedBy'] !== 'string' || typeof row['part'] !== 'number' || !recordedAt || Number.isNaN(recordedAt.getTime())) return undefined;
  if (typeof row['previous'] !== 'string' || typeof row['hash'] !== 'string' || json === undefined) return undefined;
  const partitions = parseSlices(json);
  if (!partitions) return undefined;
  return { seq: row['seq'], recordedBy: row['recordedBy'], part: row['part'], recordedAt, previous: row['previous'], partitions, hash: row['hash'] };
}

function parseSlices(json: string): CheckpointSlice[] | undefined {
  try {
    const value = JSON.parse(json) as unknown;
    if (!Array.isArray(value)) return undefined;
    const ok = value.every((s) => s && typeof s.partition === 'string' && typeof s.count === 'number' && typeof s.root === 'string');
    return ok ? (value as CheckpointSlice[]).map(({ partition, count, root }) => ({ partition, count, root })) : undefined;
  } catch {
    return undefined;
  }
}

export function entriesEntity(partition: string, recordedBy: string, part: number, recordedAt: Date, entries: readonly CheckpointEntry[]): TableEntity {
  return {
    partitionKey: partition,
    rowKey: entriesRowKey(recordedBy, part),
    schemaVersion: 1,
    recordedBy,
    part,
    recordedAt,
    ...chunkedProperty('entriesJson', JSON.stringify(entries)),
  };
}

export function entriesFromEntity(row: Record<string, unknown>): CheckpointEntry[] | undefined {
  const json = readChunkedProperty(row, 'entriesJson');
  if (json === undefined) return undefined;
  try {
    const value = JSON.parse(json) as unknown;
    const ok = Array.isArray(value) && value.every((e) => Array.isArray(e) && (e.length === 2 || (e.length === 3 && typeof e[2] === 'string')) && typeof e[0] === 'string' && typeof e[1] === 'string');
    return ok ? (value as CheckpointEntry[]) : undefined;
  } catch {
    return undefined;
  }
}

/** A checkpoint as the mirror keeps it: the header, each slice with its entries. */
export interface MirrorDocument extends Omit<CheckpointHeader, 'partitions'> {
  partitions: Array<CheckpointSlice & { entries: CheckpointEntry[] }>;
}

export function mirrorDocumentText(header: CheckpointHeader, entriesOf: ReadonlyMap<string, readonly CheckpointEntry[]>): string {
  return `${canonicalJson({ ...header, partitions: header.partitions.map((s) => ({ ...s, entries: entriesOf.get(s.partition) ?? [] })) })}\n`;
}

/** A mirror blob read back, or undefined when it is not a checkpoint document. */
export function parseMirrorDocument(text: string): MirrorDocument | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const header = headerFromEntity({ ...value, partitionsJson: JSON.stringify(value['partitions'] ?? null) });
  if (!header || !Array.isArray(value['partitions'])) return undefined;
  const partitions = (value['partitions'] as Array<Record<string, unknown>>).map((slice, i) => {
    const entries = entriesFromEntity({ entriesJson: JSON.stringify(slice['entries'] ?? null) });
    return entries ? { ...header.partitions[i]!, entries } : undefined;
  });
  if (partitions.some((s) => s === undefined)) return undefined;
  return { ...header, partitions: partitions as MirrorDocument['partitions'] };
}

/** Sorted, split into checkpoints of at most 2000 subscriptions of at most 1000 entries each. */
export function checkpointParts(rows: readonly RecordedRow[]): Array<Map<string, CheckpointEntry[]>> {
  const byPartition = new Map<string, CheckpointEntry[]>();
  for (const row of rows) {
    const entries = byPartition.get(row.partition) ?? [];
    entries.push([row.clusterId, row.hash, row.rowKey]);
    byPartition.set(row.partition, entries);
  }
  const parts: Array<Map<string, CheckpointEntry[]>> = [];
  let current = new Map<string, CheckpointEntry[]>();
  for (const partition of [...byPartition.keys()].sort()) {
    const entries = byPartition.get(partition)!.sort((a, b) => compare(clusterKey(a[0]), clusterKey(b[0])));
    for (let i = 0; i < entries.length; i += ENTRIES_PER_SLICE) {
      if (current.has(partition) || current.size === SLICES_PER_CHECKPOINT) {
        parts.push(current);
        current = new Map();
      }
      current.set(partition, entries.slice(i, i + ENTRIES_PER_SLICE));
    }
  }
  if (current.size > 0) parts.push(current);
  return parts;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Where checkpoints are mirrored: create-only blobs (store/checkpointMirror.ts over a blob container). */
export interface CheckpointMirrorWriter {
  has(seq: number): Promise<boolean>;
  /** Writes the blob unless it exists (never overwrites). */
  put(seq: number, text: string): Promise<void>;
}

/** One recording waiting for its checkpoint. */
interface WaitingRecording {
  recordedBy: string;
  recordedAt: Date;
  rows: readonly RecordedRow[];
  done: (seqs: number[]) => void;
  failed: (error: unknown) => void;
}

/** Writes checkpoints: entries first, then the header with the head in one transaction, then the mirror. */
export class CheckpointWriter {
  /** Recordings that arrived while a checkpoint was being written: the next one covers them all. */
  private waiting: WaitingRecording[] = [];
  private writing = false;

  constructor(
    private readonly table: TableClient,
    private readonly mirror?: CheckpointMirrorWriter,
  ) {}

  /**
   * Checkpoints what one scan (or deletion) recorded; returns the sequence numbers of the checkpoints
   * that hold it. Recordings of this process that meet while one is written are grouped into the
   * next; other processes are met by the head's ETag.
   */
  record(recordedBy: string, recordedAt: Date, rows: readonly RecordedRow[]): Promise<number[]> {
    return new Promise((done, failed) => {
      this.waiting.push({ recordedBy, recordedAt, rows, done, failed });
      if (!this.writing) void this.writeWaiting();
    });
  }

  private async writeWaiting(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting;
      this.waiting = [];
      try {
        const first = group[0]!;
        const recordedBy = group.length === 1 ? first.recordedBy : `${first.recordedBy}+${group.length - 1}`;
        const seqs = await this.write(recordedBy, first.recordedAt, group.flatMap((g) => g.rows));
        for (const g of group) g.done(seqs);
      } catch (error) {
        for (const g of group) g.failed(error);
      }
    }
    this.writing = false;
  }

  private async write(recordedBy: string, recordedAt: Date, rows: readonly RecordedRow[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const [part, slices] of checkpointParts(rows).entries()) {
      await Promise.all([...slices].map(([partition, entries]) => this.table.upsertEntity(entriesEntity(partition, recordedBy, part, recordedAt, entries), 'Replace')));
      const partitions = [...slices].map(([partition, entries]) => ({ partition, count: entries.length, root: entriesRoot(entries) }));
      const header = await this.commit({ recordedBy, part, recordedAt, partitions });
      seqs.push(header.seq);
      if (this.mirror) {
        await this.mirror.put(header.seq, mirrorDocumentText(header, slices));
        await this.catchUp(header.seq);
      }
    }
    return seqs;
  }

  private async commit(content: Pick<CheckpointHeader, 'recordedBy' | 'part' | 'recordedAt' | 'partitions'>): Promise<CheckpointHeader> {
    for (let attempt = 0; ; attempt++) {
      const head = await this.head();
      const unhashed = { ...content, seq: (head?.seq ?? 0) + 1, previous: head?.hash ?? '' };
      const header = { ...unhashed, hash: headerHash(unhashed) };
      const headEntity = { partitionKey: CHECKPOINT_PARTITION, rowKey: HEAD_ROW, seq: header.seq, hash: header.hash };
      const actions: TransactionAction[] = [
        ['create', headerEntity(header)],
        head?.etag ? ['update', headEntity, 'Replace', { etag: head.etag }] : ['create', headEntity],
      ];
      try {
        await this.table.submitTransaction(actions);
        return header;
      } catch (error) {
        // Another process checkpointed first: chain to its checkpoint instead.
        if (!isConflict(error) || attempt >= 30) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * Math.min(attempt + 1, 10)));
      }
    }
  }

  /** The head; without one (the first checkpoint, or the head row was removed), the newest header (its `etag` then absent). */
  private async head(): Promise<{ seq: number; hash: string; etag?: string } | undefined> {
    try {
      const row = await this.table.getEntity<{ seq: number; hash: string }>(CHECKPOINT_PARTITION, HEAD_ROW);
      return { seq: row.seq, hash: row.hash, etag: row.etag };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    let newest: CheckpointHeader | undefined;
    const headers = this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter: odata`PartitionKey eq ${CHECKPOINT_PARTITION} and RowKey ge ${'cp|'} and RowKey lt ${'cp|~'}` },
    });
    for await (const row of headers) newest = headerFromEntity(row) ?? newest;
    return newest && { seq: newest.seq, hash: newest.hash };
  }

  /** Mirrors the checkpoints just before `seq` that the mirror lacks (an upload that failed), a few at most. */
  private async catchUp(seq: number): Promise<void> {
    for (let earlier = seq - 1; earlier >= 1 && earlier >= seq - MIRROR_CATCH_UP; earlier--) {
      if (await this.mirror!.has(earlier)) return;
      const text = await this.documentOf(earlier);
      if (text === undefined) return;
      await this.mirror!.put(earlier, text);
    }
  }

  private async documentOf(seq: number): Promise<string | undefined> {
    let header: CheckpointHeader | undefined;
    try {
      header = headerFromEntity(await this.table.getEntity(CHECKPOINT_PARTITION, checkpointRowKey(seq)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    if (!header) return undefined;
    const entriesOf = new Map<string, CheckpointEntry[]>();
    for (const slice of header.partitions) {
      const row = await this.table.getEntity(slice.partition, entriesRowKey(header.recordedBy, header.part)).catch((error: unknown) => {
        if (isNotFound(error)) return undefined;
        throw error;
      });
      const entries = row && entriesFromEntity(row);
      if (!entries) return undefined;
      entriesOf.set(slice.partition, entries);
    }
    return mirrorDocumentText(header, entriesOf);
  }
}
