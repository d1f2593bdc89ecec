import { odata } from '@azure/data-tables';
import pLimit from 'p-limit';
import { httpStatusOf, messageOf, StoreError } from '../domain/errors.js';
import { historyRowKeyOf } from '../store/historyEntity.js';
import {
  CHECKPOINT_PARTITION, checkpointRowKey, entriesFromEntity, entriesRoot, entriesRowKey, HEAD_ROW, headerFromEntity, headerHash, parseMirrorDocument,
  type CheckpointEntry, type CheckpointHeader, type MirrorDocument,
} from '../store/trailCheckpoints.js';
import { clusterKey } from '../store/tableKeys.js';
import type { ReadOnlyTable } from './auditTables.js';
import type { TamperFinding, TamperProblem, TrailTable } from './chainAnalysis.js';
import type { CheckpointMirrorReader, MirroredBlob } from './checkpointMirror.js';
import { tableRows } from './tableRows.js';

/**
 * The checkpoints as `verify` holds the trail to them (store/trailCheckpoints.ts writes them). The
 * headers are read first, checked (each matches its hash, each chains to the one before, the head
 * names the newest) and compared with the mirror, which wins where the two differ; then, one
 * subscription at a time alongside its history, each checkpoint's entries are checked against their
 * root and against the history: every row a checkpoint names must be there.
 */

/** What a checkpoint expects of one subscription. */
export interface ExpectedSlice {
  seq: number;
  recordedBy: string;
  part: number;
  recordedAt: Date;
  count: number;
  root: string;
  /** The mirror holds this checkpoint (its entries can be read there when the table's are gone or wrong). */
  mirrored?: MirroredBlob;
}

export interface CheckpointReading {
  findings: TamperFinding[];
  /** Checkpoints known, in the table or the mirror. */
  count: number;
  /** With a mirror: how many checkpoints it holds, and how many of the table's it does not hold (yet). */
  mirror?: { checkpoints: number; unmirrored: number };
  /** What the checkpoints expect, by subscription partition. */
  slices: Map<string, ExpectedSlice[]>;
}

const maxOf = (values: Iterable<number>) => {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
};
const short = (hash: string) => (hash ? hash.slice(0, 12) : "''");
const finding = (problem: TamperProblem, table: TrailTable, partitionKey: string, rowKey: string, detail: string): TamperFinding => ({ problem, table, partitionKey, rowKey, clusterId: '', detail });

/** The header part of a mirror document, and whether the document is whole (hash and roots match). */
function headerOfDocument(doc: MirrorDocument): CheckpointHeader | undefined {
  const header = { ...doc, partitions: doc.partitions.map(({ partition, count, root }) => ({ partition, count, root })) };
  if (headerHash(header) !== doc.hash) return undefined;
  const whole = doc.partitions.every((s) => s.entries.length === s.count && entriesRoot(s.entries) === s.root);
  return whole ? header : undefined;
}

export async function readCheckpoints(table: ReadOnlyTable, mirror?: CheckpointMirrorReader): Promise<CheckpointReading> {
  const findings: TamperFinding[] = [];
  const tableHeaders = new Map<number, CheckpointHeader>();
  let head: { seq: number; hash: string } | undefined;
  for await (const row of tableRows(table, { filter: odata`PartitionKey eq ${CHECKPOINT_PARTITION}` })) {
    if (row.rowKey === HEAD_ROW) {
      head = { seq: typeof row['seq'] === 'number' ? row['seq'] : 0, hash: typeof row['hash'] === 'string' ? row['hash'] : '' };
      continue;
    }
    const header = headerFromEntity(row);
    if (!header) {
      findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, row.rowKey!, 'it cannot be read as a checkpoint'));
    } else if (checkpointRowKey(header.seq) !== row.rowKey || headerHash(header) !== header.hash) {
      findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, row.rowKey!, 'the checkpoint does not match its hash (or the key it is stored under)'));
    } else {
      tableHeaders.set(header.seq, header);
    }
  }

  const mirrorHeaders = new Map<number, { header: CheckpointHeader; blob: MirroredBlob }>();
  if (mirror) {
    const blobs: MirroredBlob[] = [];
    try {
      for await (const blob of mirror.blobs()) blobs.push(blob);
    } catch (error) {
      const missing = httpStatusOf(error) === 404;
      throw new StoreError(`the checkpoint mirror at ${mirror.where} (CHECKPOINT_MIRROR) ${missing ? 'does not exist' : `cannot be read: ${messageOf(error)}`}`, { cause: error });
    }
    const slots = pLimit(8);
    await Promise.all(blobs.map((blob) => slots(async () => {
      if (blob.versions.length > 1) {
        findings.push(finding('altered', 'CheckpointMirror', '', blob.name, `the mirror's copy of checkpoint ${blob.seq} was written over (${blob.versions.length} versions); its first version is the one the trail is held to`));
      }
      const doc = parseMirrorDocument(await mirror.read(blob));
      const header = doc && doc.seq === blob.seq ? headerOfDocument(doc) : undefined;
      if (!header) {
        findings.push(finding('altered', 'CheckpointMirror', '', blob.name, `the mirror's copy of checkpoint ${blob.seq} cannot be read or does not match its hash`));
        return;
      }
      mirrorHeaders.set(header.seq, { header, blob });
    })));
    for (const [seq, { header }] of mirrorHeaders) {
      const stored = tableHeaders.get(seq);
      if (!stored) {
        findings.push(finding('removed', 'TrailCheckpoints', CHECKPOINT_PARTITION, checkpointRowKey(seq),
          `checkpoint ${seq} (${header.recordedBy}, ${header.recordedAt.toISOString()}) is in the mirror but gone from the table`));
      } else if (stored.hash !== header.hash) {
        findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, checkpointRowKey(seq),
          `checkpoint ${seq} differs from its copy in the mirror (hash ${short(stored.hash)} here, ${short(header.hash)} there); the trail is held to the mirror's`));
      }
    }
  }

  // The checkpoints the trail is held to: the mirror's where it has them, else the table's.
  const truth = new Map(tableHeaders);
  for (const [seq, { header }] of mirrorHeaders) truth.set(seq, header);
  const newest = Math.max(head?.seq ?? 0, maxOf(truth.keys()));
  let gapFrom: number | undefined;
  const closeGap = (before: number) => {
    if (gapFrom === undefined) return;
    const range = gapFrom === before - 1 ? `checkpoint ${gapFrom} is` : `checkpoints ${gapFrom} to ${before - 1} are`;
    findings.push(finding('removed', 'TrailCheckpoints', CHECKPOINT_PARTITION, checkpointRowKey(gapFrom),
      `${range} gone${before <= newest ? `: checkpoint ${before} chains to hash ${short(truth.get(before)!.previous)}, which no checkpoint has` : ': the head names a newer checkpoint than the table holds'}`));
    gapFrom = undefined;
  };
  for (let seq = 1; seq <= newest; seq++) {
    const header = truth.get(seq);
    if (!header) {
      gapFrom ??= seq;
      continue;
    }
    closeGap(seq);
    const before = truth.get(seq - 1);
    if ((before && header.previous !== before.hash) || (seq === 1 && header.previous !== '')) {
      findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, checkpointRowKey(seq),
        `checkpoint ${seq} does not chain to checkpoint ${seq - 1} (it names hash ${short(header.previous)}${before ? `, that one hashes to ${short(before.hash)}` : ''}): one of the two was replaced`));
    }
  }
  closeGap(newest + 1);
  const newestInTable = maxOf(tableHeaders.keys());
  if (head && head.seq === newestInTable && newestInTable > 0 && head.hash !== tableHeaders.get(newestInTable)!.hash) {
    findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, HEAD_ROW, `the head names checkpoint ${head.seq} with hash ${short(head.hash)}, but that checkpoint hashes to ${short(tableHeaders.get(newestInTable)!.hash)}`));
  } else if (head && head.seq < newestInTable) {
    findings.push(finding('altered', 'TrailCheckpoints', CHECKPOINT_PARTITION, HEAD_ROW, `the head names checkpoint ${head.seq}, but the table holds checkpoints up to ${newestInTable}`));
  } else if (!head && tableHeaders.size > 0) {
    findings.push(finding('removed', 'TrailCheckpoints', CHECKPOINT_PARTITION, HEAD_ROW, 'the head row, which names the newest checkpoint, is gone'));
  }

  const slices = new Map<string, ExpectedSlice[]>();
  for (const header of truth.values()) {
    const mirrored = mirrorHeaders.get(header.seq)?.blob;
    for (const slice of header.partitions) {
      const expected: ExpectedSlice = { seq: header.seq, recordedBy: header.recordedBy, part: header.part, recordedAt: header.recordedAt, count: slice.count, root: slice.root, ...(mirrored ? { mirrored } : {}) };
      slices.set(slice.partition, [...(slices.get(slice.partition) ?? []), expected]);
    }
  }
  return {
    findings,
    count: truth.size,
    ...(mirror ? { mirror: { checkpoints: mirrorHeaders.size, unmirrored: [...tableHeaders.keys()].filter((seq) => !mirrorHeaders.has(seq)).length } } : {}),
    slices,
  };
}

/**
 * One subscription's checkpoint entries against its history: `hashesOf` gives, per cluster key, the
 * hashes of the history rows it has (absent: the cluster has none). Every row a checkpoint names
 * must be there; a cluster of which none is left is named once, for its whole trail.
 */
export async function sliceFindings(
  table: ReadOnlyTable,
  mirror: CheckpointMirrorReader | undefined,
  partition: string,
  expected: readonly ExpectedSlice[],
  hashesOf: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<TamperFinding[]> {
  const findings: TamperFinding[] = [];
  const byRow = new Map<string, ExpectedSlice[]>();
  for (const slice of expected) {
    const rowKey = entriesRowKey(slice.recordedBy, slice.part);
    byRow.set(rowKey, [...(byRow.get(rowKey) ?? []), slice]);
  }
  const missing = new Map<string, { clusterId: string; rows: Array<{ rowKey: string; hash: string; seq: number }> }>();
  const check = (slice: ExpectedSlice, entries: readonly CheckpointEntry[]) => {
    for (const [clusterId, hash, rowKey] of entries) {
      const key = clusterKey(clusterId);
      if (hashesOf.get(key)?.has(hash)) continue;
      const gone = missing.get(key) ?? { clusterId, rows: [] };
      gone.rows.push({ rowKey: rowKey ?? historyRowKeyOf(key, slice.recordedAt, slice.recordedBy), hash, seq: slice.seq });
      missing.set(key, gone);
    }
  };
  const fromMirror = async (slice: ExpectedSlice): Promise<CheckpointEntry[] | undefined> => {
    if (!mirror || !slice.mirrored) return undefined;
    const doc = parseMirrorDocument(await mirror.read(slice.mirrored));
    return doc?.partitions.find((s) => s.partition === partition)?.entries;
  };

  const seen = new Set<string>();
  if (byRow.size > 0) {
    for await (const row of tableRows(table, { filter: odata`PartitionKey eq ${partition}` })) {
      const group = byRow.get(row.rowKey!);
      if (!group) continue; // entries of a checkpoint that was never committed (its scan stopped first)
      seen.add(row.rowKey!);
      const stored = entriesFromEntity(row);
      for (const slice of group) {
        let entries: CheckpointEntry[] | undefined = stored;
        if (!entries || entries.length !== slice.count || entriesRoot(entries) !== slice.root) {
          findings.push(finding('altered', 'TrailCheckpoints', partition, row.rowKey!, `the entries of checkpoint ${slice.seq} for this subscription do not match the checkpoint's root`));
          entries = await fromMirror(slice);
        }
        if (entries) check(slice, entries);
      }
    }
  }
  for (const [rowKey, group] of byRow) {
    if (seen.has(rowKey)) continue;
    for (const slice of group) {
      findings.push(finding('removed', 'TrailCheckpoints', partition, rowKey, `the entries of checkpoint ${slice.seq} for this subscription are gone${slice.mirrored ? ' (they are read from the mirror)' : ''}`));
      const entries = await fromMirror(slice);
      if (entries) check(slice, entries);
    }
  }

  for (const [key, { clusterId, rows }] of missing) {
    rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
    const base = { table: 'ComplianceHistory' as const, partitionKey: partition, clusterId };
    if (!hashesOf.has(key)) {
      const last = rows.at(-1)!;
      findings.push({
        ...base, problem: 'removed', rowKey: last.rowKey, missingHash: last.hash,
        detail: `the cluster's whole trail is gone: checkpoints name ${rows.length === 1 ? 'a record' : `${rows.length} records`} of it (this one, the newest, in checkpoint ${last.seq}), and no history row of it is left`,
      });
      continue;
    }
    for (const row of rows) {
      findings.push({ ...base, problem: 'removed', rowKey: row.rowKey, missingHash: row.hash, detail: `checkpoint ${row.seq} names this record (hash ${short(row.hash)}) as the cluster's latest when it was recorded; it is gone` });
    }
  }
  return findings;
}
