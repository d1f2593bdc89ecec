import type { InvocationContext } from '@azure/functions';
import { clusterIdentity } from '../domain/clusterId.js';
import { AksCertError, ClusterShapeError, messageOf, UnconfirmedEventError } from '../domain/errors.js';
import { readClusterEvent, type ClusterEvent } from '../events/clusterEvent.js';
import type { RescanRequestOutcome } from '../queue/rescanScheduler.js';
import type { FleetReader } from '../scan/ports.js';
import { inScope } from '../scan/scope.js';
import type { ComplianceStore, LatestState } from '../store/complianceStore.js';
import { coalescing } from './coalescing.js';

export interface ClusterEventsDependencies {
  /** Configured subscriptions; events of others are ignored. Undefined: every subscription. */
  scope?: string[];
  store: () => Promise<Pick<ComplianceStore, 'statesAsRecorded' | 'recordDeletion'>>;
  rescans: () => Promise<{ requestMany(events: readonly ClusterEvent[]): Promise<PromiseSettledResult<RescanRequestOutcome>[]> }>;
  /** Resource Manager, asked whether a cluster an event says was deleted is really gone. */
  fleet: Pick<FleetReader, 'getCluster'>;
  /** Alerting, when configured: a recorded deletion resolves the cluster's open alert. */
  alerts?: () => Promise<{ clusterDeleted(cluster: ClusterEvent['cluster'], at: Date, eventId: string): Promise<unknown> } | undefined>;
  /** The clock events are checked against; the system's by default. */
  now?: () => Date;
}

/**
 * How far ahead of this host's clock an event may be dated (clock skew between Event Grid and us).
 * An event dated later than that is refused: its time would date a history row in the future, which
 * no later verdict could follow, and which `verify` would then flag.
 */
export const MAX_EVENT_CLOCK_SKEW_MS = 5 * 60_000;

/** What became of an event that asks for a rescan: judged after it already, or the debounce's outcome. */
type RescanDecision = { kind: 'stale'; judgedAt: Date } | { kind: 'rescan'; outcome: RescanRequestOutcome };

/**
 * Event Grid events (either schema) about managed clusters, one per invocation or an array of them:
 * a change asks for a debounced rescan, a deletion that Resource Manager confirms (the cluster answers
 * 404) is recorded in the history, one it does not confirm asks for a rescan instead. Events outside
 * the scope, for other resources or of other types are ignored with a log line; a malformed event is
 * rejected with a message, never thrown, so it cannot fail the rest of the batch or be redelivered
 * forever; so is an event dated more than MAX_EVENT_CLOCK_SKEW_MS ahead of the clock.
 *
 * The rescans asked for at the same time (the events of one array, and the invocations the runtime
 * makes at once for the events of one delivery) are decided together: the latest states read with one
 * query per subscription, the debounce markers with one query and one transaction per hundred
 * clusters, instead of three round trips per event.
 */
export function makeClusterEventsHandler(deps: ClusterEventsDependencies) {
  const clock = deps.now ?? (() => new Date());
  const decideRescans = coalescing<ClusterEvent, RescanDecision>(async (events) => {
    const [store, rescans] = await Promise.all([deps.store(), deps.rescans()]);
    const results: PromiseSettledResult<RescanDecision>[] = new Array(events.length);
    const states = await latestStatesOf(store, events);
    const wanted: number[] = [];
    events.forEach((event, index) => {
      const state = states.get(clusterIdentity(event.cluster.id));
      if (state instanceof Error) results[index] = { status: 'rejected', reason: state };
      else if (state && state.recordedAt >= event.time) results[index] = { status: 'fulfilled', value: { kind: 'stale', judgedAt: state.recordedAt } };
      else wanted.push(index);
    });
    const outcomes = wanted.length > 0 ? await rescans.requestMany(wanted.map((index) => events[index]!)) : [];
    wanted.forEach((index, n) => {
      const outcome = outcomes[n]!;
      results[index] = outcome.status === 'fulfilled' ? { status: 'fulfilled', value: { kind: 'rescan', outcome: outcome.value } } : outcome;
    });
    return results;
  });

  const handleOne = async (input: unknown, context: InvocationContext): Promise<void> => {
    const reading = readClusterEvent(input);
    if (reading.kind === 'invalid') return context.error(`rejected event: ${reading.reason}`);
    if (reading.kind === 'ignored') return context.log(`ignored event ${reading.id}: ${reading.reason}`);
    if (reading.kind === 'validation') return context.log(`subscription validation event ${reading.id} (answered by the host)`);

    const { event } = reading;
    if (!inScope(deps.scope, event.cluster.subscriptionId)) {
      return context.log(`ignored event ${event.id}: subscription ${event.cluster.subscriptionId} is outside the configured scope`);
    }
    const now = clock();
    if (event.time.getTime() - now.getTime() > MAX_EVENT_CLOCK_SKEW_MS) {
      return context.warn(`refused event ${event.id}: dated ${event.time.toISOString()}, more than 5 minutes ahead of this clock (${now.toISOString()}); nothing recorded`);
    }
    if (event.change === 'delete') {
      const existing = await confirmDeletion(deps.fleet, event);
      if (existing === undefined) {
        const outcome = await (await deps.store()).recordDeletion({ cluster: event.cluster, eventId: event.id, deletedAt: event.time });
        // A redelivered event ('duplicate') resolves too: its first delivery may have stopped before alerting.
        if (outcome === 'recorded' || outcome === 'duplicate') await (await deps.alerts?.())?.clusterDeleted(event.cluster, event.time, event.id);
        return context.log(`event ${event.id}: deletion of ${event.cluster.id}: ${outcome}`);
      }
      // A forged or misdirected event: the cluster is live, so judge it again rather than drop it.
      context.warn(`event ${event.id}: deletion of ${event.cluster.id} not confirmed: the cluster still exists in Resource Manager (${existing}); asking for a rescan instead`);
    }
    const decision = await decideRescans(event);
    if (decision.kind === 'stale') {
      return context.log(`ignored event ${event.id}: ${event.cluster.id} was judged at ${decision.judgedAt.toISOString()}, after this ${event.operation}`);
    }
    context.log(`event ${event.id}: ${event.operation} on ${event.cluster.id}: rescan ${decision.outcome}`);
  };

  return async (input: unknown, context: InvocationContext): Promise<void> => {
    if (!Array.isArray(input)) return handleOne(input, context);
    const settled = await Promise.allSettled(input.map((one) => handleOne(one, context)));
    const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new AksCertError(`${failures.length} of ${input.length} events failed (the batch is to be delivered again); the first: ${messageOf(failures[0])}`, { cause: failures[0] });
    }
  };
}

/**
 * The latest recorded state of each cluster the events name, by `clusterIdentity`, as recorded (the
 * handler decides; it settles nothing). A subscription whose states could not be read maps its
 * clusters to the error.
 */
async function latestStatesOf(store: Pick<ComplianceStore, 'statesAsRecorded'>, events: readonly ClusterEvent[]): Promise<Map<string, LatestState | Error | undefined>> {
  const bySubscription = new Map<string, Map<string, ClusterEvent['cluster']>>();
  for (const { cluster } of events) {
    const key = cluster.subscriptionId.toLowerCase();
    const clusters = bySubscription.get(key) ?? new Map<string, ClusterEvent['cluster']>();
    bySubscription.set(key, clusters.set(clusterIdentity(cluster.id), cluster));
  }
  const states = new Map<string, LatestState | Error | undefined>();
  await Promise.all([...bySubscription.values()].map(async (clusters) => {
    const all = [...clusters];
    try {
      const recorded = await store.statesAsRecorded(all[0]![1].subscriptionId, all.map(([, cluster]) => cluster.id));
      for (const [key, cluster] of all) states.set(key, recorded.of(cluster.id));
    } catch (error) {
      for (const [key] of all) states.set(key, error instanceof Error ? error : new Error(String(error)));
    }
  }));
  return states;
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
