import type { InvocationContext, Timer } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import type { ScanSubscriptionMessage } from '../queue/messages.js';

export interface ScheduledScanDependencies {
  /** Subscriptions in scope: configured, or every one the identity can list. */
  subscriptionIds: () => Promise<string[]>;
  enqueue: (message: ScanSubscriptionMessage) => Promise<void>;
}

/**
 * On schedule: fan the scan out, one `scan-subscription` message per subscription, so that a large
 * fleet spreads over Function instances instead of running in one invocation.
 */
export function makeScheduledScanHandler(deps: ScheduledScanDependencies) {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    if (timer.isPastDue) context.warn('scheduledScan is running late (the previous schedule was missed)');
    const runId = randomUUID();
    const subscriptionIds = await deps.subscriptionIds();
    const requestedAt = new Date().toISOString();
    await Promise.all(subscriptionIds.map((subscriptionId) => deps.enqueue({ schemaVersion: 1, kind: 'scan-subscription', subscriptionId, runId, requestedAt })));
    context.log(`scheduled run ${runId}: ${subscriptionIds.length} subscription scans queued`);
  };
}
