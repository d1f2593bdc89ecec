import type { TableClient } from '@azure/data-tables';
import type { ClusterId } from '../domain/clusterId.js';
import { isNotFound } from '../domain/errors.js';
import type { RescanMarker, RescanMarkers } from '../queue/rescanScheduler.js';
import { clusterKey, subscriptionKey } from './tableKeys.js';

export const PENDING_RESCANS_TABLE = 'PendingRescans';

interface MarkerRow {
  windowEndsAt: Date;
  scanStarted: boolean;
  trailingScheduled: boolean;
  eventIds?: string;
}

/**
 * The debounce markers of event-driven rescans: one row per cluster in `PendingRescans`, moved only
 * with the ETag it was read with, so that Function instances racing on one cluster see a 412.
 */
export class PendingRescansTable implements RescanMarkers {
  constructor(private readonly table: TableClient) {}

  async read(cluster: ClusterId): Promise<RescanMarker | undefined> {
    try {
      const row = await this.table.getEntity<MarkerRow>(...keysOf(cluster));
      return {
        windowEndsAt: new Date(row.windowEndsAt), scanStarted: row.scanStarted, trailingScheduled: row.trailingScheduled,
        eventIds: JSON.parse(row.eventIds || '[]') as string[], etag: row.etag,
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
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
