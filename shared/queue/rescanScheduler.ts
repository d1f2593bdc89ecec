import pLimit from 'p-limit';
import { clusterIdentity, type ClusterId } from '../domain/clusterId.js';
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

/** A marker to write: created when `etag` is absent, else replaced on condition that it is still at that version. */
export interface RescanMarkerWrite {
  cluster: ClusterId;
  marker: Omit<RescanMarker, 'etag'>;
  etag?: string;
}

/** How many marker writes one `writeMany` takes (Table Storage's transaction limit). */
export const MARKER_WRITES_PER_BATCH = 100;

/** The port the scheduler keeps its markers in (store/pendingRescans.ts is the table adapter). */
export interface RescanMarkers {
  read(cluster: ClusterId): Promise<RescanMarker | undefined>;
  create(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>): Promise<void>;
  replace(cluster: ClusterId, marker: Omit<RescanMarker, 'etag'>, etag: string): Promise<void>;
  update(cluster: ClusterId, changes: Partial<Omit<RescanMarker, 'etag'>>, etag: string): Promise<void>;
  remove(cluster: ClusterId): Promise<void>;
  /** The markers of some clusters of one subscription, read at once, by `clusterIdentity` of their ids. */
  readMany(subscriptionId: string, clusters: readonly ClusterId[]): Promise<Map<string, RescanMarker>>;
  /**
   * Writes markers of one subscription's clusters (at most MARKER_WRITES_PER_BATCH, one per cluster)
   * all or nothing: when one of them was moved meanwhile, none is written and a conflict is thrown.
   */
  writeMany(subscriptionId: string, writes: readonly RescanMarkerWrite[]): Promise<void>;
}

/** Where scheduled rescans go (the scan-cluster queue). */
export interface RescanQueue {
  sendScanCluster(message: ScanClusterMessage, delaySeconds?: number): Promise<void>;
}

export type RescanRequestOutcome = 'scheduled' | 'coalesced' | 'trailing-scheduled' | 'duplicate';

/** Enough ids to recognise redeliveries within a window without outgrowing a table property. */
const MAX_EVENT_IDS = 100;
/** Attempts at a batch of marker writes that another instance keeps moving under us. */
const MAX_ATTEMPTS = 5;
/** Scan messages sent at once. */
const SENDS_IN_FLIGHT = 16;

type MarkerState = Omit<RescanMarker, 'etag'>;

/** What one event does to a cluster's window, given the marker as it stands: the debounce, in one place. */
function step(marker: MarkerState | undefined, event: ClusterEvent, now: Date, windowMs: number):
  { outcome: RescanRequestOutcome; marker: MarkerState | undefined; scan?: { trigger: ScanClusterMessage['trigger']; delaySeconds: number } } {
  if (!marker || marker.windowEndsAt <= now) {
    const fresh = { windowEndsAt: new Date(now.getTime() + windowMs), scanStarted: false, trailingScheduled: false, eventIds: [event.id] };
    return { outcome: 'scheduled', marker: fresh, scan: { trigger: 'leading', delaySeconds: 0 } };
  }
  if (marker.eventIds.includes(event.id)) return { outcome: 'duplicate', marker };
  const eventIds = [...marker.eventIds, event.id].slice(-MAX_EVENT_IDS);
  if (!marker.scanStarted || marker.trailingScheduled) return { outcome: 'coalesced', marker: { ...marker, eventIds } };
  const delaySeconds = (marker.windowEndsAt.getTime() - now.getTime()) / 1000;
  return { outcome: 'trailing-scheduled', marker: { ...marker, trailingScheduled: true, eventIds }, scan: { trigger: 'trailing', delaySeconds } };
}

/** One cluster's events of a batch, in the order they came. */
interface ClusterEvents {
  cluster: ClusterId;
  key: string;
  indices: number[];
}

/** What a batch's events do to one cluster: each event's outcome, the marker to write, the scan to queue. */
interface ClusterPlan {
  group: ClusterEvents;
  outcomes: RescanRequestOutcome[];
  write?: RescanMarkerWrite;
  scan?: { event: ClusterEvent; trigger: ScanClusterMessage['trigger']; delaySeconds: number };
}

/**
 * Debounces rescans per cluster, across Function instances, with a marker per cluster:
 * the first event of a window schedules a scan at once (leading); events before that scan starts
 * join it; events after it started schedule one trailing scan for when the window closes, so the
 * last change of a burst is judged too. A burst delivered before the scan starts is one scan.
 *
 * A batch of events costs one marker read per subscription and one transaction per hundred clusters,
 * whatever the number of events: each cluster's events are applied to its marker one after another in
 * memory, as if they had come one at a time, and the marker is written once. The scans those markers
 * ask for go out as one message per transaction (and per trailing delay), since Queue storage sends
 * one message per request: a storm over a thousand clusters is about ten messages. A cluster whose
 * marker was not written is in no message.
 */
export class RescanScheduler {
  constructor(
    private readonly markers: RescanMarkers,
    private readonly queue: RescanQueue,
    private readonly windowMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(event: ClusterEvent): Promise<RescanRequestOutcome> {
    const [result] = await this.requestMany([event]);
    if (result!.status === 'rejected') throw result!.reason;
    return result!.value;
  }

  /**
   * The outcome of each event, in order. An event fails (the markers could not be read or written,
   * or its cluster's scan could not be queued) with the others of its cluster in the batch, so that
   * their delivery is retried together; the other clusters' events are unaffected.
   */
  async requestMany(events: readonly ClusterEvent[]): Promise<PromiseSettledResult<RescanRequestOutcome>[]> {
    const results: PromiseSettledResult<RescanRequestOutcome>[] = new Array(events.length);
    const sends = pLimit(SENDS_IN_FLIGHT);
    await Promise.all([...groupBySubscription(events)].map(async ([subscriptionId, groups]) => {
      let markers: Map<string, RescanMarker>;
      try {
        markers = await this.markers.readMany(subscriptionId, groups.map((g) => g.cluster));
      } catch (error) {
        for (const group of groups) fail(results, group, error);
        return;
      }
      for (let i = 0; i < groups.length; i += MARKER_WRITES_PER_BATCH) {
        await this.settle(subscriptionId, groups.slice(i, i + MARKER_WRITES_PER_BATCH), markers, events, results, sends);
      }
    }));
    return results;
  }

  /**
   * The worker is about to scan: a leading scan closes the windows of its clusters to joiners; a
   * trailing one ends them. The markers of a message's clusters are read at once, then each updated.
   */
  async begin(message: ReceivedScanClusterMessage): Promise<void> {
    const clusters = message.clusters.map((c) => c.clusterId);
    if (message.trigger === 'trailing') {
      await Promise.all(clusters.map((cluster) => this.markers.remove(cluster)));
      return;
    }
    const markers = await this.markers.readMany(message.subscriptionId, clusters);
    await Promise.all(clusters.map((cluster) => this.startScan(cluster, markers.get(clusterIdentity(cluster.id)))));
  }

  /** Marks one cluster's scan as started, reading its marker again when another instance moved it. */
  private async startScan(cluster: ClusterId, read: RescanMarker | undefined): Promise<void> {
    let marker = read;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!marker || marker.scanStarted) return;
      try {
        await this.markers.update(cluster, { scanStarted: true }, marker.etag);
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      marker = await this.markers.read(cluster);
    }
  }

  /** Up to a hundred clusters of one subscription: their markers written in one transaction, then their scans queued. */
  private async settle(
    subscriptionId: string, groups: ClusterEvents[], read: Map<string, RescanMarker>, events: readonly ClusterEvent[],
    results: PromiseSettledResult<RescanRequestOutcome>[], sends: ReturnType<typeof pLimit>,
  ): Promise<void> {
    let markers = read;
    let plans: ClusterPlan[];
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      plans = groups.map((group) => this.plan(group, markers.get(group.key), events, now));
      const writes = plans.flatMap((p) => (p.write ? [p.write] : []));
      try {
        if (writes.length > 0) await this.markers.writeMany(subscriptionId, writes);
        break;
      } catch (error) {
        // Another instance moved a marker between our read and our write (nothing of ours was written): read them again.
        if (!isConflict(error) || attempt >= MAX_ATTEMPTS) {
          for (const group of groups) fail(results, group, error);
          return;
        }
        try {
          markers = await this.markers.readMany(subscriptionId, groups.map((g) => g.cluster));
        } catch (readError) {
          for (const group of groups) fail(results, group, readError);
          return;
        }
      }
    }
    // The scans of these clusters (one transaction's markers written) share their messages: the leading
    // ones one message, the trailing ones one per whole second of delay (their windows close then).
    const messages = new Map<string, ClusterPlan[]>();
    for (const plan of plans) {
      if (!plan.scan) {
        settled(results, plan);
        continue;
      }
      const key = `${plan.scan.trigger} ${Math.ceil(plan.scan.delaySeconds)}`;
      messages.set(key, [...(messages.get(key) ?? []), plan]);
    }
    await Promise.all([...messages.values()].map(async (scanned) => {
      try {
        await sends(() => this.enqueueOrUndo(scanned));
        for (const plan of scanned) settled(results, plan);
      } catch (error) {
        for (const plan of scanned) fail(results, plan.group, error);
      }
    }));
  }

  /** One cluster's events applied to its marker in order. */
  private plan(group: ClusterEvents, stored: RescanMarker | undefined, events: readonly ClusterEvent[], now: Date): ClusterPlan {
    let marker: MarkerState | undefined = stored && { windowEndsAt: stored.windowEndsAt, scanStarted: stored.scanStarted, trailingScheduled: stored.trailingScheduled, eventIds: stored.eventIds };
    let changed = false;
    const outcomes: RescanRequestOutcome[] = [];
    let scan: ClusterPlan['scan'];
    for (const index of group.indices) {
      const event = events[index]!;
      const next = step(marker, event, now, this.windowMs);
      outcomes.push(next.outcome);
      if (next.outcome !== 'duplicate') changed = true;
      if (next.scan) scan = { event, ...next.scan };
      marker = next.marker;
    }
    return { group, outcomes, scan, write: changed && marker ? { cluster: group.cluster, marker, etag: stored?.etag } : undefined };
  }

  /** A marker whose message never got queued would swallow the cluster's events until the window closes. */
  private async enqueueOrUndo(plans: readonly ClusterPlan[]) {
    const scans = plans.map((plan) => plan.scan!);
    const message: ScanClusterMessage = {
      schemaVersion: 2, kind: 'scan-cluster', subscriptionId: plans[0]!.group.cluster.subscriptionId, trigger: scans[0]!.trigger,
      clusters: plans.map((plan) => ({ clusterId: plan.group.cluster.id, eventId: plan.scan!.event.id })),
      requestedAt: this.now().toISOString(),
    };
    try {
      await this.queue.sendScanCluster(message, Math.max(...scans.map((scan) => scan.delaySeconds)));
    } catch (error) {
      await Promise.all(plans.map((plan) => this.markers.remove(plan.group.cluster).catch(() => undefined)));
      throw error;
    }
  }
}

function settled(results: PromiseSettledResult<RescanRequestOutcome>[], plan: ClusterPlan): void {
  plan.group.indices.forEach((index, n) => (results[index] = { status: 'fulfilled', value: plan.outcomes[n]! }));
}

function fail(results: PromiseSettledResult<RescanRequestOutcome>[], group: ClusterEvents, reason: unknown): void {
  for (const index of group.indices) results[index] = { status: 'rejected', reason };
}

/** Events grouped by subscription, then by cluster (ids compared as ARM compares them), in the order they came. */
function groupBySubscription(events: readonly ClusterEvent[]): Map<string, ClusterEvents[]> {
  const bySubscription = new Map<string, Map<string, ClusterEvents>>();
  events.forEach((event, index) => {
    const subscription = event.cluster.subscriptionId.toLowerCase();
    const clusters = bySubscription.get(subscription) ?? new Map<string, ClusterEvents>();
    bySubscription.set(subscription, clusters);
    const key = clusterIdentity(event.cluster.id);
    const group = clusters.get(key) ?? { cluster: event.cluster, key, indices: [] };
    clusters.set(key, group);
    group.indices.push(index);
  });
  return new Map([...bySubscription].map(([subscription, clusters]) => [subscription, [...clusters.values()]]));
}
