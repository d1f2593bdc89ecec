import { z } from 'zod';

/**
 * The one identity of a managed cluster, parsed once wherever an id enters (ARM, an event, a queue
 * message, a URL, the command line) and carried as is from there on.
 */
export interface ClusterId {
  /** The ARM resource id, spelled as it was given (ARM ids are case-insensitive; keep ARM's spelling). */
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const subscriptionIdSchema = z.string().trim().regex(GUID, 'is not a subscription id (a GUID)');

// Live ARM ids may say `resourcegroups` and `managedclusters` in any case; a child resource
// (agentPools/..., rotateClusterCertificates) may follow the cluster's own id.
const CLUSTER_RESOURCE = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.containerservice\/managedclusters\/([^/]+)(\/.*)?$/i;

/** The cluster a resource id names: the cluster itself (`child` undefined) or one of its child resources. */
export function clusterOfResource(resourceId: string): { cluster: ClusterId; child?: string } | undefined {
  const value = resourceId.trim();
  const match = CLUSTER_RESOURCE.exec(value);
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, name, child] = match;
  const id = child ? value.slice(0, value.length - child.length) : value;
  return { cluster: { id, subscriptionId: subscriptionId!, resourceGroup: resourceGroup!, name: name! }, ...(child ? { child } : {}) };
}

/**
 * What two ids of one cluster have in common: ARM ids are case-insensitive (`resourceGroups` and
 * `resourcegroups`, `AKS-1` and `aks-1` name the same cluster). For grouping and comparing, never for display.
 */
export function clusterIdentity(clusterId: string): string {
  return clusterId.trim().toLowerCase();
}

/** A managed cluster's resource id, exactly (no child resource), or undefined. */
export function parseClusterId(resourceId: string): ClusterId | undefined {
  const parsed = clusterOfResource(resourceId);
  return parsed && !parsed.child ? parsed.cluster : undefined;
}

/** A zod schema for a managed cluster id in external input (queue messages): parsed into its identity. */
export const clusterIdSchema = z.string().transform((value, context) => {
  const cluster = parseClusterId(value);
  if (!cluster) context.addIssue({ code: 'custom', message: 'is not a managed cluster resource id' });
  return cluster ?? z.NEVER;
});

/**
 * A cluster named in one URL path segment. ARM ids hold slashes, and an encoded slash (%2F) in a
 * route parameter makes Azure Functions answer 404 when deployed (azure-functions-host#3998), so
 * routes such as `/api/clusters/{id}/history` take `<subscription id>~<resource group>~<cluster name>`
 * (no Azure name can hold `~`). A full resource id is accepted as well, for hosts that pass it through.
 */
const REF = /^([^~/]+)~([^~/]+)~([^~/]+)$/;

export function clusterRefOf(clusterId: string): string {
  const cluster = parseClusterId(clusterId);
  return cluster ? `${cluster.subscriptionId}~${cluster.resourceGroup}~${cluster.name}` : clusterId;
}

/** The cluster a reference (either form) stands for, or undefined when it is neither. */
export function parseClusterRef(ref: string): ClusterId | undefined {
  const value = ref.trim();
  const byId = parseClusterId(value);
  if (byId) return byId;
  const parts = REF.exec(value);
  if (!parts) return undefined;
  const [, subscriptionId, resourceGroup, name] = parts;
  return parseClusterId(`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`);
}

export const CLUSTER_REF_HINT =
  'a cluster as <subscription id>~<resource group>~<cluster name>, or its resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>)';
