/**
 * The ARM REST surface the project's SDKs call, mapped onto the simulated fleet. Paths are matched
 * case-insensitively, as ARM does. Each handler returns an `ArmReply`; authentication, throttling,
 * faults, latency and the common headers are the transport's business (server.ts).
 *
 * Paths (from @azure/arm-containerservice 25.3.0 and @azure/arm-resources-subscriptions 2.1.1):
 *   GET  /subscriptions                                                     (paged)
 *   GET  /subscriptions/{sub}
 *   GET  /subscriptions/{sub}/providers/Microsoft.ContainerService/managedClusters               (paged)
 *   GET  /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters (paged)
 *   GET  .../managedClusters/{name}
 *   DELETE .../managedClusters/{name}                                      (long-running)
 *   POST .../managedClusters/{name}/listCluster{MonitoringUser,User,Admin}Credential
 *   POST .../managedClusters/{name}/{rotateClusterCertificates,stop,start} (long-running)
 *   GET  .../managedClusters/{name}/maintenanceConfigurations[/{configName}]
 *   GET  .../managedClusters/{name}/agentPools[/{agentPoolName}]
 *   GET  .../managedClusters/{name}/upgradeProfiles/default                (versionRoutes.ts)
 *   GET  /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/kubernetesVersions (versionRoutes.ts)
 *   GET  /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/operations/{id}
 *   GET  /subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/operationresults/{id}
 *   POST /providers/Microsoft.ResourceGraph/resources                      (resourceGraph.ts)
 *
 *   GET/POST .../resourceGroups/{nodeRg}/providers/Microsoft.Compute/virtualMachineScaleSets/... and
 *   GET  /subscriptions/{sub}/providers/Microsoft.Compute/locations/{loc}/operations/{id}  (nodePools.ts)
 *
 * AKS enabled by Azure Arc's connected clusters and provisioned cluster instances: connectedClusters.ts.
 *
 * Successful credential listings publish their ResourceActionSuccess event once answered (as ARM
 * does); long-running operations publish theirs when they complete (server.ts).
 */
import type { CallerRequest, ResourceEventType } from './armEvents.js';
import { armError, fromSimulatedError, ok, type ArmReply } from './armReply.js';
import { agentPoolReply, maintenanceConfigurationReply } from './childResources.js';
import { connectedClusterRoute, type KubeconfigOperations } from './connectedClusters.js';
import type { SimulatedCluster, SimulatedCredential, SimulatedSubscription } from './fleet.js';
import type { FleetIndex } from './fleetIndex.js';
import { computeOperationRoute, scaleSetRoute } from './nodePools.js';
import type { ClusterAction, ClusterOperation, ClusterOperations } from './operations.js';
import type { ResourceGraph } from './resourceGraph.js';
import { pageOf } from './paging.js';
import { kubernetesVersionsReply, upgradeProfileReply } from './versionRoutes.js';

export interface RouteContext {
  index: FleetIndex;
  operations: ClusterOperations;
  /** `https://127.0.0.1:port`: nextLink and LRO URLs are absolute, on the simulator. */
  baseUrl: string;
  pageSizes: { subscriptions: number; clusters: number };
  /** The request being answered, as the events it causes describe it. */
  request: CallerRequest;
  /** Publishes a resource event about a cluster to the event webhook, if one is set. */
  publish(cluster: SimulatedCluster, type: ResourceEventType, operationName: string, request: CallerRequest): void;
  resourceGraph: ResourceGraph;
  /** The request's body, as text, and its Authorization header (whose quota a Resource Graph query counts against). */
  body: string;
  caller: string;
  /** AKS enabled by Azure Arc's `listUserKubeconfig` operations (absent: none served). */
  kubeconfigOperations?: KubeconfigOperations;
}

const PROVIDER = 'microsoft.containerservice';

const CREDENTIAL_ACTIONS: Record<string, { entry: keyof SimulatedCluster['credentials']; defaultName: string; action: string }> = {
  listclustermonitoringusercredential: { entry: 'monitoring', defaultName: 'clusterMonitoringUser', action: 'listClusterMonitoringUserCredential' },
  listclusterusercredential: { entry: 'user', defaultName: 'clusterUser', action: 'listClusterUserCredential' },
  listclusteradmincredential: { entry: 'admin', defaultName: 'clusterAdmin', action: 'listClusterAdminCredential' },
};

/** POST actions that run as long-running operations, by lower-cased path segment. */
const LRO_ACTIONS: Record<string, ClusterAction> = {
  rotateclustercertificates: 'rotateClusterCertificates',
  stop: 'stop',
  start: 'start',
};

/** GET-only child collections of a cluster, by lower-cased path segment. */
const CHILD_COLLECTIONS: Record<string, (cluster: SimulatedCluster, name: string | undefined) => ArmReply> = {
  maintenanceconfigurations: maintenanceConfigurationReply,
  agentpools: agentPoolReply,
};

/** `record[key]` for the record's own keys only: a path segment such as `constructor` must not match. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Path segments, decoded, plus a lower-cased copy for matching literals. */
function segmentsOf(url: URL): { raw: string[]; lower: string[] } {
  const raw = url.pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { raw, lower: raw.map((s) => s.toLowerCase()) };
}

function methodNotAllowed(method: string): ArmReply {
  return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
}

function notFoundRoute(url: URL): ArmReply {
  return armError(404, 'InvalidResourceType', `The simulator does not serve '${url.pathname}'.`);
}

function subscriptionBody(sub: SimulatedSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName,
    state: sub.state ?? 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  };
}

function apiVersion(url: URL): string {
  return url.searchParams.get('api-version') ?? '';
}

function operationUrl(ctx: RouteContext, op: ClusterOperation, kind: 'operations' | 'operationresults', version: string): string {
  const url = new URL(
    `/subscriptions/${op.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}/${kind}/${op.id}`,
    ctx.baseUrl,
  );
  url.searchParams.set('api-version', version);
  return url.toString();
}

function credentialReply(ctx: RouteContext, cluster: SimulatedCluster, action: string): ArmReply {
  const spec = own(CREDENTIAL_ACTIONS, action);
  if (spec === undefined) return armError(404, 'InvalidResourceType', `Unknown action '${action}'.`);
  const credential: SimulatedCredential | undefined = cluster.credentials[spec.entry];
  if (credential === undefined) {
    return armError(404, 'NotFound', `No '${spec.defaultName}' credential is available for managed cluster '${cluster.resource.name}'.`);
  }
  if ('error' in credential) return fromSimulatedError(credential.error);
  const operationName = `Microsoft.ContainerService/managedClusters/${spec.action}/action`;
  return {
    ...ok({
      kubeconfigs: [{ name: credential.name ?? spec.defaultName, value: Buffer.from(credential.kubeconfig, 'utf8').toString('base64') }],
    }),
    onSent: () => ctx.publish(cluster, 'Microsoft.Resources.ResourceActionSuccess', operationName, ctx.request),
  };
}

/** 202 with the operation's status and result URLs, as ARM accepts a long-running operation. */
function acceptedReply(ctx: RouteContext, cluster: SimulatedCluster, action: ClusterAction, url: URL): ArmReply {
  const started = ctx.operations.start(cluster, action, ctx.request);
  if ('refused' in started) return fromSimulatedError(started.refused);
  const version = apiVersion(url);
  return {
    status: 202,
    headers: {
      'azure-asyncoperation': operationUrl(ctx, started.operation, 'operations', version),
      location: operationUrl(ctx, started.operation, 'operationresults', version),
      'retry-after': '1',
    },
  };
}

function operationStatusReply(ctx: RouteContext, op: ClusterOperation, url: URL): ArmReply {
  const body: Record<string, unknown> = {
    id: new URL(operationUrl(ctx, op, 'operations', apiVersion(url))).pathname,
    name: op.id,
    status: op.status,
    startTime: op.startTime.toISOString(),
  };
  if (op.endTime !== undefined) body['endTime'] = op.endTime.toISOString();
  if (op.error !== undefined) body['error'] = { code: op.error.code, message: op.error.message };
  return { status: 200, body, ...(op.status === 'InProgress' ? { headers: { 'retry-after': '1' } } : {}) };
}

function operationResultReply(ctx: RouteContext, op: ClusterOperation, url: URL): ArmReply {
  switch (op.status) {
    case 'InProgress':
      return { status: 202, headers: { location: operationUrl(ctx, op, 'operationresults', apiVersion(url)), 'retry-after': '1' } };
    case 'Succeeded':
      return { status: 204 };
    case 'Failed':
    case 'Canceled':
      return fromSimulatedError(op.error ?? { status: 500, code: 'InternalServerError', message: 'The operation failed.' });
  }
}

/** Routes under `/subscriptions/{sub}/...` once the subscription is known to exist. */
function subscriptionRoute(ctx: RouteContext, method: string, url: URL, sub: SimulatedSubscription, raw: string[], lower: string[]): ArmReply {
  const subId = sub.subscriptionId;
  if (ctx.kubeconfigOperations) {
    const arc = { connectedClusters: ctx.index.fleet.connectedClusters ?? [], kubeconfigOperations: ctx.kubeconfigOperations, baseUrl: ctx.baseUrl, pageSize: ctx.pageSizes.clusters };
    const reply = connectedClusterRoute(arc, method, url, sub, raw, lower);
    if (reply) return reply;
  }
  // /subscriptions/{sub}
  if (lower.length === 2) return method === 'GET' ? ok(subscriptionBody(sub)) : methodNotAllowed(method);

  // /subscriptions/{sub}/providers/Microsoft.ContainerService/...
  if (lower[2] === 'providers' && lower[3] === PROVIDER) {
    if (lower.length === 5 && lower[4] === 'managedclusters') {
      if (method !== 'GET') return methodNotAllowed(method);
      if (sub.listError) return fromSimulatedError(sub.listError);
      return pageOf(ctx.index.clusters(subId).map((c) => c.resource), url, ctx.baseUrl, ctx.pageSizes.clusters);
    }
    if (lower.length === 7 && lower[4] === 'locations' && lower[6] === 'kubernetesversions') {
      return method === 'GET' ? kubernetesVersionsReply(ctx.index.fleet, raw[5]!) : methodNotAllowed(method);
    }
    if (lower.length === 8 && lower[4] === 'locations' && (lower[6] === 'operations' || lower[6] === 'operationresults')) {
      if (method !== 'GET') return methodNotAllowed(method);
      const op = ctx.operations.get(subId, raw[7]!);
      if (op === undefined) return armError(404, 'NotFound', `Operation '${raw[7]}' was not found.`);
      return lower[6] === 'operations' ? operationStatusReply(ctx, op, url) : operationResultReply(ctx, op, url);
    }
    return notFoundRoute(url);
  }
  // The node probe's Compute calls (nodePools.ts).
  if (lower[2] === 'providers' && lower[3] === 'microsoft.compute' && lower.length === 8 && lower[4] === 'locations' && lower[6] === 'operations') {
    return computeOperationRoute(ctx, method, url, subId, raw[7]!);
  }
  if (lower[2] === 'resourcegroups' && lower.length >= 7 && lower[4] === 'providers' && lower[5] === 'microsoft.compute' && lower[6] === 'virtualmachinescalesets') {
    return scaleSetRoute(ctx, method, url, subId, raw, lower);
  }

  // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters[/{name}[/{action}]]
  if (lower[2] === 'resourcegroups' && lower.length >= 7 && lower[4] === 'providers' && lower[5] === PROVIDER && lower[6] === 'managedclusters') {
    const rg = raw[3]!;
    if (lower.length === 7) {
      if (method !== 'GET') return methodNotAllowed(method);
      if (sub.listError) return fromSimulatedError(sub.listError);
      return pageOf(ctx.index.clusters(subId, rg).map((c) => c.resource), url, ctx.baseUrl, ctx.pageSizes.clusters);
    }
    const name = raw[7]!;
    const cluster = ctx.index.cluster(subId, rg, name);
    const notFound = (): ArmReply =>
      armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    if (lower.length === 8) {
      if (method === 'DELETE') {
        // ARM answers a DELETE of an absent resource 204: deleting is idempotent.
        return cluster === undefined ? { status: 204 } : acceptedReply(ctx, cluster, 'delete', url);
      }
      if (method !== 'GET') return methodNotAllowed(method);
      return cluster === undefined ? notFound() : ok(cluster.resource);
    }
    if (lower.length === 10 && lower[8] === 'upgradeprofiles' && lower[9] === 'default') {
      if (method !== 'GET') return methodNotAllowed(method);
      return cluster === undefined ? notFound() : upgradeProfileReply(ctx.index.fleet, cluster);
    }
    const children = lower.length <= 10 ? own(CHILD_COLLECTIONS, lower[8]!) : undefined;
    if (children !== undefined) {
      if (method !== 'GET') return methodNotAllowed(method);
      return cluster === undefined ? notFound() : children(cluster, raw[9]);
    }
    if (lower.length === 9) {
      const action = lower[8]!;
      const lroAction = own(LRO_ACTIONS, action);
      if (lroAction === undefined && own(CREDENTIAL_ACTIONS, action) === undefined) return notFoundRoute(url);
      if (method !== 'POST') return methodNotAllowed(method);
      if (cluster === undefined) return notFound();
      return lroAction !== undefined ? acceptedReply(ctx, cluster, lroAction, url) : credentialReply(ctx, cluster, action);
    }
  }
  return notFoundRoute(url);
}

export function route(ctx: RouteContext, method: string, url: URL): ArmReply {
  const { raw, lower } = segmentsOf(url);
  if (lower.length === 3 && lower[0] === 'providers' && lower[1] === 'microsoft.resourcegraph' && lower[2] === 'resources') {
    return ctx.resourceGraph.answer(method, ctx.caller, ctx.body);
  }
  if (lower[0] !== 'subscriptions') return notFoundRoute(url);
  if (lower.length === 1) {
    if (method !== 'GET') return methodNotAllowed(method);
    return pageOf(ctx.index.subscriptions().map(subscriptionBody), url, ctx.baseUrl, ctx.pageSizes.subscriptions);
  }
  const subId = raw[1]!;
  const sub = ctx.index.subscription(subId);
  if (sub === undefined) return armError(404, 'SubscriptionNotFound', `The subscription '${subId}' could not be found.`);
  return subscriptionRoute(ctx, method, url, sub, raw, lower);
}
