import type { Config } from '../config.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { Policy } from '../domain/policy.js';
import type { RescanScheduler } from '../queue/rescanScheduler.js';
import type { ScanQueues } from '../queue/scanQueues.js';
import type { FleetReader } from '../scan/ports.js';
import { runScan, type ScanOutcome } from '../scan/runScan.js';
import { subscriptionsOf } from '../scan/scope.js';
import type { ComplianceStore } from '../store/complianceStore.js';
import type { RotationDependencies } from '../rotation/orchestratorPorts.js';
import { rotationDependencies } from './rotation.js';
import { remediate, type RemediationOutcome } from '../rotation/remediate.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import type { Alerting, AlertRound } from '../alerts/alerting.js';
import { messageOf } from '../domain/errors.js';
import { openAlerting } from './alerting.js';
import { complianceStorage, loadPolicy, openComplianceStore, openRescanScheduler, openScanQueues, scanSources } from './adapters.js';

/**
 * What the Function handlers share within one process, opened on first use and kept: a warm instance
 * reuses its store, queues and SDK clients instead of reconnecting per invocation.
 */
export interface Services {
  config: Config;
  /** Resource Manager, as every scan reads it (one set of SDK clients per process). */
  fleet: FleetReader;
  policy(): Promise<Policy>;
  store(): Promise<ComplianceStore>;
  queues(): Promise<ScanQueues>;
  rescans(): Promise<RescanScheduler>;
  /** Alerting, when a channel is configured (undefined otherwise). */
  alerting(): Promise<Alerting | undefined>;
  /** A recorded scan of the given scope through the shared scan path, then its alerts decided and delivered. */
  scan(scope: { subscriptionIds?: string[]; clusters?: ClusterId[]; fullRead?: boolean }): Promise<ScanOutcome & { alerts?: AlertRound | { error: string } }>;
  /** Subscriptions in scope: the configured ones, or every one the identity can list. */
  subscriptionIds(): Promise<string[]>;
  /** What the rotation orchestrator acts through (README "Rotation"), opened once. */
  rotation(): Promise<RotationDependencies>;
  /** Acting on a scan's verdicts: present only with REMEDIATION=on (the scheduled scan acts only then). */
  remediate?: (verdicts: ClusterVerdict[]) => Promise<RemediationOutcome[]>;
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
  const storage = complianceStorage(config);
  const sources = scanSources(config);
  const policy = once(() => loadPolicy(config));
  const store = once(() => openComplianceStore(config, storage));
  const queues = once(() => openScanQueues(config, storage));
  const rescans = once(async () => openRescanScheduler(config, await queues(), storage));
  const rotation = once(async () => rotationDependencies(config, { storage, store: store(), policy: await policy(), sources }));
  const alerting = once(() => openAlerting(config, storage));

  return {
    config, fleet: sources.fleet, policy, store, queues, rescans, alerting,
    async scan(scope) {
      const outcome = await runScan({ ...scope, policy: await policy() }, { ...sources, store: store() });
      // Alerting never fails the scan: the verdicts are recorded, and the next scan decides the same alerts again.
      const alerts = await alerting()
        .then((a) => a?.afterScan(outcome))
        .catch((error: unknown) => ({ error: messageOf(error) }));
      return alerts ? { ...outcome, alerts } : outcome;
    },
    subscriptionIds: () => subscriptionsOf(config.AZURE_SUBSCRIPTION_IDS, sources.fleet),
    rotation,
    ...(config.REMEDIATION === 'on' ? { remediate: async (verdicts: ClusterVerdict[]) => remediate(verdicts, await rotation()) } : {}),
  };
}
