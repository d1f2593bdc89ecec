import { odata } from '@azure/data-tables';
import { countByStatus } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import type { ReadOnlyTable } from './auditTables.js';
import { subscriptionKey } from '../store/tableKeys.js';
import { dateOf, tableRows, textOf } from './tableRows.js';

/** The fleet's counts by status as recorded at one instant. */
export interface StatusSample {
  at: Date;
  counts: Record<ClusterStatus, number>;
}

/** One history record reduced to what the chart needs: when, and the status it left the cluster in. */
export interface StatusEvent {
  at: Date;
  status: ClusterStatus | 'deleted';
}

const STATUS_WORDS = new Set(['compliant', 'warning', 'violation', 'unknown', 'deleted']);

/**
 * Counts by status over time, rebuilt from the history (not from ScanRuns, whose counts cover only
 * what each scan looked at: a scan of one subscription or one cluster is not the fleet). Reads only
 * keys, kind, status and time of each row.
 */
export async function fleetStatusOverTime(
  history: ReadOnlyTable,
  options: { until: Date; maxSamples?: number; subscriptionId?: string },
): Promise<StatusSample[]> {
  const filter = [odata`recordedAt le ${options.until}`];
  if (options.subscriptionId !== undefined) filter.push(odata`PartitionKey eq ${subscriptionKey(options.subscriptionId)}`);
  const clusters = new Map<string, StatusEvent[]>();
  for await (const row of tableRows(history, { filter: filter.join(' and '), select: ['PartitionKey', 'RowKey', 'kind', 'status', 'recordedAt'] })) {
    const at = dateOf(row, 'recordedAt');
    const status = textOf(row, 'kind') === 'deleted' ? 'deleted' : textOf(row, 'status');
    if (!at || !STATUS_WORDS.has(status)) continue;
    const cluster = `${row.partitionKey}/${row.rowKey!.split('|')[0]}`;
    const events = clusters.get(cluster) ?? [];
    events.push({ at, status: status as StatusEvent['status'] });
    clusters.set(cluster, events);
  }
  return statusSamples([...clusters.values()], sampleInstants([...clusters.values()].flat(), options.until, options.maxSamples ?? 60));
}

/**
 * When to sample: every instant something was recorded, and the present; when there are more than
 * `max`, that many instants evenly spread from the first record to the present.
 */
export function sampleInstants(events: readonly StatusEvent[], until: Date, max: number): Date[] {
  const times = [...new Set(events.map((e) => e.at.getTime()))].sort((a, b) => a - b);
  if (times.length === 0) return [];
  if (times.at(-1)! < until.getTime()) times.push(until.getTime());
  if (times.length <= max) return times.map((t) => new Date(t));
  const first = times[0]!;
  const step = (until.getTime() - first) / (max - 1);
  return Array.from({ length: max }, (_, i) => new Date(i === max - 1 ? until.getTime() : Math.round(first + i * step)));
}

/** Counts by status at each instant: each cluster in the status of its last event at or before it; deleted ones not at all. */
export function statusSamples(clusters: readonly StatusEvent[][], instants: readonly Date[]): StatusSample[] {
  const statusesAt: ClusterStatus[][] = instants.map(() => []);
  for (const events of clusters) {
    const ordered = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
    let next = 0;
    let current: StatusEvent['status'] | undefined;
    instants.forEach((instant, i) => {
      while (next < ordered.length && ordered[next]!.at.getTime() <= instant.getTime()) current = ordered[next++]!.status;
      if (current !== undefined && current !== 'deleted') statusesAt[i]!.push(current);
    });
  }
  return instants.map((at, i) => ({ at, counts: countByStatus(statusesAt[i]!.map((status) => ({ status }))) }));
}
