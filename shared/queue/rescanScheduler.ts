import type { ClusterId } from '../domain/clusterId.js';
import { isConflict } from '../domain/errors.js';
import type { ClusterEvent } from '../events/clusterEvent.js';
import type { ReceivedScanClusterMessage, ScanClusterMessage } from './messages.js';

/** One cluster's debounce window, as its marker holds it. */
export interface RescanMarker {
  windowEndsAt: Date;
  scanStarted: boolean;
  trailingScheduled: boolean;
  /** Ids of the events seen in this window: a redelivered event is recognised. */
  eventIds: string[];
  /** The marker's version: a write with a stale one fails with a conflict (409/412). */
  etag: string;
}

/** The port the scheduler keeps its markers in (store/pendingRescans.ts is the table adapter). */
export interface RescanMarkers {
  read(cluster: ClusterId): Promise<RescanMarker | undefined>;
  create(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>): Promise<void>;
  replace(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>, etag: string): Promise<void>;
  update(cluster: ClusterId, changes: Partial<Omit<RescanMarker, 'etag'>>, etag: string): Promise<void>;
  remove(cluster: ClusterId): Promise<void>;
}

/** Where scheduled rescans go (the scan-cluster queue). */
export interface RescanQueue {
  sendScanCluster(message: ScanClusterMessage, delaySeconds?: number): Promise<void>;
}

export type RescanRequestOutcome = 'scheduled' | 'coalesced' | 'trailing-scheduled' | 'duplicate';

/** Enough ids to recognise redeliveries within a window without outgrowing a table property. */
const MAX_EVENT_IDS = 100;

/**
 * Debounces rescans per cluster, across Function instances, with a marker per cluster:
 * the first event of a window schedules a scan at once (leading); events before that scan starts
 * join it; events after it started schedule one trailing scan for when the window closes, so the
 * last change of a burst is judged too. A burst delivered before the scan starts is one scan.
 */
export class RescanScheduler {
  constructor(
    private readonly markers: RescanMarkers,
    private readonly queue: RescanQueue,
    private readonly windowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(event: ClusterEvent): Promise<RescanRequestOutcome> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.tryRequest(event);
      } catch (error) {
        // Another instance moved the marker between our read and write: read it again.
        if (!isConflict(error) || attempt >= 4) throw error;
      }
    }
  }

  /** The worker is about to scan: a leading scan closes the window to joiners; a trailing one ends it. */
  async begin(message: ReceivedScanClusterMessage): Promise<void> {
    const cluster = message.clusterId;
    if (message.trigger === 'trailing') return this.markers.remove(cluster);
    for (let attempt = 0; attempt < 5; attempt++) {
      const marker = await this.markers.read(cluster);
      if (!marker || marker.scanStarted) return;
      try {
        await this.markers.update(cluster, { scanStarted: true }, marker.etag);
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  private async tryRequest(event: ClusterEvent): Promise<RescanRequestOutcome> {
    const now = this.now();
    const { cluster } = event;
    const marker = await this.markers.read(cluster);
    if (!marker || marker.windowEndsAt <= now) {
      const fresh = { windowEndsAt: new Date(now.getTime() + this.windowMs), scanStarted: false, trailingScheduled: false, eventIds: [event.id] };
      if (marker) await this.markers.replace(cluster, fresh, marker.etag);
      else await this.markers.create(cluster, fresh);
      await this.enqueueOrUndo(event, 'leading', 0);
      return 'scheduled';
    }
    if (marker.eventIds.includes(event.id)) return 'duplicate';
    const eventIds = [...marker.eventIds, event.id].slice(-MAX_EVENT_IDS);
    if (!marker.scanStarted || marker.trailingScheduled) {
      await this.markers.update(cluster, { eventIds }, marker.etag);
      return 'coalesced';
    }
    await this.markers.update(cluster, { trailingScheduled: true, eventIds }, marker.etag);
    await this.enqueueOrUndo(event, 'trailing', (marker.windowEndsAt.getTime() - now.getTime()) / 1000);
    return 'trailing-scheduled';
  }

  /** A marker whose message never got queued would swallow the cluster's events until the window closes. */
  private async enqueueOrUndo(event: ClusterEvent, trigger: ScanClusterMessage['trigger'], delaySeconds: number) {
    const message: ScanClusterMessage = {
      schemaVersion: 1, kind: 'scan-cluster', clusterId: event.cluster.id, subscriptionId: event.cluster.subscriptionId,
      trigger, eventId: event.id, requestedAt: this.now().toISOString(),
    };
    try {
      await this.queue.sendScanCluster(message, delaySeconds);
    } catch (error) {
      await this.markers.remove(event.cluster).catch(() => undefined);
      throw error;
    }
  }
}
