/**
 * Reading and writing the state fields of a simulated cluster's wire resource (`properties.provisioningState`,
 * `properties.powerState.code`, and each agent pool's copies of them). The resource is ARM's JSON as
 * served, so these helpers tolerate fields that a hand-written fixture left out.
 */
import type { SimulatedCluster } from './fleet.js';

export type PowerState = 'Running' | 'Stopped';

/** Provisioning states in which ARM accepts a new operation on the cluster (others mean one runs). */
const TERMINAL_STATES = new Set(['succeeded', 'failed', 'canceled']);

export function propertiesOf(cluster: SimulatedCluster): Record<string, unknown> {
  const existing = cluster.resource['properties'];
  if (typeof existing === 'object' && existing !== null) return existing as Record<string, unknown>;
  const created: Record<string, unknown> = {};
  cluster.resource['properties'] = created;
  return created;
}

export function provisioningStateOf(cluster: SimulatedCluster): string | undefined {
  const state = propertiesOf(cluster)['provisioningState'];
  return typeof state === 'string' ? state : undefined;
}

/** The provisioning state when it says an operation is running (`Updating`, `Stopping`, ...), else undefined. */
export function busyStateOf(cluster: SimulatedCluster): string | undefined {
  const state = provisioningStateOf(cluster);
  return state !== undefined && !TERMINAL_STATES.has(state.toLowerCase()) ? state : undefined;
}

export function setProvisioningState(cluster: SimulatedCluster, state: string): void {
  propertiesOf(cluster)['provisioningState'] = state;
}

/** Sets the provisioning state of one agent pool (`poolName`, case-insensitive), or of every pool. */
export function setPoolProvisioningState(cluster: SimulatedCluster, state: string, poolName?: string): void {
  const pools = propertiesOf(cluster)['agentPoolProfiles'];
  if (!Array.isArray(pools)) return;
  for (const pool of pools) {
    if (typeof pool !== 'object' || pool === null) continue;
    const entry = pool as Record<string, unknown>;
    if (poolName === undefined || String(entry['name']).toLowerCase() === poolName.toLowerCase()) entry['provisioningState'] = state;
  }
}

/** `powerState.code`; a cluster without one is running (ARM omits it on some old resources). */
export function powerStateOf(cluster: SimulatedCluster): PowerState {
  const power = propertiesOf(cluster)['powerState'] as { code?: unknown } | undefined;
  return power?.code === 'Stopped' ? 'Stopped' : 'Running';
}

/** Sets the cluster's power state and its agent pools', as `az aks stop`/`start` leave them. */
export function setPowerState(cluster: SimulatedCluster, code: PowerState): void {
  const properties = propertiesOf(cluster);
  properties['powerState'] = { code };
  const pools = properties['agentPoolProfiles'];
  if (!Array.isArray(pools)) return;
  for (const pool of pools) {
    if (typeof pool === 'object' && pool !== null) (pool as Record<string, unknown>)['powerState'] = { code };
  }
}

export function locationOf(cluster: SimulatedCluster): string {
  const location = cluster.resource['location'];
  return typeof location === 'string' ? location : 'eastus';
}

/** ARM moves `systemData.lastModifiedAt` on every write to the resource (a resource served without systemData stays so). */
export function touchLastModified(cluster: SimulatedCluster, at = new Date()): void {
  const systemData = cluster.resource['systemData'];
  if (typeof systemData === 'object' && systemData !== null) (systemData as Record<string, unknown>)['lastModifiedAt'] = at.toISOString();
}
