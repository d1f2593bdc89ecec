import { z } from 'zod';

/**
 * The one identity of a cluster, parsed once wherever an id enters (ARM, an event, a queue message, a
 * URL, the command line) and carried as is from there on: an AKS managed cluster
 * (`Microsoft.ContainerService/managedClusters`) or an AKS enabled by Azure Arc cluster, whose
 * resource is its connected cluster (`Microsoft.Kubernetes/connectedClusters`). `platformOf` tells
 * them apart, from the id alone.
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

/** Where a cluster runs: AKS in Azure, or AKS enabled by Azure Arc (on Azure Local, Windows Server). */
export type ClusterPlatform = 'aks' | 'aks-arc';

// Live ARM ids may say `resourcegroups` and `managedclusters` in any case; a child resource
// (agentPools/..., rotateClusterCertificates, providers/Microsoft.HybridContainerService/...) may
// follow the cluster's own id.
const CLUSTER_RESOURCE = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/(microsoft\.containerservice\/managedclusters|microsoft\.kubernetes\/connectedclusters)\/([^/]+)(\/.*)?$/i;

const CONNECTED_CLUSTER = /\/providers\/microsoft\.kubernetes\/connectedclusters\/[^/]+$/i;

/** The platform a cluster id names: a connected cluster is AKS enabled by Azure Arc, anything else AKS. */
export function platformOf(cluster: Pick<ClusterId, 'id'>): ClusterPlatform {
  return CONNECTED_CLUSTER.test(cluster.id) ? 'aks-arc' : 'aks';
}

/** The cluster a resource id names: the cluster itself (`child` undefined) or one of its child resources. */
export function clusterOfResource(resourceId: string): { cluster: ClusterId; child?: string } | undefined {
  const value = resourceId.trim();
  const match = CLUSTER_RESOURCE.exec(value);
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, , name, child] = match;
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

/** A cluster's resource id (managed or connected), exactly (no child resource), or undefined. */
export function parseClusterId(resourceId: string): ClusterId | undefined {
  const parsed = clusterOfResource(resourceId);
  return parsed && !parsed.child ? parsed.cluster : undefined;
}

/** A zod schema for a cluster id in external input (queue messages): parsed into its identity. */
export const clusterIdSchema = z.string().transform((value, context) => {
  const cluster = parseClusterId(value);
  if (!cluster) context.addIssue({ code: 'custom', message: 'is not a managed or connected cluster resource id' });
  return cluster ?? z.NEVER;
});

/**
 * A cluster named in one URL path segment. ARM ids hold slashes, and an encoded slash (%2F) in a
 * route parameter makes Azure Functions answer 404 when deployed (azure-functions-host#3998), so
 * routes such as `/api/clusters/{id}/history` take `<subscription id>~<resource group>~<cluster name>`
 * (no Azure name can hold `~`). An AKS enabled by Azure Arc cluster adds `~aks-arc`, since a managed and
 * a connected cluster may share a name in one group. A full resource id is accepted as well, for hosts
 * that pass it through.
 */
const REF = /^([^~/]+)~([^~/]+)~([^~/]+)(~aks-arc)?$/i;

const ARC_REF_SUFFIX = '~aks-arc';

export function clusterRefOf(clusterId: string): string {
  const cluster = parseClusterId(clusterId);
  if (!cluster) return clusterId;
  const ref = `${cluster.subscriptionId}~${cluster.resourceGroup}~${cluster.name}`;
  return platformOf(cluster) === 'aks-arc' ? `${ref}${ARC_REF_SUFFIX}` : ref;
}

/** The resource id of a cluster named by its parts, on either platform. */
export function clusterResourceId(subscriptionId: string, resourceGroup: string, name: string, platform: ClusterPlatform): string {
  const provider = { aks: 'Microsoft.ContainerService/managedClusters', 'aks-arc': 'Microsoft.Kubernetes/connectedClusters' }[platform];
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${provider}/${name}`;
}

/** The cluster a reference (either form) stands for, or undefined when it is neither. */
export function parseClusterRef(ref: string): ClusterId | undefined {
  const value = ref.trim();
  const byId = parseClusterId(value);
  if (byId) return byId;
  const parts = REF.exec(value);
  if (!parts) return undefined;
  const [, subscriptionId, resourceGroup, name, arc] = parts;
  return parseClusterId(clusterResourceId(subscriptionId!, resourceGroup!, name!, arc ? 'aks-arc' : 'aks'));
}

export const CLUSTER_REF_HINT =
  'a cluster as <subscription id>~<resource group>~<cluster name>, or its resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>; for AKS enabled by Azure Arc <subscription id>~<resource group>~<cluster name>~aks-arc, or .../providers/Microsoft.Kubernetes/connectedClusters/<name>)';
