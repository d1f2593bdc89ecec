import { z } from 'zod';
import type { ArcInstanceFacts } from '../domain/arcRules.js';
import { parseClusterId, platformOf } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { isoDateTimeSchema } from '../domain/time.js';
import { orUndefined, parseResource } from './clusterFacts.js';

/**
 * AKS enabled by Azure Arc as Resource Manager serves it, on the wire (no SDK flattens it): the
 * connected cluster (`Microsoft.Kubernetes/connectedClusters`, api-version 2024-01-01, which has
 * `kind`) and its provisioned cluster instance (`Microsoft.HybridContainerService/
 * provisionedClusterInstances/default`, 2024-01-01). Parsed once, here, into what the rules read.
 */
export const CONNECTED_CLUSTERS_API_VERSION = '2024-01-01';
export const HYBRID_CONTAINER_SERVICE_API_VERSION = '2024-01-01';

/** The kind of connected cluster that AKS enabled by Azure Arc provisions (others are Arc-enabled Kubernetes clusters of any origin). */
export const PROVISIONED_CLUSTER_KIND = 'ProvisionedCluster';

const instant = isoDateTimeSchema.transform((value) => new Date(value));

const connectedClusterSchema = z.object({
  id: z.string().refine((id) => parseClusterId(id) !== undefined && platformOf({ id }) === 'aks-arc', 'not a connected cluster resource id'),
  name: z.string().optional(),
  location: z.string().default(''),
  kind: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  systemData: z.object({ createdAt: instant.nullish() }).nullish(),
  properties: z.object({
    provisioningState: z.string().nullish(),
    kubernetesVersion: z.string().nullish(),
    connectivityStatus: z.string().nullish(),
    managedIdentityCertificateExpirationTime: instant.nullish(),
    lastConnectivityTime: instant.nullish(),
  }).default({}),
});


/** Whether a connected cluster is one AKS enabled by Azure Arc provisioned (`kind: ProvisionedCluster`, any case). */
export function isProvisionedCluster(model: unknown): boolean {
  const kind = (model as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' && kind.toLowerCase() === PROVISIONED_CLUSTER_KIND.toLowerCase();
}

/** The facts of one connected cluster; throws ClusterShapeError naming the bad field. */
export function toConnectedClusterFacts(model: unknown): ClusterFacts {
  const m = parseResource('connected cluster', connectedClusterSchema, model);
  const cluster = parseClusterId(m.id)!;
  const p = m.properties;
  const connectedCluster = {
    ...(p.connectivityStatus ? { connectivityStatus: p.connectivityStatus } : {}),
    ...(p.managedIdentityCertificateExpirationTime ? { managedIdentityCertificateExpirationTime: p.managedIdentityCertificateExpirationTime } : {}),
    ...(p.lastConnectivityTime ? { lastConnectivityTime: p.lastConnectivityTime } : {}),
  };
  return {
    ...cluster,
    name: m.name ?? cluster.name,
    location: m.location,
    tags: m.tags ?? {},
    provisioningState: orUndefined(p.provisioningState),
    kubernetesVersion: orUndefined(p.kubernetesVersion),
    ...(m.systemData?.createdAt ? { createdAt: m.systemData.createdAt } : {}),
    agentPools: [],
    customCaTrustCertificates: [],
    connectedCluster,
  };
}

const instanceSchema = z.object({
  systemData: z.object({ lastModifiedAt: instant.nullish() }).nullish(),
  properties: z.object({
    provisioningState: z.string().nullish(),
    kubernetesVersion: z.string().nullish(),
    status: z.object({ currentState: z.string().nullish() }).nullish(),
  }).default({}),
});

/** The facts of a provisioned cluster instance; throws ClusterShapeError naming the bad field. */
export function toArcInstanceFacts(model: unknown): ArcInstanceFacts {
  const { systemData, properties: p } = parseResource('provisioned cluster instance', instanceSchema, model);
  return {
    ...(p.kubernetesVersion ? { kubernetesVersion: p.kubernetesVersion } : {}),
    ...(p.provisioningState ? { provisioningState: p.provisioningState } : {}),
    ...(p.status?.currentState ? { currentState: p.status.currentState } : {}),
    ...(systemData?.lastModifiedAt ? { lastUpdatedAt: systemData.lastModifiedAt } : {}),
  };
}

const kubeconfigResultSchema = z.object({
  properties: z.object({ kubeconfigs: z.array(z.object({ name: z.string().nullish(), value: z.string().nullish() })).nullish() }).nullish(),
});

/** The first kubeconfig of a `listUserKubeconfig` result, decoded from base64; undefined when it holds none. */
export function kubeconfigOfListResult(body: unknown): string | undefined {
  const parsed = kubeconfigResultSchema.safeParse(body);
  const value = parsed.success ? parsed.data.properties?.kubeconfigs?.[0]?.value : undefined;
  return value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}
