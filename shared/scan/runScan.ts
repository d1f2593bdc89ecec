import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ApiServerProbe } from '../azure/apiServerProbe.js';
import type { FleetReader } from '../azure/armFleet.js';
import { describeArmFailure } from '../azure/armErrors.js';
import { parseManagedClusterId } from '../azure/resourceId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { ScanError, ScanReport } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { StoreError, type ComplianceStore, type LatestState } from '../store/complianceStore.js';
import { clusterKey } from '../store/tableKeys.js';
import { judgeCluster } from './judgeCluster.js';

export interface ScanRequest {
  /** Subscriptions to scan; every subscription the credential can list when absent. */
  subscriptionIds?: string[];
  /** Scan only these clusters (event-driven rescans); `subscriptionIds` is then ignored. */
  clusterIds?: string[];
  policy: Policy;
}

export interface ScanProgress {
  subscriptionsDone: number;
  subscriptionsTotal?: number;
  clustersJudged: number;
}

export interface ScanDependencies {
  fleet: FleetReader;
  /** Reads the API server's TLS certificate; absent when the probe is off. */
  apiServerProbe?: ApiServerProbe;
  /** Absent with `--no-store`; may still be opening (a store that fails to open fails the recording, not the scan). */
  store?: ComplianceStore | Promise<ComplianceStore>;
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
}

/** Spreads `clusters` credential reads over 16 subscriptions at a time, half of them at most on one subscription. */
export function scanConcurrency(clusters: number) {
  return { subscriptions: 16, clusters, clustersPerSubscription: Math.max(1, Math.ceil(clusters / 2)) };
}

/** SCAN_CONCURRENCY's default. */
export const DEFAULT_CONCURRENCY = scanConcurrency(32);

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
  const record = async (action: (store: ComplianceStore) => Promise<void>) => {
    if (!storeReady || storeError) return;
    try {
      await action(await storeReady);
    } catch (error) {
      storeError = error instanceof StoreError ? error : new StoreError(String(error));
    }
  };

  /** Judges a batch of one subscription's clusters and records it: the path every kind of scan takes. */
  const judgeAndRecord = async (clusters: ClusterFacts[], unreadable: ClusterVerdict[], previous: Map<string, LatestState>, slots: LimitFunction) => {
    const judged = await Promise.all(clusters.map((cluster) => slots(() => clusterSlots(() => judgeCluster(cluster, deps, request.policy, startedAt)))));
    judged.push(...unreadable);
    verdicts.push(...judged);
    progress.clustersJudged += judged.length;
    deps.onProgress?.({ ...progress });
    await record((store) => store.recordVerdicts(scanId, startedAt, judged, previous));
  };

  const scanSubscription = async (subscriptionId: string) => {
    let previous = new Map<string, LatestState>();
    await record(async (store) => {
      previous = await store.latestStates(subscriptionId);
    });
    const perSubscription = pLimit(concurrency.clustersPerSubscription);
    // The next page is fetched while this one is judged: listing and judging overlap, and at most
    // two pages are held at a time, so memory stays flat however large the subscription.
    let judging: Promise<void> | undefined;
    try {
      for await (const page of deps.fleet.listClusterPages(subscriptionId)) {
        const unreadable = page.invalid.map((invalid) => {
          errors.push({ scope: invalid.id, code: 'InvalidClusterShape', message: invalid.message });
          return unreadableClusterVerdict(clusterIdentity(invalid.id, subscriptionId), invalid.message);
        });
        await judging;
        judging = judgeAndRecord(page.clusters, unreadable, previous, perSubscription);
      }
    } catch (error) {
      const failure = describeArmFailure('listing managed clusters', error);
      errors.push({ scope: `/subscriptions/${subscriptionId}`, code: failure.code, message: failure.message });
    } finally {
      await judging;
    }
    progress.subscriptionsDone++;
    deps.onProgress?.({ ...progress });
  };

  const missing: string[] = [];
  const scanClusters = async (subscriptionId: string, clusterIds: string[]) => {
    const slots = pLimit(concurrency.clustersPerSubscription);
    const found: ClusterFacts[] = [];
    const unreadable: ClusterVerdict[] = [];
    await Promise.all(clusterIds.map((id) => slots(async () => {
      try {
        const cluster = await deps.fleet.getCluster(id);
        if (cluster) found.push(cluster);
        else missing.push(id);
      } catch (error) {
        const failure = describeArmFailure('reading the managed cluster', error);
        errors.push({ scope: id, code: failure.code, message: failure.message });
        unreadable.push(unreadableClusterVerdict(clusterIdentity(id, subscriptionId), failure.message));
      }
    })));
    const previous = new Map<string, LatestState>();
    await record(async (store) => {
      for (const cluster of [...found, ...unreadable]) {
        const state = await store.latestStateOf(cluster.subscriptionId, cluster.id);
        if (state) previous.set(clusterKey(cluster.id), state);
      }
    });
    await judgeAndRecord(found, unreadable, previous, slots);
    progress.subscriptionsDone++;
  };

  let subscriptionIds: string[];
  if (request.clusterIds) {
    const bySubscription = groupBySubscription(request.clusterIds);
    subscriptionIds = [...bySubscription.keys()];
    await Promise.all([...bySubscription].map(([subscriptionId, ids]) => scanClusters(subscriptionId, ids)));
  } else {
    subscriptionIds = request.subscriptionIds ?? (await listSubscriptionIds(deps.fleet, errors));
    progress.subscriptionsTotal = subscriptionIds.length;
    const subscriptionSlots = pLimit(concurrency.subscriptions);
    await Promise.all(subscriptionIds.map((id) => subscriptionSlots(() => scanSubscription(id))));
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
    },
    clusters: verdicts,
  };
  await record((store) => store.recordScan(report.scan, verdicts));
  return { report, missing, ...(storeError ? { storeError } : {}) };
}

async function listSubscriptionIds(fleet: FleetReader, errors: ScanError[]): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const subscription of fleet.listSubscriptions()) ids.push(subscription.subscriptionId);
  } catch (error) {
    const failure = describeArmFailure('listing subscriptions', error);
    errors.push({ scope: 'tenant', code: failure.code, message: failure.message });
  }
  return ids;
}

function clusterIdentity(id: string, subscriptionId: string) {
  const ref = parseManagedClusterId(id);
  return { id, subscriptionId, resourceGroup: ref?.resourceGroup ?? '', name: ref?.name ?? id.split('/').at(-1) ?? id, location: '' };
}

/** Cluster ids by the subscription in their id (ARM ids are case-insensitive; the first spelling wins). */
function groupBySubscription(clusterIds: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const spelling = new Map<string, string>();
  for (const id of clusterIds) {
    const subscriptionId = parseManagedClusterId(id)?.subscriptionId;
    if (!subscriptionId) throw new Error(`"${id}" is not a managed cluster resource id`);
    const key = subscriptionId.toLowerCase();
    if (!spelling.has(key)) spelling.set(key, subscriptionId);
    const group = groups.get(spelling.get(key)!) ?? [];
    group.push(id);
    groups.set(spelling.get(key)!, group);
  }
  return groups;
}
