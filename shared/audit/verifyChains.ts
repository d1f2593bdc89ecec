import { StoreError } from '../domain/errors.js';
import type { AuditTables } from './auditTables.js';
import { chainFindings, type ChainAnchor, type ChainLink, type TamperFinding } from './chainAnalysis.js';
import { historyRowKey } from '../store/complianceStore.js';
import { historyRowIntegrity } from './historyRowIntegrity.js';
import { dateOf, tableRows, textOf, type TableRow } from './tableRows.js';

export interface VerificationResult {
  /** True when no row was altered, removed or inserted. */
  intact: boolean;
  verifiedAt: Date;
  /** History rows read. */
  rows: number;
  /** Clusters whose chains were walked. */
  clusters: number;
  findings: TamperFinding[];
}

interface ClusterChain {
  clusterId: string;
  links: ChainLink[];
}

/**
 * `akscert verify`: walks every cluster's chain in ComplianceHistory, anchored by the hashes in
 * ClusterState, and names every row that was altered, removed or inserted. Table Storage returns rows
 * ordered by partition (subscription) and then row key, so one subscription's chains are held at a
 * time, as compact links (keys and hashes, not verdicts).
 */
export async function verifyChains(tables: Pick<AuditTables, 'history' | 'state'>, now = new Date()): Promise<VerificationResult> {
  const anchors = new Map<string, ChainAnchor & { clusterId: string }>();
  for await (const row of tableRows(tables.state, { select: ['PartitionKey', 'RowKey', 'clusterId', 'hash', 'recordedAt', 'scanId'] })) {
    anchors.set(`${row.partitionKey}/${row.rowKey}`, anchorOf(row));
  }

  const findings: TamperFinding[] = [];
  let rows = 0;
  let clusters = 0;
  let partition: string | undefined;
  let chains = new Map<string, ClusterChain>();
  const finished = new Set<string>();
  const walkPartition = () => {
    for (const [clusterPrefix, chain] of chains) {
      const key = `${partition}/${clusterPrefix}`;
      chain.links.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
      findings.push(...chainFindings({ partitionKey: partition!, clusterId: chain.clusterId }, chain.links, anchors.get(key)));
      anchors.delete(key);
      clusters++;
    }
  };

  for await (const row of tableRows(tables.history)) {
    rows++;
    if (row.partitionKey !== partition) {
      walkPartition();
      if (finished.has(row.partitionKey!)) throw new StoreError('the table returned history rows out of key order; the chains cannot be walked');
      if (partition !== undefined) finished.add(partition);
      partition = row.partitionKey!;
      chains = new Map();
    }
    const clusterPrefix = row.rowKey!.split('|')[0]!;
    const chain = chains.get(clusterPrefix) ?? { clusterId: textOf(row, 'clusterId') || safeDecode(clusterPrefix), links: [] };
    chain.links.push(linkOf(row));
    chains.set(clusterPrefix, chain);
  }
  walkPartition();

  // Latest states whose cluster has no history at all.
  for (const [key, anchor] of anchors) {
    const [partitionKey] = key.split('/');
    findings.push(...chainFindings({ partitionKey: partitionKey!, clusterId: anchor.clusterId }, [], anchor));
  }

  findings.sort((a, b) => a.partitionKey.localeCompare(b.partitionKey) || a.rowKey.localeCompare(b.rowKey));
  return { intact: findings.length === 0, verifiedAt: now, rows, clusters, findings };
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
