/**
 * A cluster named in one URL path segment. ARM ids hold slashes, and an encoded slash (%2F) in a
 * route parameter makes Azure Functions answer 404 when deployed (azure-functions-host#3998), so
 * routes such as `/api/clusters/{id}/history` take `<subscription id>~<resource group>~<cluster name>`
 * (no Azure name can hold `~`). A full resource id is accepted as well, for hosts that pass it through.
 */
const MANAGED_CLUSTER_ID = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;
const REF = /^([^~/]+)~([^~/]+)~([^~/]+)$/;

export function clusterRefOf(clusterId: string): string {
  const match = MANAGED_CLUSTER_ID.exec(clusterId.trim());
  return match ? `${match[1]}~${match[2]}~${match[3]}` : clusterId;
}

/** The resource id a reference stands for, or undefined when it is neither form. */
export function clusterIdFromRef(ref: string): { clusterId: string; subscriptionId: string } | undefined {
  const value = ref.trim();
  const id = MANAGED_CLUSTER_ID.exec(value);
  if (id) return { clusterId: value, subscriptionId: id[1]! };
  const parts = REF.exec(value);
  if (!parts) return undefined;
  const [, subscriptionId, resourceGroup, name] = parts;
  return { clusterId: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`, subscriptionId: subscriptionId! };
}
