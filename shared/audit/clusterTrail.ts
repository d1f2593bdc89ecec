import { odata } from '@azure/data-tables';
import type { AuditTables } from './auditTables.js';
import { chainFindings, type TamperFinding } from './chainAnalysis.js';
import { clusterHistoryQuery, historyEntryFromRow, type HistoryEntry } from './historyQueries.js';
import { recordedVerdictFromRow, type RecordedVerdict } from './recordedVerdict.js';
import { clusterKey, subscriptionKey } from '../store/tableKeys.js';
import { tableRow, tableRows } from './tableRows.js';
import { anchorOf, linkOf, unfinishedRows } from './verifyChains.js';

export interface ClusterTrail {
  /** The latest verdict (ClusterState); absent once the cluster was deleted. */
  latest?: RecordedVerdict;
  /** Every history record, oldest first. */
  history: HistoryEntry[];
  /** What `verify` finds in this cluster's chain. */
  findings: TamperFinding[];
}

/** One cluster's whole trail, checked the way `verify` checks every cluster (the dashboard's cluster page). */
export async function readClusterTrail(tables: Pick<AuditTables, 'state' | 'history' | 'intents'>, subscriptionId: string, clusterId: string): Promise<ClusterTrail> {
  const partitionKey = subscriptionKey(subscriptionId);
  const unfinished = await unfinishedRows(tables.intents, odata`PartitionKey eq ${partitionKey}`);
  const state = await tableRow(tables.state, partitionKey, clusterKey(clusterId));
  const rows = [];
  for await (const row of tableRows(tables.history, { filter: clusterHistoryQuery(subscriptionId, clusterId, {}) })) rows.push(row);
  rows.sort((a, b) => (a.rowKey! < b.rowKey! ? -1 : 1));
  const anchor = state && anchorOf(state);
  return {
    ...(state ? { latest: recordedVerdictFromRow(state) } : {}),
    history: rows.map(historyEntryFromRow),
    findings: chainFindings({ partitionKey, clusterId: anchor?.clusterId ?? clusterId }, rows.map((row) => {
      const writer = unfinished.get(`${partitionKey}/${row.rowKey}`);
      return writer ? { ...linkOf(row), unfinished: writer } : linkOf(row);
    }), anchor),
  };
}
