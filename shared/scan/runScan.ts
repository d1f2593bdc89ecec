import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { ApiServerProbe } from '../azure/apiServerProbe.js';
import type { FleetReader } from '../azure/armFleet.js';
import { describeArmFailure } from '../azure/armErrors.js';
import { parseManagedClusterId } from '../azure/resourceId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { ScanError, ScanReport } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { StoreError, type ComplianceStore, type LatestState } from '../store/complianceStore.js';

export interface ScanRequest {
  /** Subscriptions to scan; every subscription the credential can list when absent. */
  subscriptionIds?: string[];
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
}

export const DEFAULT_CONCURRENCY = { subscriptions: 4, clusters: 16, clustersPerSubscription: 8 };

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

  const judge = async (cluster: ClusterFacts): Promise<ClusterVerdict> => {
    try {
      const [kubeconfig, apiServer] = await Promise.all([
        deps.fleet.readCertificateEvidence(cluster),
        deps.apiServerProbe?.readCertificate(cluster),
      ]);
      const evidence = {
        certificates: [...kubeconfig.certificates, ...(apiServer?.certificates ?? [])],
        unavailable: [...kubeconfig.unavailable, ...(apiServer?.unavailable ?? [])],
      };
      return evaluateCluster(cluster, evidence, request.policy, startedAt);
    } catch (error) {
      return unreadableClusterVerdict(cluster, describeArmFailure('reading the cluster', error).message);
    }
  };

  const scanSubscription = async (subscriptionId: string) => {
    let previous = new Map<string, LatestState>();
    await record(async (store) => {
      previous = await store.latestStates(subscriptionId);
    });
    const perSubscription = pLimit(concurrency.clustersPerSubscription);
    try {
      for await (const page of deps.fleet.listClusterPages(subscriptionId)) {
        const judged = await Promise.all(page.clusters.map((cluster) => perSubscription(() => clusterSlots(() => judge(cluster)))));
        for (const invalid of page.invalid) {
          judged.push(unreadableClusterVerdict(clusterIdentity(invalid.id, subscriptionId), invalid.message));
          errors.push({ scope: invalid.id, code: 'InvalidClusterShape', message: invalid.message });
        }
        verdicts.push(...judged);
        progress.clustersJudged += judged.length;
        deps.onProgress?.({ ...progress });
        await record((store) => store.recordVerdicts(scanId, startedAt, judged, previous));
      }
    } catch (error) {
      const failure = describeArmFailure('listing managed clusters', error);
      errors.push({ scope: `/subscriptions/${subscriptionId}`, code: failure.code, message: failure.message });
    }
    progress.subscriptionsDone++;
    deps.onProgress?.({ ...progress });
  };

  const subscriptionIds = request.subscriptionIds ?? (await listSubscriptionIds(deps.fleet, errors));
  progress.subscriptionsTotal = subscriptionIds.length;
  const subscriptionSlots = pLimit(concurrency.subscriptions);
  await Promise.all(subscriptionIds.map((id) => subscriptionSlots(() => scanSubscription(id))));

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
  return { report, ...(storeError ? { storeError } : {}) };
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
