import { complianceStorage, loadPolicy, openComplianceStore, scanSources } from './adapters.js';
import type { Config } from '../config.js';
import type { Policy } from '../domain/policy.js';
import { PENDING_RESCANS_TABLE, RescanScheduler } from '../queue/rescanScheduler.js';
import { ScanQueues } from '../queue/scanQueues.js';
import { runScan, type ScanOutcome } from '../scan/runScan.js';
import type { ComplianceStore } from '../store/complianceStore.js';
import { tableClient } from './storageTarget.js';
import { ensureTable } from '../store/tableBatch.js';

/**
 * What the Function handlers share within one process, opened on first use and kept: a warm instance
 * reuses its store, queues and SDK clients instead of reconnecting per invocation.
 */
export interface Services {
  config: Config;
  policy(): Promise<Policy>;
  store(): Promise<ComplianceStore>;
  queues(): Promise<ScanQueues>;
  rescans(): Promise<RescanScheduler>;
  /** A recorded scan of the given scope through the shared scan path. */
  scan(scope: { subscriptionIds?: string[]; clusterIds?: string[] }): Promise<ScanOutcome>;
  /** Subscriptions in scope: the configured ones, or every one the identity can list. */
  subscriptionIds(): Promise<string[]>;
}

export function createServices(config: Config): Services {
  const once = <T>(open: () => Promise<T>) => {
    let opened: Promise<T> | undefined;
    return () => {
      opened ??= open().catch((error) => {
        opened = undefined; // a failed open is retried by the next invocation
        throw error;
      });
      return opened;
    };
  };
  const target = () => complianceStorage(config);
  const sources = scanSources(config);
  const policy = once(() => loadPolicy(config));
  const store = once(() => openComplianceStore(config));
  const queues = once(() => ScanQueues.open(target()));
  const rescans = once(async () => {
    const pending = tableClient(target(), PENDING_RESCANS_TABLE);
    await ensureTable(pending);
    return new RescanScheduler(pending, await queues(), config.RESCAN_DEBOUNCE_SECONDS * 1000);
  });

  return {
    config, policy, store, queues, rescans,
    async scan(scope) {
      return runScan({ ...scope, policy: await policy() }, { ...sources, store: store() });
    },
    async subscriptionIds() {
      if (config.AZURE_SUBSCRIPTION_IDS) return config.AZURE_SUBSCRIPTION_IDS;
      const ids: string[] = [];
      for await (const subscription of sources.fleet.listSubscriptions()) ids.push(subscription.subscriptionId);
      return ids;
    },
  };
}
