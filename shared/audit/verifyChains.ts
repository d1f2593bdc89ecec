import { StoreError } from '../domain/errors.js';
import { historyRowKey, historyRowKeyOf } from '../store/historyEntity.js';
import { clusterKey } from '../store/tableKeys.js';
import { intentFromEntity } from '../store/trailIntents.js';
import type { AuditTables } from './auditTables.js';
import { chainFindings, type ChainAnchor, type ChainLink, type TamperFinding } from './chainAnalysis.js';
import { readCheckpoints, sliceFindings } from './checkpointCheck.js';
import { historyRowIntegrity } from './historyRowIntegrity.js';
import { dateOf, tableRows, textOf, type TableRow } from './tableRows.js';

/**
 * - `intact`: there are records, and every one is exactly what the store wrote, where the store wrote it;
 * - `tampered`: a row was altered, removed or inserted (a checkpoint's included);
 * - `incomplete`: nothing was tampered with, but writes of the store stopped halfway (their rows are
 *   named `incomplete`; the next scan of their subscription completes them);
 * - `empty`: there is nothing to verify (no history, no latest state, no checkpoint): most likely
 *   COMPLIANCE_STORAGE does not name the store the scans write to.
 */
export type VerificationOutcome = 'intact' | 'tampered' | 'incomplete' | 'empty';

export interface VerificationResult {
  /** True when there are records and none was altered, removed, inserted or left unfinished. */
  intact: boolean;
  outcome: VerificationOutcome;
  /** True when any row was altered, removed or inserted (`incomplete` rows are not tampering). */
  tampered: boolean;
  verifiedAt: Date;
  /** History rows read. */
  rows: number;
  /** Clusters whose chains were walked. */
  clusters: number;
  /** Checkpoints the rows were held to (the table's, and the mirror's the table lacks). */
  checkpoints: number;
  /** With a checkpoint mirror: how many checkpoints it holds, and how many of the table's it does not hold yet. */
  mirror?: { checkpoints: number; unmirrored: number };
  findings: TamperFinding[];
}

const TABLE_ORDER: readonly TamperFinding['table'][] = ['ComplianceHistory', 'TrailCheckpoints', 'CheckpointMirror'];
const nameOf = (f: TamperFinding) => `${f.table}/${f.partitionKey}/${f.rowKey}`;

interface ClusterChain {
  clusterId: string;
  links: ChainLink[];
}

/**
 * `akscert verify`: walks every cluster's chain in ComplianceHistory, anchored by the hashes in
 * ClusterState, sets aside the rows of the store's own unfinished writes (TrailIntents), holds the
 * rows to every checkpoint (TrailCheckpoints, and its mirror when there is one), and names every row
 * that was altered, removed or inserted. Table Storage returns rows ordered by partition
 * (subscription) and then row key, so one subscription's chains are held at a time, as compact links
 * (keys and hashes, not verdicts), and that subscription's checkpoint entries are read with them.
 */
export async function verifyChains(tables: Pick<AuditTables, 'history' | 'state' | 'checkpoints' | 'intents' | 'mirror'>, now = new Date()): Promise<VerificationResult> {
  const anchors = new Map<string, ChainAnchor & { clusterId: string }>();
  for await (const row of tableRows(tables.state, { select: ['PartitionKey', 'RowKey', 'clusterId', 'hash', 'recordedAt', 'scanId'] })) {
    anchors.set(`${row.partitionKey}/${row.rowKey}`, anchorOf(row));
  }
  const states = anchors.size;
  const unfinished = await unfinishedRows(tables.intents);
  const checkpoints = await readCheckpoints(tables.checkpoints, tables.mirror);

  const findings: TamperFinding[] = [...checkpoints.findings];
  let rows = 0;
  let clusters = 0;
  let partition: string | undefined;
  let chains = new Map<string, ClusterChain>();
  const finished = new Set<string>();
  const walkPartition = async (partitionKey: string, partitionChains: Map<string, ClusterChain>) => {
    const hashesOf = new Map<string, Set<string>>();
    for (const [clusterPrefix, chain] of partitionChains) {
      const key = `${partitionKey}/${clusterPrefix}`;
      chain.links.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
      findings.push(...chainFindings({ partitionKey, clusterId: chain.clusterId }, chain.links, anchors.get(key)));
      hashesOf.set(clusterPrefix, new Set(chain.links.map((l) => l.hash)));
      anchors.delete(key);
      clusters++;
    }
    const expected = checkpoints.slices.get(partitionKey);
    checkpoints.slices.delete(partitionKey);
    if (expected) pushNew(await sliceFindings(tables.checkpoints, tables.mirror, partitionKey, expected, hashesOf));
  };
  // What the chains already name is not named again for a checkpoint: the same row (altered, say), or
  // the same removal (the chain knows the missing hash, or a removal it could not pin to a hash, such
  // as a deletion record's, which the checkpoint names exactly).
  const pushNew = (more: TamperFinding[]) => {
    const named = new Set(findings.map(nameOf));
    const removals = new Set(findings.filter((f) => f.problem === 'removed').map((f) => `${f.partitionKey}/${clusterKey(f.clusterId)}/${f.missingHash ?? ''}`));
    findings.push(...more.filter((f) => {
      if (named.has(nameOf(f))) return false;
      if (f.problem !== 'removed' || !f.clusterId) return true;
      const cluster = `${f.partitionKey}/${clusterKey(f.clusterId)}/`;
      return !removals.has(`${cluster}${f.missingHash ?? ''}`) && !removals.has(cluster);
    }));
  };

  for await (const row of tableRows(tables.history)) {
    rows++;
    if (row.partitionKey !== partition) {
      if (partition !== undefined) await walkPartition(partition, chains);
      if (finished.has(row.partitionKey!)) throw new StoreError('the table returned history rows out of key order; the chains cannot be walked');
      if (partition !== undefined) finished.add(partition);
      partition = row.partitionKey!;
      chains = new Map();
    }
    const clusterPrefix = row.rowKey!.split('|')[0]!;
    const chain = chains.get(clusterPrefix) ?? { clusterId: textOf(row, 'clusterId') || safeDecode(clusterPrefix), links: [] };
    const link = linkOf(row);
    const writer = unfinished.get(`${row.partitionKey}/${row.rowKey}`);
    chain.links.push(writer ? { ...link, unfinished: writer } : link);
    chains.set(clusterPrefix, chain);
  }
  if (partition !== undefined) await walkPartition(partition, chains);

  // Subscriptions the checkpoints name that have no history row at all.
  for (const [partitionKey, expected] of checkpoints.slices) {
    pushNew(await sliceFindings(tables.checkpoints, tables.mirror, partitionKey, expected, new Map()));
  }

  // Latest states whose cluster has no history at all.
  for (const [key, anchor] of anchors) {
    const [partitionKey] = key.split('/');
    pushNew(chainFindings({ partitionKey: partitionKey!, clusterId: anchor.clusterId }, [], anchor));
  }

  const distinct = findings.sort((a, b) => TABLE_ORDER.indexOf(a.table) - TABLE_ORDER.indexOf(b.table) || a.partitionKey.localeCompare(b.partitionKey) || a.rowKey.localeCompare(b.rowKey));
  const tampered = distinct.some((f) => f.problem !== 'incomplete');
  const empty = rows === 0 && states === 0 && checkpoints.count === 0;
  const outcome: VerificationOutcome = empty ? 'empty' : tampered ? 'tampered' : distinct.length > 0 ? 'incomplete' : 'intact';
  return {
    intact: outcome === 'intact',
    outcome,
    tampered,
    verifiedAt: now,
    rows,
    clusters,
    checkpoints: checkpoints.count,
    ...(checkpoints.mirror ? { mirror: checkpoints.mirror } : {}),
    findings: distinct,
  };
}

/** The history rows that intents name (`<partition>/<row key>`), with what wrote them. */
export async function unfinishedRows(intents: AuditTables['intents'], filter?: string): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for await (const row of tableRows(intents, filter ? { filter } : {})) {
    const intent = intentFromEntity(row);
    if (!intent) continue;
    for (const key of intent.clusterKeys) rows.set(`${intent.partitionKey}/${historyRowKeyOf(key, intent.recordedAt, intent.recordedBy)}`, intent.recordedBy);
  }
  return rows;
}

/** A history row as a link of its cluster's chain. */
export function linkOf(row: TableRow): ChainLink {
  const integrity = historyRowIntegrity(row);
  return {
    rowKey: row.rowKey!,
    kind: integrity.record?.kind ?? '',
    hash: textOf(row, 'hash'),
    previousHash: textOf(row, 'previousHash'),
    intact: integrity.intact,
    ...(integrity.intact ? {} : { damage: integrity.damage }),
  };
}

/** A ClusterState row as the anchor of its cluster's chain. */
export function anchorOf(row: TableRow): ChainAnchor & { clusterId: string } {
  const clusterId = textOf(row, 'clusterId') || safeDecode(row.rowKey!);
  const recordedAt = dateOf(row, 'recordedAt');
  const scanId = textOf(row, 'scanId');
  return {
    clusterId,
    hash: textOf(row, 'hash'),
    rowKey: recordedAt && scanId ? historyRowKey(clusterId, recordedAt, scanId) : `${row.rowKey}|(unknown)`,
  };
}

function safeDecode(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}
