import { odata } from '@azure/data-tables';
import type { FindingCode } from '../domain/findings.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { ReadOnlyTable } from './auditTables.js';
import { recordedVerdictFromRow, type RecordedVerdict } from './recordedVerdict.js';
import { clusterKey, subscriptionKey } from '../store/tableKeys.js';
import { readPage, type Page, type PageRequest } from './tablePages.js';
import { tableRow, tableRows, type TableRow } from './tableRows.js';

/** Which latest states to read. Subscription and status are OData filters; the finding code is matched here. */
export interface ClusterStateFilter {
  subscriptionId?: string;
  status?: ClusterStatus;
  findingCode?: FindingCode;
}

/** The OData filter for the parts Table Storage can evaluate, built with `odata` so input stays data. */
export function clusterStateQuery(filter: ClusterStateFilter): string | undefined {
  const clauses: string[] = [];
  if (filter.subscriptionId !== undefined) clauses.push(odata`PartitionKey eq ${subscriptionKey(filter.subscriptionId)}`);
  if (filter.status !== undefined) clauses.push(odata`status eq ${filter.status}`);
  return clauses.length ? clauses.join(' and ') : undefined;
}

function hasFinding(row: TableRow, code: FindingCode | undefined): boolean {
  if (code === undefined) return true;
  return typeof row['findingCodes'] === 'string' && row['findingCodes'].split(',').includes(code);
}

/** One page of latest verdicts, in key order (subscription, then cluster). */
export function clusterStatesPage(state: ReadOnlyTable, filter: ClusterStateFilter, page: PageRequest): Promise<Page<RecordedVerdict>> {
  return readPage(state, { filter: clusterStateQuery(filter) }, page, (row) =>
    hasFinding(row, filter.findingCode) ? recordedVerdictFromRow(row) : undefined,
  );
}

/** Every latest verdict that matches (the dashboard sorts the whole fleet by urgency). */
export async function allClusterStates(state: ReadOnlyTable, filter: ClusterStateFilter = {}): Promise<RecordedVerdict[]> {
  const verdicts: RecordedVerdict[] = [];
  for await (const row of tableRows(state, { filter: clusterStateQuery(filter) })) {
    if (hasFinding(row, filter.findingCode)) verdicts.push(recordedVerdictFromRow(row));
  }
  return verdicts;
}

/** One cluster's latest verdict, or undefined when it has none (never scanned, or deleted). */
export async function clusterState(state: ReadOnlyTable, subscriptionId: string, clusterId: string): Promise<RecordedVerdict | undefined> {
  const row = await tableRow(state, subscriptionKey(subscriptionId), clusterKey(clusterId));
  return row && recordedVerdictFromRow(row);
}
