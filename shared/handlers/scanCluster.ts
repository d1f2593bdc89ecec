import type { InvocationContext } from '@azure/functions';
import { QUEUES, scanClusterMessage, type ReceivedScanClusterMessage } from '../queue/messages.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { ScanOutcome } from '../scan/runScan.js';
import { logScanOutcome } from './logScanOutcome.js';
import { withPoisonQueue, type PoisonQueue } from './queueMessage.js';

export interface ScanClusterDependencies {
  scan: (scope: { clusters: ClusterId[] }) => Promise<ScanOutcome>;
  rescans: () => Promise<{ begin(message: ReceivedScanClusterMessage): Promise<void> }>;
  poison: () => Promise<PoisonQueue>;
}

/** From the `scan-cluster` queue: re-judge one cluster after an event, through the full scan's path. */
export function makeScanClusterHandler(deps: ScanClusterDependencies) {
  return withPoisonQueue(QUEUES.scanCluster, scanClusterMessage, deps.poison, async (message, context: InvocationContext) => {
    await (await deps.rescans()).begin(message);
    const outcome = await deps.scan({ clusters: [message.clusterId] });
    logScanOutcome(context, outcome, `${message.trigger} rescan after event ${message.eventId}`);
    for (const id of outcome.missing) context.log(`${id} no longer exists; its deletion event records it`);
    if (outcome.storeError) throw outcome.storeError;
  });
}
