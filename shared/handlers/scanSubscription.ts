import type { InvocationContext } from '@azure/functions';
import { QUEUES, scanSubscriptionMessage } from '../queue/messages.js';
import type { ScanOutcome } from '../scan/runScan.js';
import { logScanOutcome } from './logScanOutcome.js';
import { withPoisonQueue, type PoisonQueue } from './queueMessage.js';

export interface ScanSubscriptionDependencies {
  scan: (scope: { subscriptionIds: string[] }) => Promise<ScanOutcome>;
  poison: () => Promise<PoisonQueue>;
}

/** From the `scan-subscription` queue: scan one subscription through the full scan's path, and record it. */
export function makeScanSubscriptionHandler(deps: ScanSubscriptionDependencies) {
  return withPoisonQueue(QUEUES.scanSubscription, scanSubscriptionMessage, deps.poison, async (message, context: InvocationContext) => {
    const outcome = await deps.scan({ subscriptionIds: [message.subscriptionId] });
    logScanOutcome(context, outcome, `run ${message.runId}`);
    if (outcome.storeError) throw outcome.storeError;
  });
}
