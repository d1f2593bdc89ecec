import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import { clusterIdentity, parseClusterId, type ClusterId } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { StoreError } from '../domain/errors.js';
import { unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { ScanError, ScanReport } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { judgeClusterEvidence } from './judgeCluster.js';
import type { RecordedEvidence } from '../domain/carryEvidence.js';
import type { EvidenceCarry } from './evidenceCarry.js';
import { describeReadFailure, type ApiServerProbe, type EvidenceSource, type FleetDiscovery, type FleetReader, type RecordedClusters, type SubscriptionClusters, type VerdictRecorder } from './ports.js';
import { subscriptionsOf } from './scope.js';

export interface ScanRequest {
  /** Subscriptions to scan (see scope.ts); every subscription the credential can list when absent. */
  subscriptionIds?: readonly string[];
  /** Scan only these clusters (event-driven rescans); `subscriptionIds` is then ignored. */
  clusters?: readonly ClusterId[];
  policy: Policy;
  /** Read every cluster's certificates, carrying no recorded evidence (events, `akscert scan --full`). */
  fullRead?: boolean;
}

export interface ScanProgress {
  subscriptionsDone: number;
  subscriptionsTotal?: number;
  clustersJudged: number;
}

export interface ScanDependencies {
  fleet: FleetReader;
  /**
   * Discovers the clusters of every subscription in scope at once (Resource Graph) instead of listing
   * each subscription through `fleet`; with `fallBack`, the subscriptions it could not finish are
   * listed through `fleet` after all.
   */
  discovery?: { source: FleetDiscovery; fallBack: boolean; aheadAtMost?: number };
  /** Reads the API server's TLS certificate; absent when the probe is off. */
  apiServerProbe?: ApiServerProbe;
  /** Further sources read for each cluster (ports.ts EvidenceSource). */
  evidenceSources?: readonly EvidenceSource[];
  /** When unchanged clusters are judged from their recorded certificate evidence (warm scans); absent: never. */
  carry?: EvidenceCarry;
  /** Absent with `--no-store`; may still be opening (a store that fails to open fails the recording, not the scan). */
  store?: VerdictRecorder | Promise<VerdictRecorder>;
  now?: () => Date;
  concurrency?: { subscriptions: number; clusters: number; clustersPerSubscription: number };
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanOutcome {
  report: ScanReport;
  /** Set when the store failed: the report still holds everything judged. */
  storeError?: StoreError;
  /** Clusters asked for by id that ARM says do not exist (deleted since the request). */
  missing: string[];
  /** Clusters whose deletion this scan recorded (recorded, ARM no longer has them): their alerts resolve. */
  deleted?: ClusterId[];
  /** Why a full scan listed through ARM although a discovery was given (it failed): for the log. */
  discoveryFallback?: string;
}

/** Spreads `clusters` credential reads over 16 subscriptions at a time, half of them at most on one subscription. */
export function scanConcurrency(clusters: number) {
  return { subscriptions: 16, clusters, clustersPerSubscription: Math.max(1, Math.ceil(clusters / 2)) };
}

/** SCAN_CONCURRENCY's default. */
export const DEFAULT_CONCURRENCY = scanConcurrency(32);

/**
 * How many clusters a scan takes from a discovery before they are judged (their ARM descriptions, a
 * few KB each; never a kubeconfig): enough that a subscription judged slowly (a large one, paced by its
 * write bucket at 10 credential POSTs a second) does not hold back the subscriptions after it, unless
 * it alone holds more; few enough that memory stays flat.
 */
export const DISCOVERED_AHEAD_AT_MOST = 5000;

/**
 * One scan: every cluster of every subscription in scope is judged at the scan's start time and
 * recorded page by page. A failing subscription or cluster becomes an error or an `unknown` verdict;
 * a failing store stops recording but not judging, and is returned for the caller to fail loudly.
 */
export async function runScan(request: ScanRequest, deps: ScanDependencies): Promise<ScanOutcome> {
  const startedAt = (deps.now ?? (() => new Date()))();
  const scanId = randomUUID();
  const concurrency = deps.concurrency ?? DEFAULT_CONCURRENCY;
  const errors: ScanError[] = [];
  const verdicts: ClusterVerdict[] = [];
  const clusterSlots = pLimit(concurrency.clusters);
  const progress: ScanProgress = { subscriptionsDone: 0, clustersJudged: 0 };
  let storeError: StoreError | undefined;

  const storeReady = deps.store === undefined ? undefined : Promise.resolve(deps.store);
  storeReady?.catch(() => undefined); // observed in record(); no unhandled rejection meanwhile
  const asStoreError = (error: unknown) =>
    error instanceof StoreError ? error : new StoreError(`the verdicts could not be recorded: ${describeReadFailure('recording', error).message}`, { cause: error });
  // The run is recorded as running first; listing and judging do not wait for it (nor for the store to open).
  let begun: Promise<void> | undefined;
  const record = async (action: (store: VerdictRecorder) => Promise<void>) => {
    await begun;
    if (!storeReady || storeError) return;
    try {
      await action(await storeReady);
    } catch (error) {
      storeError = asStoreError(error);
    }
  };
  begun = record((store) => store.beginScan(scanId, startedAt));

  const horizon = deps.carry && !request.fullRead ? deps.carry.horizonAfter(startedAt) : undefined;
  // What a cluster's recorded evidence may be carried under; nothing is carried without the recorded states.
  const carryFor = (cluster: ClusterFacts, previous: RecordedClusters | undefined) => (deps.carry && horizon && previous
    ? { recorded: previous.recordedEvidence(cluster.id), settings: { fullRefreshHours: deps.carry.fullRefreshHours, horizon, apiServerProbed: deps.apiServerProbe !== undefined } }
    : undefined);

  /** Judges a batch of one subscription's clusters and records it: the path every kind of scan takes. */
  const judgeAndRecord = async (clusters: ClusterFacts[], unreadable: ClusterVerdict[], previous: RecordedClusters | undefined, slots: LimitFunction, settle?: (judged: ClusterVerdict[]) => Promise<ClusterVerdict[]>) => {
    // ARM listed or returned each of these clusters for this scan: seen at its start time.
    const evidence = new Map<string, RecordedEvidence>();
    let judged: ClusterVerdict[] = await Promise.all(clusters.map((cluster) => slots(() => clusterSlots(async () => {
      const result = await judgeClusterEvidence(cluster, deps, request.policy, startedAt, carryFor(cluster, previous));
      if (result.evidence) evidence.set(result.verdict.id, result.evidence);
      return { ...result.verdict, lastSeenAt: startedAt };
    }))));
    if (settle) judged = await settle(judged);
    judged.push(...unreadable);
    verdicts.push(...judged);
    progress.clustersJudged += judged.length;
    deps.onProgress?.({ ...progress });
    await record((store) => store.recordVerdicts(scanId, startedAt, judged, previous, evidence));
  };

  let deletionsRecorded = 0;
  const deleted: ClusterId[] = [];
  const listedSubscriptions: string[] = [];
  /**
   * The safety net for lost deletion events: after a complete listing of a subscription, each cluster
   * recorded there that ARM did not list is asked for by id; a 404 is recorded as its deletion (found
   * by this scan, at its start time), a cluster still returned (the listing lagged) is judged like the
   * clusters listed, and a failed read is a scan error that leaves its state as it was.
   */
  const reconcile = async (recorded: RecordedClusters, listed: ReadonlySet<string>, slots: LimitFunction) => {
    const unlisted = recorded.clusters().filter((cluster) => !listed.has(clusterIdentity(cluster.id)));
    const stillThere: ClusterFacts[] = [];
    await Promise.all(unlisted.map((recordedCluster) => slots(async () => {
      const cluster = parseClusterId(recordedCluster.id);
      if (!cluster) return;
      let found: ClusterFacts | undefined;
      try {
        found = await deps.fleet.getCluster(cluster);
      } catch (error) {
        const failure = describeReadFailure('reading the managed cluster', error);
        errors.push({ scope: recordedCluster.id, code: failure.code, message: failure.message });
        return;
      }
      if (found) {
        stillThere.push(found);
        return;
      }
      await record(async (store) => {
        const outcome = await store.recordDeletion({ cluster, eventId: `scan-${scanId}`, deletedAt: startedAt });
        if (outcome === 'recorded') {
          deletionsRecorded++;
          deleted.push(cluster);
        }
      });
    })));
    // Returned by id: it exists, and is judged like the clusters listed.
    if (stillThere.length > 0) await judgeAndRecord(stillThere, [], recorded, slots);
  };

  /** `resumed`: what a discovery that failed part-way had read and judged of the subscription already. */
  const scanSubscription = async (subscriptionId: string, resumed?: { previous: RecordedClusters | undefined; listed: ReadonlySet<string> }) => {
    let previous = resumed?.previous;
    if (!resumed) {
      await record(async (store) => {
        previous = await store.latestStates(subscriptionId);
      });
    }
    const judgedAlready = resumed?.listed ?? new Set<string>();
    const perSubscription = pLimit(concurrency.clustersPerSubscription);
    // The next page is fetched while this one is judged: listing and judging overlap, and at most
    // two pages are held at a time, so memory stays flat however large the subscription.
    let judging: Promise<void> | undefined;
    const listed = new Set<string>();
    let listedCompletely = false;
    try {
      for await (const listedPage of deps.fleet.listClusterPages(subscriptionId)) {
        for (const cluster of [...listedPage.clusters, ...listedPage.invalid]) listed.add(clusterIdentity(cluster.id));
        const page = { clusters: listedPage.clusters.filter((c) => !judgedAlready.has(clusterIdentity(c.id))), invalid: listedPage.invalid.filter((c) => !judgedAlready.has(clusterIdentity(c.id))) };
        const unreadable = page.invalid.map((invalid) => {
          errors.push({ scope: invalid.id, code: 'InvalidClusterShape', message: invalid.message });
          return { ...unreadableClusterVerdict(identityOfUnreadable(invalid.id, subscriptionId), invalid.message), lastSeenAt: startedAt };
        });
        await judging;
        judging = judgeAndRecord(page.clusters, unreadable, previous, perSubscription);
      }
      listedCompletely = true;
    } catch (error) {
      const failure = describeReadFailure('listing managed clusters', error);
      errors.push({ scope: `/subscriptions/${subscriptionId}`, code: failure.code, message: failure.message });
    } finally {
      await judging;
    }
    if (listedCompletely) await completeSubscription(subscriptionId, previous, listed, perSubscription);
    else endSubscription();
  };

  const endSubscription = () => {
    progress.subscriptionsDone++;
    deps.onProgress?.({ ...progress });
  };
  /** A subscription listed to its end: what was recorded there and not listed is re-read from ARM. */
  const completeSubscription = async (subscriptionId: string, previous: RecordedClusters | undefined, listed: ReadonlySet<string>, slots: LimitFunction) => {
    listedSubscriptions.push(subscriptionId);
    // Never on a partial listing: what it did not return may well still exist.
    if (previous && !storeError) await reconcile(previous, listed, slots);
    endSubscription();
  };

  /**
   * Resource Graph lags ARM: a cluster it still lists may be gone already, and its credential reads
   * answer 404. Such a cluster is asked for by id; if ARM has no such cluster its verdict is dropped
   * and it counts as not listed, so that reconcile records its deletion (it re-reads it once more).
   */
  const settleLagging = (listed: Set<string>) => async (judged: ClusterVerdict[]) => {
    const kept = await Promise.all(judged.map(async (verdict) => {
      const cluster = parseClusterId(verdict.id);
      if (!cluster || !verdict.findings.some((f) => f.code === 'CERT_SOURCE_UNAVAILABLE' && f.reason === 'not_found')) return true;
      // A read that fails keeps the verdict: only ARM's 404 says the cluster is gone.
      const found = await deps.fleet.getCluster(cluster).catch(() => 'unread' as const);
      if (found !== undefined) return true;
      listed.delete(clusterIdentity(verdict.id));
      return false;
    }));
    return judged.filter((_, i) => kept[i]);
  };

  let discoveryFallback: string | undefined;
  /**
   * A full scan through a discovery: its pages are judged as they come, each subscription's share by
   * that subscription's own session (its recorded states, its concurrency), and a subscription is
   * reconciled once the discovery has moved past it. The discovery runs ahead of the judging by up to
   * `aheadAtMost` clusters taken and not judged yet (then one page more), so that a subscription judged
   * slowly does not hold back those after it. A subscription the discovery found no cluster in is
   * listed through ARM, which tells an empty subscription from one the caller may not read.
   */
  const discoverSubscriptions = async (subscriptionIds: readonly string[], discovery: NonNullable<ScanDependencies['discovery']>) => {
    const subscriptionSlots = pLimit(concurrency.subscriptions);
    const sessions = new Map<string, { previous: Promise<RecordedClusters | undefined>; listed: Set<string>; slots: LimitFunction; judged: Promise<void> }>();
    const settled = new Set<string>();
    const sessionOf = (subscriptionId: string) => {
      let session = sessions.get(subscriptionId.toLowerCase());
      if (!session) {
        const previous = subscriptionSlots(async () => {
          let states: RecordedClusters | undefined;
          await record(async (store) => {
            states = await store.latestStates(subscriptionId);
          });
          return states;
        });
        session = { previous, listed: new Set(), slots: pLimit(concurrency.clustersPerSubscription), judged: previous.then(() => undefined) };
        sessions.set(subscriptionId.toLowerCase(), session);
      }
      return session;
    };
    // Clusters taken from the discovery and not judged yet, and the wait for room among them.
    const aheadAtMost = discovery.aheadAtMost ?? DISCOVERED_AHEAD_AT_MOST;
    let ahead = 0;
    let roomMade: (() => void) | undefined;
    const room = () => (ahead < aheadAtMost ? undefined : new Promise<void>((resolve) => (roomMade = resolve)));
    const judgeShare = (share: SubscriptionClusters) => {
      const session = sessionOf(share.subscriptionId);
      const taken = share.clusters.length + share.invalid.length;
      ahead += taken;
      for (const cluster of [...share.clusters, ...share.invalid]) session.listed.add(clusterIdentity(cluster.id));
      const unreadable = share.invalid.map((invalid) => {
        errors.push({ scope: invalid.id, code: 'InvalidClusterShape', message: invalid.message });
        return { ...unreadableClusterVerdict(identityOfUnreadable(invalid.id, share.subscriptionId), invalid.message), lastSeenAt: startedAt };
      });
      session.judged = session.judged
        .then(async () => judgeAndRecord(share.clusters, unreadable, await session.previous, session.slots, settleLagging(session.listed)))
        .finally(() => {
          ahead -= taken;
          if (ahead < aheadAtMost) roomMade?.();
        });
      return session.judged;
    };
    const complete = async (subscriptionId: string) => {
      settled.add(subscriptionId.toLowerCase());
      const session = sessions.get(subscriptionId.toLowerCase());
      if (!session) return subscriptionSlots(() => scanSubscription(subscriptionId));
      await session.judged;
      await completeSubscription(subscriptionId, await session.previous, session.listed, session.slots);
      // Its recorded states and listed ids are done with: a scan holds them for the subscriptions in progress only.
      sessions.delete(subscriptionId.toLowerCase());
    };

    const judging: Array<Promise<unknown>> = [];
    const allJudged = () => Promise.all(judging);
    try {
      for await (const page of discovery.source.discoverClusters(subscriptionIds)) {
        judging.push(Promise.all([...page.clusters.map(judgeShare), ...page.complete.map(complete)]));
        await room();
      }
    } catch (error) {
      const failure = describeReadFailure('discovering managed clusters', error);
      await allJudged();
      const unfinished = subscriptionIds.filter((id) => !settled.has(id.toLowerCase()));
      if (discovery.fallBack) discoveryFallback = failure.message;
      await Promise.all(unfinished.map(async (subscriptionId) => {
        const session = sessions.get(subscriptionId.toLowerCase());
        await session?.judged;
        if (discovery.fallBack) {
          const resumed = session && { previous: await session.previous, listed: session.listed };
          return subscriptionSlots(() => scanSubscription(subscriptionId, resumed));
        }
        errors.push({ scope: `/subscriptions/${subscriptionId}`, code: failure.code, message: failure.message });
        endSubscription();
      }));
    }
    await allJudged();
  };

  const missing: string[] = [];
  const scanClusters = async (subscriptionId: string, wanted: readonly ClusterId[]) => {
    const slots = pLimit(concurrency.clustersPerSubscription);
    const found: ClusterFacts[] = [];
    const unreadable: ClusterVerdict[] = [];
    await Promise.all(wanted.map((wantedCluster) => slots(async () => {
      try {
        const cluster = await deps.fleet.getCluster(wantedCluster);
        if (cluster) found.push(cluster);
        else missing.push(wantedCluster.id);
      } catch (error) {
        const failure = describeReadFailure('reading the managed cluster', error);
        errors.push({ scope: wantedCluster.id, code: failure.code, message: failure.message });
        unreadable.push(unreadableClusterVerdict({ ...wantedCluster, location: '' }, failure.message));
      }
    })));
    let previous: RecordedClusters | undefined;
    await record(async (store) => {
      previous = await store.latestStates(subscriptionId, [...found, ...unreadable].map((c) => c.id));
    });
    await judgeAndRecord(found, unreadable, previous, slots);
    progress.subscriptionsDone++;
  };

  let subscriptionIds: string[];
  if (request.clusters) {
    const bySubscription = groupBySubscription(request.clusters);
    subscriptionIds = [...bySubscription.keys()];
    await Promise.all([...bySubscription].map(([subscriptionId, ids]) => scanClusters(subscriptionId, ids)));
  } else {
    subscriptionIds = await subscriptionsOf(request.subscriptionIds, deps.fleet).catch((error: unknown) => {
      const failure = describeReadFailure('listing subscriptions', error);
      errors.push({ scope: 'tenant', code: failure.code, message: failure.message });
      return [];
    });
    progress.subscriptionsTotal = subscriptionIds.length;
    if (deps.discovery && subscriptionIds.length > 0) {
      await discoverSubscriptions(subscriptionIds, deps.discovery);
    } else {
      const subscriptionSlots = pLimit(concurrency.subscriptions);
      await Promise.all(subscriptionIds.map((id) => subscriptionSlots(() => scanSubscription(id))));
    }
  }

  verdicts.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase()));
  const report: ScanReport = {
    scan: {
      id: scanId,
      startedAt,
      finishedAt: new Date(),
      policy: request.policy,
      subscriptions: subscriptionIds.length,
      clusters: verdicts.length,
      errors,
      ...(request.clusters ? {} : { deletionsRecorded, discovery: deps.discovery && !discoveryFallback ? deps.discovery.source.name : 'arm' }),
    },
    clusters: verdicts,
  };
  // The run is recorded as ended even when recording failed on the way (then as `failed`), unless the store never opened.
  if (storeReady) {
    await begun;
    const failure = storeError?.message;
    try {
      await (await storeReady).recordScan(report.scan, verdicts, failure ? { failure } : request.clusters ? {} : { listedCompletely: listedSubscriptions });
    } catch (error) {
      storeError ??= asStoreError(error);
    }
  }
  return { report, missing, ...(deleted.length > 0 ? { deleted } : {}), ...(storeError ? { storeError } : {}), ...(discoveryFallback ? { discoveryFallback } : {}) };
}

/** The identity of a cluster ARM listed but whose description could not be read, from its id as far as it goes. */
function identityOfUnreadable(id: string, subscriptionId: string) {
  const cluster = parseClusterId(id);
  return { id, subscriptionId, resourceGroup: cluster?.resourceGroup ?? '', name: cluster?.name ?? id.split('/').at(-1) ?? id, location: '' };
}

/** Clusters by their subscription (ARM ids are case-insensitive; the first spelling wins). */
function groupBySubscription(clusters: readonly ClusterId[]): Map<string, ClusterId[]> {
  const groups = new Map<string, ClusterId[]>();
  const spelling = new Map<string, string>();
  for (const cluster of clusters) {
    const key = cluster.subscriptionId.toLowerCase();
    if (!spelling.has(key)) spelling.set(key, cluster.subscriptionId);
    const subscriptionId = spelling.get(key)!;
    // Pushed onto, not copied: a subscription of thousands of clusters stays linear.
    const group = groups.get(subscriptionId);
    if (group) group.push(cluster);
    else groups.set(subscriptionId, [cluster]);
  }
  return groups;
}
