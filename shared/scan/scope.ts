import type { FleetReader } from './ports.js';

/**
 * The one place that decides which subscriptions a run covers: the ones asked for (`--subscription`,
 * a queue message), else the configured ones (AZURE_SUBSCRIPTION_IDS), else every subscription the
 * identity can list. `undefined` means the last.
 */
export function subscriptionScope(requested: readonly string[] | undefined, configured: readonly string[] | undefined): readonly string[] | undefined {
  return requested?.length ? requested : configured;
}

/** Whether a subscription is in scope (ids compare case-insensitively, as ARM's do). */
export function inScope(scope: readonly string[] | undefined, subscriptionId: string): boolean {
  return scope === undefined || scope.some((id) => id.toLowerCase() === subscriptionId.toLowerCase());
}

/** The subscription ids of a scope, listing them from ARM when the scope is "every subscription". */
export async function subscriptionsOf(scope: readonly string[] | undefined, fleet: Pick<FleetReader, 'listSubscriptions'>): Promise<string[]> {
  if (scope) return [...scope];
  const ids: string[] = [];
  for await (const subscription of fleet.listSubscriptions()) ids.push(subscription.subscriptionId);
  return ids;
}
