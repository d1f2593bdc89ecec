import type { InvocationContext } from '@azure/functions';
import { QUEUES, scanClusterMessage, type ReceivedScanClusterMessage } from '../queue/messages.js';
import { clusterIdentity, type ClusterId } from '../domain/clusterId.js';
import type { ScanOutcome } from '../scan/runScan.js';
import { coalescing } from './coalescing.js';
import { logScanOutcome } from './logScanOutcome.js';
import { withPoisonQueue, type PoisonQueue } from './queueMessage.js';

export interface ScanClusterDependencies {
  /** `fullRead`: an event may have changed the certificates, so the rescan reads them (never carries them). */
  scan: (scope: { clusters: ClusterId[]; fullRead: true }) => Promise<ScanOutcome>;
  rescans: () => Promise<{ begin(message: ReceivedScanClusterMessage): Promise<void> }>;
  poison: () => Promise<PoisonQueue>;
}

/**
 * From the `scan-cluster` queue: re-judge the clusters of a message after their events, through the
 * full scan's path, each logged on its own. The rescans a process runs at the same time (the clusters
 * of a message, and of the messages of a queue batch) are one scan: they share its table round trips
 * (its run, states, intents, checkpoint) instead of queueing for them.
 */
export function makeScanClusterHandler(deps: ScanClusterDependencies) {
  const rescan = coalescing<ClusterId, ScanOutcome>(async (clusters) => {
    const unique = [...new Map(clusters.map((c) => [clusterIdentity(c.id), c])).values()];
    const outcome = await deps.scan({ clusters: unique, fullRead: true });
    return clusters.map((cluster) => ({ status: 'fulfilled', value: outcomeOf(outcome, cluster) }));
  });
  return withPoisonQueue(QUEUES.scanCluster, scanClusterMessage, deps.poison, async (message, context: InvocationContext) => {
    await (await deps.rescans()).begin(message);
    const outcomes = await Promise.all(message.clusters.map(async ({ clusterId, eventId }) => {
      const outcome = await rescan(clusterId);
      logScanOutcome(context, outcome, `${message.trigger} rescan after event ${eventId}`);
      for (const id of outcome.missing) context.log(`${id} no longer exists; its deletion event records it`);
      return outcome;
    }));
    // The whole message is retried: a rescan of a cluster already recorded is one more verdict, no harm.
    const storeError = outcomes.find((outcome) => outcome.storeError)?.storeError;
    if (storeError) throw storeError;
  });
}

/** One cluster's part of a scan that judged several. */
function outcomeOf(outcome: ScanOutcome, cluster: ClusterId): ScanOutcome {
  const identity = clusterIdentity(cluster.id);
  const ours = (id: string) => clusterIdentity(id) === identity;
  const clusters = outcome.report.clusters.filter((verdict) => ours(verdict.id));
  const errors = outcome.report.scan.errors.filter((error) => ours(error.scope));
  return {
    ...outcome,
    report: { scan: { ...outcome.report.scan, subscriptions: 1, clusters: clusters.length, errors }, clusters },
    missing: outcome.missing.filter(ours),
  };
}
