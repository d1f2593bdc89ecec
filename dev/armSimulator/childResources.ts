/**
 * A managed cluster's child resources as ARM serves them: its planned maintenance configurations
 * (`.../maintenanceConfigurations[/{configName}]`) from the fleet definition, and its agent pools
 * (`.../agentPools[/{agentPoolName}]`) from the cluster's own `agentPoolProfiles`, so that both stay in
 * step with what operations do to the cluster. Names are matched case-insensitively, as ARM does.
 */
import { armError, ok, type ArmReply } from './armReply.js';
import { propertiesOf } from './clusterState.js';
import type { SimulatedCluster } from './fleet.js';

const MAINTENANCE_TYPE = 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations';
const AGENT_POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';

function childResource(cluster: SimulatedCluster, collection: string, type: string, name: string, properties: Record<string, unknown>) {
  return { id: `${cluster.resource.id}/${collection}/${name}`, name, type, properties };
}

function maintenanceConfigurations(cluster: SimulatedCluster) {
  return (cluster.maintenanceConfigurations ?? []).map((c) =>
    childResource(cluster, 'maintenanceConfigurations', MAINTENANCE_TYPE, c.name, structuredClone(c.properties)),
  );
}

/** The pools of `agentPoolProfiles`, each as the agentPools resource (`properties` = the profile without its name). */
export function agentPoolsOf(cluster: SimulatedCluster) {
  const profiles = propertiesOf(cluster)['agentPoolProfiles'];
  if (!Array.isArray(profiles)) return [];
  return profiles.flatMap((profile: unknown) => {
    if (typeof profile !== 'object' || profile === null) return [];
    const { name, ...properties } = structuredClone(profile) as Record<string, unknown>;
    return typeof name === 'string' ? [childResource(cluster, 'agentPools', AGENT_POOL_TYPE, name, properties)] : [];
  });
}

function byName<T extends { name: string }>(items: T[], name: string): T | undefined {
  return items.find((item) => item.name.toLowerCase() === name.toLowerCase());
}

/** GET of the list (`name` undefined) or of one configuration: 404 NotFound when it does not exist. */
export function maintenanceConfigurationReply(cluster: SimulatedCluster, name: string | undefined): ArmReply {
  const all = maintenanceConfigurations(cluster);
  if (name === undefined) return ok({ value: all });
  const found = byName(all, name);
  return found !== undefined
    ? ok(found)
    : armError(404, 'NotFound', `Maintenance configuration '${name}' was not found in managed cluster '${cluster.resource.name}'.`);
}

/** GET of the list (`name` undefined) or of one agent pool: 404 NotFound when it does not exist. */
export function agentPoolReply(cluster: SimulatedCluster, name: string | undefined): ArmReply {
  const all = agentPoolsOf(cluster);
  if (name === undefined) return ok({ value: all });
  const found = byName(all, name);
  return found !== undefined
    ? ok(found)
    : armError(404, 'NotFound', `Agent pool '${name}' was not found in managed cluster '${cluster.resource.name}'.`);
}
