export interface ManagedClusterId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

// Live ARM ids may say `resourcegroups` and `managedclusters` in any case (reference/arm-examples).
const MANAGED_CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)$/i;

export function parseManagedClusterId(id: string): ManagedClusterId | undefined {
  const match = MANAGED_CLUSTER_ID.exec(id.trim());
  if (!match) return undefined;
  return { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
}
