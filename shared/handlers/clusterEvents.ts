import type { InvocationContext } from '@azure/functions';
import { readClusterEvent, type ClusterEvent } from '../events/clusterEvent.js';
import type { RescanRequestOutcome } from '../queue/rescanScheduler.js';
import { inScope } from '../scan/scope.js';
import type { ComplianceStore } from '../store/complianceStore.js';

export interface ClusterEventsDependencies {
  /** Configured subscriptions; events of others are ignored. Undefined: every subscription. */
  scope?: string[];
  store: () => Promise<Pick<ComplianceStore, 'latestStateOf' | 'recordDeletion'>>;
  rescans: () => Promise<{ request(event: ClusterEvent): Promise<RescanRequestOutcome> }>;
  /** The clock events are checked against; the system's by default. */
  now?: () => Date;
}

/**
 * How far ahead of this host's clock an event may be dated (clock skew between Event Grid and us).
 * An event dated later than that is refused: its time would date a history row in the future, which
 * no later verdict could follow, and which `verify` would then flag.
 */
export const MAX_EVENT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * An Event Grid event (either schema) about a managed cluster: a change asks for a debounced rescan,
 * a deletion is recorded in the history. Events outside the scope, for other resources or of other
 * types are ignored with a log line; a malformed event is rejected with a message, never thrown, so
 * it cannot fail the rest of the batch or be redelivered forever; so is an event dated more than
 * MAX_EVENT_CLOCK_SKEW_MS ahead of the clock.
 */
export function makeClusterEventsHandler(deps: ClusterEventsDependencies) {
  return async (input: unknown, context: InvocationContext): Promise<void> => {
    const reading = readClusterEvent(input);
    if (reading.kind === 'invalid') return context.error(`rejected event: ${reading.reason}`);
    if (reading.kind === 'ignored') return context.log(`ignored event ${reading.id}: ${reading.reason}`);
    if (reading.kind === 'validation') return context.log(`subscription validation event ${reading.id} (answered by the host)`);

    const { event } = reading;
    if (!inScope(deps.scope, event.cluster.subscriptionId)) {
      return context.log(`ignored event ${event.id}: subscription ${event.cluster.subscriptionId} is outside the configured scope`);
    }
    const now = (deps.now ?? (() => new Date()))();
    if (event.time.getTime() - now.getTime() > MAX_EVENT_CLOCK_SKEW_MS) {
      return context.warn(`refused event ${event.id}: dated ${event.time.toISOString()}, more than 5 minutes ahead of this clock (${now.toISOString()}); nothing recorded`);
    }
    const store = await deps.store();
    if (event.change === 'delete') {
      const outcome = await store.recordDeletion({ cluster: event.cluster, eventId: event.id, deletedAt: event.time });
      return context.log(`event ${event.id}: deletion of ${event.cluster.id}: ${outcome}`);
    }
    const state = await store.latestStateOf(event.cluster.subscriptionId, event.cluster.id);
    if (state && state.recordedAt >= event.time) {
      return context.log(`ignored event ${event.id}: ${event.cluster.id} was judged at ${state.recordedAt.toISOString()}, after this ${event.operation}`);
    }
    const outcome = await (await deps.rescans()).request(event);
    context.log(`event ${event.id}: ${event.operation} on ${event.cluster.id}: rescan ${outcome}`);
  };
}
