import type { TableClient } from '@azure/data-tables';
import type { ClusterEvent } from '../events/clusterEvent.js';
import { clusterKey, subscriptionKey } from '../store/tableKeys.js';
import type { ScanClusterMessage } from './messages.js';
import type { ScanQueues } from './scanQueues.js';

export const PENDING_RESCANS_TABLE = 'PendingRescans';

interface Marker {
  windowEndsAt: Date;
  scanStarted: boolean;
  trailingScheduled: boolean;
  /** Ids of the events seen in this window (JSON array): a redelivered event is recognised. */
  eventIds: string;
}

export type RescanRequestOutcome = 'scheduled' | 'coalesced' | 'trailing-scheduled' | 'duplicate';

/** Enough ids to recognise redeliveries within a window without outgrowing a table property. */
const MAX_EVENT_IDS = 100;

const CONFLICT = new Set([409, 412]);
const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode;

/**
 * Debounces rescans per cluster, across Function instances, with a marker row per cluster:
 * the first event of a window schedules a scan at once (leading); events before that scan starts
 * join it; events after it started schedule one trailing scan for when the window closes, so the
 * last change of a burst is judged too. A burst delivered before the scan starts is one scan.
 */
export class RescanScheduler {
  constructor(
    private readonly pending: TableClient,
    private readonly queues: ScanQueues,
    private readonly windowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(event: ClusterEvent): Promise<RescanRequestOutcome> {
    const keys = [subscriptionKey(event.subscriptionId), clusterKey(event.clusterId)] as const;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.tryRequest(event, keys);
      } catch (error) {
        // Another instance moved the marker between our read and write: read it again.
        if (!CONFLICT.has(statusOf(error) ?? 0) || attempt >= 4) throw error;
      }
    }
  }

  /** The worker is about to scan: a leading scan closes the window to joiners; a trailing one ends it. */
  async begin(message: ScanClusterMessage): Promise<void> {
    const [partition, row] = [subscriptionKey(message.subscriptionId), clusterKey(message.clusterId)];
    if (message.trigger === 'trailing') {
      await this.pending.deleteEntity(partition, row).catch((error) => {
        if (statusOf(error) !== 404) throw error;
      });
      return;
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const marker = await this.read(partition, row);
      if (!marker || marker.scanStarted) return;
      try {
        await this.pending.updateEntity({ partitionKey: partition, rowKey: row, scanStarted: true }, 'Merge', { etag: marker.etag });
        return;
      } catch (error) {
        if (!CONFLICT.has(statusOf(error) ?? 0)) throw error;
      }
    }
  }

  private async tryRequest(event: ClusterEvent, [partitionKey, rowKey]: readonly [string, string]): Promise<RescanRequestOutcome> {
    const now = this.now();
    const marker = await this.read(partitionKey, rowKey);
    if (!marker || marker.windowEndsAt <= now) {
      const fresh = {
        partitionKey, rowKey, windowEndsAt: new Date(now.getTime() + this.windowMs), scanStarted: false, trailingScheduled: false,
        eventIds: JSON.stringify([event.id]),
      };
      if (marker) await this.pending.updateEntity(fresh, 'Replace', { etag: marker.etag });
      else await this.pending.createEntity(fresh);
      await this.enqueueOrUndo(event, 'leading', 0, partitionKey, rowKey);
      return 'scheduled';
    }
    const seen = JSON.parse(marker.eventIds || '[]') as string[];
    if (seen.includes(event.id)) return 'duplicate';
    const eventIds = JSON.stringify([...seen, event.id].slice(-MAX_EVENT_IDS));
    if (!marker.scanStarted || marker.trailingScheduled) {
      await this.pending.updateEntity({ partitionKey, rowKey, eventIds }, 'Merge', { etag: marker.etag });
      return 'coalesced';
    }
    await this.pending.updateEntity({ partitionKey, rowKey, trailingScheduled: true, eventIds }, 'Merge', { etag: marker.etag });
    await this.enqueueOrUndo(event, 'trailing', (marker.windowEndsAt.getTime() - now.getTime()) / 1000, partitionKey, rowKey);
    return 'trailing-scheduled';
  }

  /** A marker whose message never got queued would swallow the cluster's events until the window closes. */
  private async enqueueOrUndo(event: ClusterEvent, trigger: ScanClusterMessage['trigger'], delaySeconds: number, partitionKey: string, rowKey: string) {
    const message: ScanClusterMessage = {
      schemaVersion: 1, kind: 'scan-cluster', clusterId: event.clusterId, subscriptionId: event.subscriptionId,
      trigger, eventId: event.id, requestedAt: this.now().toISOString(),
    };
    try {
      await this.queues.sendScanCluster(message, delaySeconds);
    } catch (error) {
      await this.pending.deleteEntity(partitionKey, rowKey).catch(() => undefined);
      throw error;
    }
  }

  private async read(partitionKey: string, rowKey: string): Promise<(Marker & { etag: string }) | undefined> {
    try {
      const entity = await this.pending.getEntity<Marker>(partitionKey, rowKey);
      return {
        windowEndsAt: new Date(entity.windowEndsAt), scanStarted: entity.scanStarted, trailingScheduled: entity.trailingScheduled,
        eventIds: entity.eventIds ?? '[]', etag: entity.etag,
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }
}
