/**
 * Case-insensitive lookups into the simulated fleet. ARM resource ids are case-insensitive and live
 * ids differ in case (`resourcegroups`), so every comparison goes through one normalised key.
 *
 * The index is rebuilt when the fleet's arrays change length or identity, so a test may push
 * clusters into the running simulator's fleet and see them served.
 */
import type { SimulatedCluster, SimulatedFleet, SimulatedSubscription } from './fleet.js';

export function clusterKey(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.containerservice/managedclusters/${name}`.toLowerCase();
}

/** The resource group named in an ARM resource id, whatever the case of `resourceGroups`. */
export function resourceGroupOf(resourceId: string): string | undefined {
  const match = /\/resourcegroups\/([^/]+)/i.exec(resourceId);
  return match?.[1];
}

interface Snapshot {
  subscriptions: SimulatedSubscription[];
  subscriptionCount: number;
  clusters: SimulatedCluster[];
  clusterCount: number;
  subscriptionsById: Map<string, SimulatedSubscription>;
  clustersById: Map<string, SimulatedCluster>;
  clustersBySubscription: Map<string, SimulatedCluster[]>;
  clustersByFqdn: Map<string, SimulatedCluster>;
}

/** The public API server name (`properties.fqdn`), lower-cased. */
export function fqdnOf(cluster: SimulatedCluster): string | undefined {
  const properties = cluster.resource['properties'] as { fqdn?: unknown } | undefined;
  return typeof properties?.fqdn === 'string' ? properties.fqdn.toLowerCase() : undefined;
}

export class FleetIndex {
  private snapshot: Snapshot | undefined;

  constructor(readonly fleet: SimulatedFleet) {}

  private current(): Snapshot {
    const { subscriptions, clusters } = this.fleet;
    const s = this.snapshot;
    if (
      s !== undefined &&
      s.subscriptions === subscriptions &&
      s.subscriptionCount === subscriptions.length &&
      s.clusters === clusters &&
      s.clusterCount === clusters.length
    ) {
      return s;
    }
    const subscriptionsById = new Map(subscriptions.map((sub) => [sub.subscriptionId.toLowerCase(), sub]));
    const clustersById = new Map<string, SimulatedCluster>();
    const clustersBySubscription = new Map<string, SimulatedCluster[]>();
    const clustersByFqdn = new Map<string, SimulatedCluster>();
    for (const cluster of clusters) {
      const fqdn = fqdnOf(cluster);
      if (fqdn !== undefined) clustersByFqdn.set(fqdn, cluster);
      clustersById.set(cluster.resource.id.toLowerCase(), cluster);
      const sub = cluster.subscriptionId.toLowerCase();
      const list = clustersBySubscription.get(sub) ?? [];
      list.push(cluster);
      clustersBySubscription.set(sub, list);
    }
    this.snapshot = {
      subscriptions,
      subscriptionCount: subscriptions.length,
      clusters,
      clusterCount: clusters.length,
      subscriptionsById,
      clustersById,
      clustersBySubscription,
      clustersByFqdn,
    };
    return this.snapshot;
  }

  subscription(subscriptionId: string): SimulatedSubscription | undefined {
    return this.current().subscriptionsById.get(subscriptionId.toLowerCase());
  }

  subscriptions(): readonly SimulatedSubscription[] {
    return this.fleet.subscriptions;
  }

  /** Clusters of a subscription, in fleet order, optionally only one resource group's. */
  clusters(subscriptionId: string, resourceGroup?: string): SimulatedCluster[] {
    const all = this.current().clustersBySubscription.get(subscriptionId.toLowerCase()) ?? [];
    if (resourceGroup === undefined) return all;
    const wanted = resourceGroup.toLowerCase();
    return all.filter((c) => resourceGroupOf(c.resource.id)?.toLowerCase() === wanted);
  }

  cluster(subscriptionId: string, resourceGroup: string, name: string): SimulatedCluster | undefined {
    return this.current().clustersById.get(clusterKey(subscriptionId, resourceGroup, name));
  }

  /** The cluster whose public API server name is `fqdn` (case-insensitive). */
  clusterByFqdn(fqdn: string): SimulatedCluster | undefined {
    return this.current().clustersByFqdn.get(fqdn.toLowerCase());
  }
}
