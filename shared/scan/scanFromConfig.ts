import { createApiServerProbe, createFleetReader, loadPolicy, openComplianceStore } from '../compose.js';
import type { Config } from '../config.js';
import { runScan, type ScanOutcome } from './runScan.js';

/** One recorded scan of the configured scope: what the timer runs. */
export async function scanFromConfig(config: Config): Promise<ScanOutcome> {
  const policy = await loadPolicy(config);
  return runScan(
    { subscriptionIds: config.AZURE_SUBSCRIPTION_IDS, policy },
    { fleet: createFleetReader(config), apiServerProbe: createApiServerProbe(config), store: openComplianceStore(config), concurrency: scanConcurrency(config.SCAN_CONCURRENCY) },
  );
}

/** Spreads SCAN_CONCURRENCY credential calls over subscriptions, half of it at most on one subscription. */
export function scanConcurrency(clusters: number) {
  return { subscriptions: 4, clusters, clustersPerSubscription: Math.max(1, Math.ceil(clusters / 2)) };
}
