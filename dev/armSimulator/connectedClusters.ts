/**
 * AKS enabled by Azure Arc as Resource Manager serves it: connected clusters
 * (`Microsoft.Kubernetes/connectedClusters`, 2024-01-01, with `kind`), each one's provisioned cluster
 * instance (`.../providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`) and
 * its `listUserKubeconfig` POST, a long-running operation: 202 with a Location whose poll answers the
 * ListCredentialResponse (`{ id, name, resourceId, status, properties: { kubeconfigs: [{ name, value }] } }`,
 * value base64) once done, 202 before.
 *
 *   GET  /subscriptions/{sub}/providers/Microsoft.Kubernetes/connectedClusters                 (paged)
 *   GET  /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Kubernetes/connectedClusters/{name}
 *   GET  .../connectedClusters/{name}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default
 *   POST .../provisionedClusterInstances/default/listUserKubeconfig                             (long-running)
 *   GET  /subscriptions/{sub}/providers/Microsoft.HybridContainerService/locations/{loc}/operationStatuses/{id}
 */
import { randomUUID } from 'node:crypto';
import { armError, fromSimulatedError, ok, type ArmReply } from './armReply.js';
import type { SimulatedCluster, SimulatedCredential, SimulatedSubscription } from './fleet.js';
import { pageOf } from './paging.js';

export interface SimulatedConnectedCluster {
  subscriptionId: string;
  /** The connected cluster exactly as `GET .../connectedClusters/{name}` returns it (`kind`, `properties.connectivityStatus`, ...). */
  resource: Record<string, unknown> & { id: string; name: string };
  /** The provisioned cluster instance as ARM returns it; absent answers 404 (a connected cluster of another kind). */
  instance?: Record<string, unknown>;
  /** What `listUserKubeconfig` ends with; absent answers 404. */
  userKubeconfig?: SimulatedCredential;
  /** Test expectations for the demo fleet, as SimulatedCluster's. Not served over HTTP. */
  expected?: SimulatedCluster['expected'];
}

interface KubeconfigOperation {
  id: string;
  subscriptionId: string;
  cluster: SimulatedConnectedCluster;
  /** Polls answered 202 before the result: 0 answers the first poll with it. */
  pollsLeft: number;
}

/** The `listUserKubeconfig` operations in flight, by id. */
export class KubeconfigOperations {
  private readonly operations = new Map<string, KubeconfigOperation>();

  constructor(private readonly pollsBeforeDone = 0) {}

  start(subscriptionId: string, cluster: SimulatedConnectedCluster): KubeconfigOperation {
    const operation = { id: randomUUID(), subscriptionId, cluster, pollsLeft: this.pollsBeforeDone };
    this.operations.set(operation.id.toLowerCase(), operation);
    return operation;
  }

  get(subscriptionId: string, id: string): KubeconfigOperation | undefined {
    const operation = this.operations.get(id.toLowerCase());
    return operation && operation.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() ? operation : undefined;
  }
}

export interface ConnectedClusterContext {
  connectedClusters: readonly SimulatedConnectedCluster[];
  kubeconfigOperations: KubeconfigOperations;
  baseUrl: string;
  pageSize: number;
}

const CONNECTED = 'microsoft.kubernetes';
const HYBRID = 'microsoft.hybridcontainerservice';

function connectedIn(ctx: ConnectedClusterContext, subscriptionId: string): SimulatedConnectedCluster[] {
  return ctx.connectedClusters.filter((c) => c.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
}

function locationOf(cluster: SimulatedConnectedCluster): string {
  return String(cluster.resource['location'] ?? 'eastus');
}

function notFound(name: string, rg: string): ArmReply {
  return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Kubernetes/connectedClusters/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
}

function kubeconfigResult(operation: KubeconfigOperation, credential: { kubeconfig: string; name?: string }): Record<string, unknown> {
  return {
    id: `/providers/Microsoft.HybridContainerService/locations/${locationOf(operation.cluster).toUpperCase()}/operationStatuses/${operation.id}`,
    name: operation.id,
    resourceId: operation.cluster.resource.id,
    status: 'Succeeded',
    properties: { kubeconfigs: [{ name: credential.name ?? 'credentialName1', value: Buffer.from(credential.kubeconfig, 'utf8').toString('base64') }] },
  };
}

function operationUrl(ctx: ConnectedClusterContext, operation: KubeconfigOperation, url: URL): string {
  const location = new URL(`/subscriptions/${operation.subscriptionId}/providers/Microsoft.HybridContainerService/locations/${locationOf(operation.cluster)}/operationStatuses/${operation.id}`, ctx.baseUrl);
  location.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
  return location.toString();
}

/**
 * The reply for a request under `/subscriptions/{sub}` when it is about AKS Arc, else undefined (the
 * managed clusters' routes take it). `lower` and `raw` are the path's segments.
 */
export function connectedClusterRoute(ctx: ConnectedClusterContext, method: string, url: URL, sub: SimulatedSubscription, raw: string[], lower: string[]): ArmReply | undefined {
  // /subscriptions/{sub}/providers/Microsoft.Kubernetes/connectedClusters
  if (lower[2] === 'providers' && lower[3] === CONNECTED && lower[4] === 'connectedclusters' && lower.length === 5) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    if (sub.listError) return fromSimulatedError(sub.listError);
    return pageOf(connectedIn(ctx, sub.subscriptionId).map((c) => c.resource), url, ctx.baseUrl, ctx.pageSize);
  }
  // /subscriptions/{sub}/providers/Microsoft.HybridContainerService/locations/{loc}/operationStatuses/{id}
  if (lower[2] === 'providers' && lower[3] === HYBRID && lower[4] === 'locations' && lower[6] === 'operationstatuses' && lower.length === 8) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    const operation = ctx.kubeconfigOperations.get(sub.subscriptionId, raw[7]!);
    if (!operation) return armError(404, 'NotFound', `Operation '${raw[7]}' was not found.`);
    if (operation.pollsLeft > 0) {
      operation.pollsLeft--;
      return { status: 202, headers: { location: operationUrl(ctx, operation, url), 'retry-after': '0' } };
    }
    const credential = operation.cluster.userKubeconfig!;
    return 'error' in credential ? fromSimulatedError(credential.error) : ok(kubeconfigResult(operation, credential));
  }
  // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Kubernetes/connectedClusters/{name}[/providers/Microsoft.HybridContainerService/...]
  if (!(lower[2] === 'resourcegroups' && lower[4] === 'providers' && lower[5] === CONNECTED && lower[6] === 'connectedclusters' && lower.length >= 8)) return undefined;
  const rg = raw[3]!;
  const name = raw[7]!;
  const id = `/subscriptions/${sub.subscriptionId}/resourcegroups/${rg}/providers/microsoft.kubernetes/connectedclusters/${name}`.toLowerCase();
  const cluster = connectedIn(ctx, sub.subscriptionId).find((c) => c.resource.id.toLowerCase() === id);
  if (lower.length === 8) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    return cluster ? ok(cluster.resource) : notFound(name, rg);
  }
  const instancePath = lower.length >= 12 && lower[8] === 'providers' && lower[9] === HYBRID && lower[10] === 'provisionedclusterinstances' && lower[11] === 'default';
  if (!instancePath || lower.length > 13) return armError(404, 'InvalidResourceType', `The simulator does not serve '${url.pathname}'.`);
  if (lower.length === 12) {
    if (method !== 'GET') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    if (!cluster) return notFound(name, rg);
    return cluster.instance ? ok(cluster.instance) : armError(404, 'ResourceNotFound', `The provisioned cluster instance 'default' of '${name}' was not found.`);
  }
  if (lower[12] !== 'listuserkubeconfig') return armError(404, 'InvalidResourceType', `The simulator does not serve '${url.pathname}'.`);
  if (method !== 'POST') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
  if (!cluster?.instance) return cluster ? armError(404, 'ResourceNotFound', `The provisioned cluster instance 'default' of '${name}' was not found.`) : notFound(name, rg);
  const credential = cluster.userKubeconfig;
  if (!credential) return armError(404, 'NotFound', `No user kubeconfig is available for '${name}'.`);
  // ARM refuses what the caller may not do at once; what the operation meets later comes from its poll.
  if ('error' in credential && (credential.error.status === 401 || credential.error.status === 403)) return fromSimulatedError(credential.error);
  const operation = ctx.kubeconfigOperations.start(sub.subscriptionId, cluster);
  return { status: 202, headers: { location: operationUrl(ctx, operation, url), 'retry-after': '0' } };
}
