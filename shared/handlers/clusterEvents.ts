import type { InvocationContext } from '@azure/functions';
import { ClusterShapeError, messageOf, UnconfirmedEventError } from '../domain/errors.js';
import { readClusterEvent, type ClusterEvent } from '../events/clusterEvent.js';
import type { RescanRequestOutcome } from '../queue/rescanScheduler.js';
import type { FleetReader } from '../scan/ports.js';
import { inScope } from '../scan/scope.js';
import type { ComplianceStore } from '../store/complianceStore.js';

export interface ClusterEventsDependencies {
  /** Configured subscriptions; events of others are ignored. Undefined: every subscription. */
  scope?: string[];
  store: () => Promise<Pick<ComplianceStore, 'latestStateOf' | 'recordDeletion'>>;
  rescans: () => Promise<{ request(event: ClusterEvent): Promise<RescanRequestOutcome> }>;
  /** Resource Manager, asked whether a cluster an event says was deleted is really gone. */
  fleet: Pick<FleetReader, 'getCluster'>;
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
 * a deletion that Resource Manager confirms (the cluster answers 404) is recorded in the history, one
 * it does not confirm asks for a rescan instead. Events outside the scope, for other resources or of other
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
      const existing = await confirmDeletion(deps.fleet, event);
      if (existing === undefined) {
        const outcome = await store.recordDeletion({ cluster: event.cluster, eventId: event.id, deletedAt: event.time });
        return context.log(`event ${event.id}: deletion of ${event.cluster.id}: ${outcome}`);
      }
      // A forged or misdirected event: the cluster is live, so judge it again rather than drop it.
      context.warn(`event ${event.id}: deletion of ${event.cluster.id} not confirmed: the cluster still exists in Resource Manager (${existing}); asking for a rescan instead`);
    }
    const state = await store.latestStateOf(event.cluster.subscriptionId, event.cluster.id);
    if (state && state.recordedAt >= event.time) {
      return context.log(`ignored event ${event.id}: ${event.cluster.id} was judged at ${state.recordedAt.toISOString()}, after this ${event.operation}`);
    }
    const outcome = await (await deps.rescans()).request(event);
    context.log(`event ${event.id}: ${event.operation} on ${event.cluster.id}: rescan ${outcome}`);
  };
}

/**
 * Whether ARM confirms that the cluster an event says was deleted is gone: undefined when it is (404),
 * else what ARM shows of it. Throws UnconfirmedEventError, recording nothing, when ARM cannot say
 * (throttled, unreachable, refused) or the cluster is still being deleted: Event Grid redelivers, and
 * a later delivery finds the answer.
 */
async function confirmDeletion(fleet: Pick<FleetReader, 'getCluster'>, event: ClusterEvent): Promise<string | undefined> {
  const unconfirmed = (why: string, cause?: unknown) =>
    new UnconfirmedEventError(`could not confirm the deletion of ${event.cluster.id} (event ${event.id}) with Resource Manager: ${why}; nothing recorded, the event is to be delivered again`, { cause });
  let cluster;
  try {
    cluster = await fleet.getCluster(event.cluster);
  } catch (error) {
    // ARM answered with the cluster, in a shape the rules cannot read: it exists.
    if (error instanceof ClusterShapeError) return 'described in a shape the rules cannot read';
    throw unconfirmed(messageOf(error), error);
  }
  if (cluster === undefined) return undefined;
  const state = cluster.provisioningState ?? 'Succeeded';
  if (state.toLowerCase() === 'deleting') throw unconfirmed(`the cluster is still being deleted (provisioning state ${state})`);
  return `provisioning state ${state}`;
}
