import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { clusterIdentity, type ClusterId } from '../domain/clusterId.js';
import { isNotFound } from '../domain/errors.js';
import { MARKER_WRITES_PER_BATCH, type RescanMarker, type RescanMarkers, type RescanMarkerWrite } from '../queue/rescanScheduler.js';
import { POINT_READS_AT_MOST } from './tableBatch.js';
import { clusterKey, subscriptionKey } from './tableKeys.js';

export const PENDING_RESCANS_TABLE = 'PendingRescans';

interface MarkerRow {
  windowEndsAt: Date;
  scanStarted: boolean;
  trailingScheduled: boolean;
  eventIds?: string;
}

/**
 * The debounce markers of event-driven rescans: one row per cluster in `PendingRescans` (partition:
 * subscription), moved only with the ETag it was read with, so that Function instances racing on one
 * cluster see a 412. A batch reads a subscription's markers with one query and writes them with
 * transactions (one partition each).
 */
export class PendingRescansTable implements RescanMarkers {
  constructor(private readonly table: TableClient) {}

  async read(cluster: ClusterId): Promise<RescanMarker | undefined> {
    try {
      return markerOf(await this.table.getEntity<MarkerRow>(...keysOf(cluster)));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async readMany(subscriptionId: string, clusters: readonly ClusterId[]): Promise<Map<string, RescanMarker>> {
    const markers = new Map<string, RescanMarker>();
    if (clusters.length <= POINT_READS_AT_MOST) {
      await Promise.all(clusters.map(async (cluster) => {
        const marker = await this.read(cluster);
        if (marker) markers.set(clusterIdentity(cluster.id), marker);
      }));
      return markers;
    }
    const wanted = new Map(clusters.map((cluster) => [clusterKey(cluster.id), clusterIdentity(cluster.id)]));
    const rows = this.table.listEntities<MarkerRow>({ queryOptions: { filter: odata`PartitionKey eq ${subscriptionKey(subscriptionId)}` } });
    for await (const row of rows) {
      const identity = wanted.get(row.rowKey!);
      if (identity !== undefined) markers.set(identity, markerOf(row));
    }
    return markers;
  }

  async writeMany(subscriptionId: string, writes: readonly RescanMarkerWrite[]): Promise<void> {
    if (writes.length > MARKER_WRITES_PER_BATCH) throw new RangeError(`${writes.length} marker writes in one transaction: at most ${MARKER_WRITES_PER_BATCH}`);
    const partition = subscriptionKey(subscriptionId);
    const stray = writes.find((w) => subscriptionKey(w.cluster.subscriptionId) !== partition);
    if (stray) throw new RangeError(`marker of ${stray.cluster.id} written with subscription ${subscriptionId}'s`);
    if (writes.length === 1) {
      const [{ cluster, marker, etag }] = writes as [RescanMarkerWrite];
      return etag === undefined ? this.create(cluster, marker) : this.replace(cluster, marker, etag);
    }
    const actions = writes.map(({ cluster, marker, etag }): TransactionAction =>
      etag === undefined ? ['create', this.row(cluster, marker)] : ['update', this.row(cluster, marker), 'Replace', { etag }]);
    if (actions.length > 0) await this.table.submitTransaction(actions);
  }

  async create(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>): Promise<void> {
    await this.table.createEntity(this.row(cluster, marker));
  }

  async replace(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>, etag: string): Promise<void> {
    await this.table.updateEntity(this.row(cluster, marker), 'Replace', { etag });
  }

  async update(cluster: ClusterId, changes: Partial<Omit<RescanMarker, 'etag'>>, etag: string): Promise<void> {
    const [partitionKey, rowKey] = keysOf(cluster);
    const { eventIds, ...rest } = changes;
    await this.table.updateEntity({ partitionKey, rowKey, ...rest, ...(eventIds ? { eventIds: JSON.stringify(eventIds) } : {}) }, 'Merge', { etag });
  }

  async remove(cluster: ClusterId): Promise<void> {
    await this.table.deleteEntity(...keysOf(cluster)).catch((error) => {
      if (!isNotFound(error)) throw error;
    });
  }

  private row(cluster: ClusterId, { eventIds, ...marker }: Omit<RescanMarker, 'etag'>) {
    const [partitionKey, rowKey] = keysOf(cluster);
    return { partitionKey, rowKey, ...marker, eventIds: JSON.stringify(eventIds) };
  }
}

const keysOf = (cluster: ClusterId) => [subscriptionKey(cluster.subscriptionId), clusterKey(cluster.id)] as const;

function markerOf(row: MarkerRow & { etag: string }): RescanMarker {
  return {
    windowEndsAt: new Date(row.windowEndsAt), scanStarted: row.scanStarted, trailingScheduled: row.trailingScheduled,
    eventIds: JSON.parse(row.eventIds || '[]') as string[], etag: row.etag,
  };
}
