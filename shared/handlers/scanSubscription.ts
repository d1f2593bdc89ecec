import type { InvocationContext } from '@azure/functions';
import { QUEUES, scanSubscriptionMessage } from '../queue/messages.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { describeHeld, type RemediationOutcome } from '../rotation/remediate.js';
import type { ScanOutcome } from '../scan/runScan.js';
import { logScanOutcome } from './logScanOutcome.js';
import { withPoisonQueue, type PoisonQueue } from './queueMessage.js';

export interface ScanSubscriptionDependencies {
  scan: (scope: { subscriptionIds: string[] }) => Promise<ScanOutcome>;
  poison: () => Promise<PoisonQueue>;
  /** Present only with REMEDIATION=on: act on the recorded verdicts (README "Rotation"). */
  remediate?: (verdicts: ClusterVerdict[]) => Promise<RemediationOutcome[]>;
}

/** From the `scan-subscription` queue: scan one subscription through the full scan's path, and record it. */
export function makeScanSubscriptionHandler(deps: ScanSubscriptionDependencies) {
  return withPoisonQueue(QUEUES.scanSubscription, scanSubscriptionMessage, deps.poison, async (message, context: InvocationContext) => {
    const outcome = await deps.scan({ subscriptionIds: [message.subscriptionId] });
    logScanOutcome(context, outcome, `run ${message.runId}`);
    if (outcome.storeError) throw outcome.storeError;
    if (!deps.remediate) return;
    const outcomes = await deps.remediate(outcome.report.clusters);
    const started = outcomes.filter((o) => o.remediation.state === 'started').map((o) => o.name);
    context.log(`run ${message.runId}: remediation started ${started.length} rotations${started.length ? ` (${started.join(', ')})` : ''}`);
    for (const line of describeHeld(outcomes)) context.log(`run ${message.runId}: held: ${line}`);
  });
}
