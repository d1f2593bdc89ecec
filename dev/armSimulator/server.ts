/**
 * A local Azure Resource Manager for tests and the demo: serves the simulated fleet over HTTPS with
 * the REST shapes the real SDKs call, and ARM's behaviour around them (bearer auth, api-version,
 * per-subscription token-bucket throttling with 429 + Retry-After, `x-ms-ratelimit-remaining-*`,
 * request ids, latency, long-running operations (rotation, stop, start, delete) that really change the
 * cluster, injected faults), and the events ARM publishes to the subscription's system topic, posted to
 * a webhook as Event Grid delivers them.
 *
 * HTTPS because the SDKs refuse to send bearer tokens over plain HTTP; the certificate comes from
 * dev/devTls.ts and is trusted through NODE_EXTRA_CA_CERTS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startApiServerEndpoint } from './apiServerEndpoint.js';
import { resourceEvent, type CallerRequest, type ResourceEventType } from './armEvents.js';
import { armError, type ArmReply } from './armReply.js';
import { clusterActionBehaviours, resourceOperationOf } from './clusterActions.js';
import { EventWebhook, type EventDelivery, type EventDeliveryError, type EventSchema } from './eventWebhook.js';
import { FaultInjector, type InjectedFault } from './faults.js';
import { KubeconfigOperations } from './connectedClusters.js';
import type { SimulatedCluster, SimulatedFleet } from './fleet.js';
import { FleetIndex } from './fleetIndex.js';
import { ClusterOperations, operationSettings, type ClusterAction, type OperationOptions, type RotationOptions } from './operations.js';
import { ResourceGraph, type ResourceGraphOptions } from './resourceGraph.js';
import { isRotateRequestOf, RotationFailures, type RotationFailurePlan } from './rotationFailures.js';
import { route } from './routes.js';
import { ARM_DEFAULT_THROTTLE, requestKind, Throttle, type ThrottleConfig } from './throttle.js';

export type { InjectedFault } from './faults.js';
export type { ThrottleConfig, BucketConfig } from './throttle.js';
export type { ClusterAction, OperationFailure, OperationOptions, RotationOptions } from './operations.js';
export type { RotationFailurePlan } from './rotationFailures.js';
export type { ResourceGraphOptions } from './resourceGraph.js';
export type { EventDelivery, EventDeliveryError, EventSchema } from './eventWebhook.js';
export type { CloudEvent, EventGridEvent } from './armEvents.js';

export interface ArmSimulatorOptions {
  /** Copied at start: the simulator mutates its copy (operations, renewed certificates, deletions), never the caller's object. */
  fleet: SimulatedFleet;
  tls: { certPem: string; keyPem: string };
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1 (the dev certificate names 127.0.0.1, ::1 and localhost). */
  host?: string;
  /** Added to every response; default 0. */
  latencyMs?: number;
  /** Page sizes; defaults 20 (clusters) and 2 (subscriptions), small so that clients must follow nextLink. */
  pageSize?: number;
  subscriptionPageSize?: number;
  /** Token buckets per subscription; default ARM's (reads 250 + 25/s, writes 200 + 10/s); false: unlimited. */
  throttle?: ThrottleConfig | false;
  /** Rotation timing and outcome; default 300 ms, always succeeds. */
  rotation?: RotationOptions;
  /** Stop, start and delete timing and outcome (rotation too, where `rotation` is silent); default 300 ms, always succeed. */
  operations?: OperationOptions;
  /** Where to post the subscription system topic's events; none are sent without it (see `setEventWebhook`). */
  events?: { webhookUrl: string; schema?: EventSchema };
  /** Port of the API-server TLS endpoint; 0 or absent: a free port. */
  apiServerPort?: number;
  /** Resource Graph's quota per caller (default 15 queries per 5 s) and whether it is denied. */
  resourceGraph?: ResourceGraphOptions;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as received (case preserved). */
  path: string;
  /** Query string including `?`, or empty. */
  search: string;
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export interface ArmSimulator {
  /** `https://127.0.0.1:<port>`: the `endpoint` for the SDK clients. */
  url: string;
  port: number;
  close(): Promise<void>;
  injectFault(fault: InjectedFault): void;
  /** Every request answered so far, in order (live array). */
  requests: RecordedRequest[];
  setLatency(ms: number): void;
  /** Every token bucket full again, as after a pause long enough to refill them (the throttling stays on). */
  resetThrottle(): void;
  setRotationDuration(ms: number): void;
  /**
   * The cluster's next `plan.times` rotations end `Failed` (with `plan.error`, leaving `plan.failedPool`
   * `Failed` too), later ones succeed; this replaces the cluster's earlier plan. Before the `rotation.fail` option.
   */
  failRotations(clusterId: string, plan: RotationFailurePlan): void;
  /** The rotateClusterCertificates POSTs this cluster received so far, whatever they were answered (from `requests`). */
  rotationRequests(clusterId: string): RecordedRequest[];
  /** How long new operations of `action` (every action when absent) run. */
  setOperationDuration(ms: number, action?: ClusterAction): void;
  /** Sends events to `url` from now on, in `schema` (default `eventgrid`); undefined stops sending. */
  setEventWebhook(url: string | undefined, schema?: EventSchema): void;
  /** Posts an arbitrary event (an AKS system-topic event, say) to the webhook as given, with the schema's headers; nothing without a webhook. */
  emitEvent(event: object): void;
  /** Every event delivery the webhook answered, in order (live array). */
  eventsSent: EventDelivery[];
  /** Deliveries that failed: no answer, or an answer other than 2xx (live array). */
  eventDeliveryErrors: EventDeliveryError[];
  /** The simulator's own (mutable) copy of the fleet: what it serves now. */
  fleet: SimulatedFleet;
  apiServer: { port: number };
  /** Resource Graph: change its quota or deny it, or make it lag ARM (`freeze`) and catch up (`thaw`). */
  resourceGraph: Pick<ResourceGraph, 'configure' | 'freeze' | 'thaw'>;
}

/** What ARM reports when the simulator does not throttle (ARM's former hourly budget). */
const UNTHROTTLED_REMAINING = '11999';

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The throttling scope of a request: the subscription in its path, or the tenant. */
function scopeOf(url: URL): string {
  const match = /^\/subscriptions\/([^/]+)/i.exec(url.pathname);
  if (match?.[1] === undefined) return 'tenant';
  try {
    return decodeURIComponent(match[1]).toLowerCase();
  } catch {
    return match[1].toLowerCase();
  }
}

function hasBearerToken(request: IncomingMessage): boolean {
  const header = request.headers.authorization;
  return typeof header === 'string' && /^Bearer\s+\S+/i.test(header);
}

/** The request as ARM's events describe it; the correlation id is the one the response carries. */
function callerOf(request: IncomingMessage, url: URL, method: string): CallerRequest {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  return {
    correlationId: header('x-ms-correlation-request-id') ?? randomUUID(),
    clientRequestId: header('x-ms-client-request-id') ?? randomUUID(),
    clientIpAddress: request.socket.remoteAddress ?? '127.0.0.1',
    method,
    url: url.toString(),
  };
}

function send(response: ServerResponse, reply: ArmReply, commonHeaders: Record<string, string>): void {
  const body = reply.body === undefined ? undefined : JSON.stringify(reply.body);
  const headers: Record<string, string | number> = { ...commonHeaders, ...(reply.headers ?? {}) };
  if (body !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = Buffer.byteLength(body);
  } else {
    headers['content-length'] = 0;
  }
  response.writeHead(reply.status, headers);
  response.end(body);
}

export async function startArmSimulator(options: ArmSimulatorOptions): Promise<ArmSimulator> {
  const host = options.host ?? '127.0.0.1';
  const fleet = structuredClone(options.fleet);
  const index = new FleetIndex(fleet);
  const webhook = new EventWebhook();
  if (options.events !== undefined) webhook.setTarget(options.events.webhookUrl, options.events.schema);
  const publish = (cluster: SimulatedCluster, type: ResourceEventType, operationName: string, request: CallerRequest): void => {
    const tenantId = index.subscription(cluster.subscriptionId)?.tenantId ?? '';
    webhook.publish(resourceEvent({ type, subscriptionId: cluster.subscriptionId, tenantId, resourceUri: cluster.resource.id, operationName, request }));
  };
  const rotationFailures = new RotationFailures();
  const settings = operationSettings(options.rotation, options.operations);
  const operations = new ClusterOperations({
    behaviours: clusterActionBehaviours(fleet),
    durationMs: settings.durationMs,
    fail: (cluster, action) => (action === 'rotateClusterCertificates' ? rotationFailures.take(cluster) : undefined) ?? settings.fail?.(cluster, action),
    onSucceeded: (operation, cluster) => {
      const { type, operationName } = resourceOperationOf(operation.action);
      publish(cluster, type, operationName, operation.request);
    },
  });
  const faults = new FaultInjector();
  const resourceGraph = new ResourceGraph(index, options.resourceGraph);
  const throttle = options.throttle === false ? undefined : new Throttle(options.throttle ?? ARM_DEFAULT_THROTTLE);
  const requests: RecordedRequest[] = [];
  const kubeconfigOperations = new KubeconfigOperations();
  let latencyMs = options.latencyMs ?? 0;
  let baseUrl = ''; // known once listening
  const pageSizes = { clusters: options.pageSize ?? 20, subscriptions: options.subscriptionPageSize ?? 2 };

  /** Everything about a request except the wait: decided on arrival, as ARM counts on arrival. */
  const decide = (
    request: IncomingMessage,
    url: URL,
    method: string,
    caller: CallerRequest,
    body: string,
  ): { reply: ArmReply; rateLimitHeaders: Record<string, string> } => {
    const kind = requestKind(method);
    const scope = scopeOf(url);
    // ARM names the budget after its scope: `...-subscription-reads`, or `...-tenant-reads` for tenant calls.
    const headerName = `x-ms-ratelimit-remaining-${scope === 'tenant' ? 'tenant' : 'subscription'}-${kind}`;
    const bucket = throttle?.bucket(scope, kind);
    const answer = (reply: ArmReply, remaining?: number): ReturnType<typeof decide> => ({
      reply,
      rateLimitHeaders: { [headerName]: bucket === undefined ? UNTHROTTLED_REMAINING : String(remaining ?? bucket.remaining()) },
    });

    if (!hasBearerToken(request)) {
      return answer(
        armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing or is not a Bearer token.", {
          'www-authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing \'Authorization\' header."',
        }),
      );
    }
    if (!url.searchParams.get('api-version')) {
      return answer(armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'));
    }
    const fault = faults.take(method, url.pathname + url.search);
    if (fault !== undefined) return answer(fault);
    let remaining: number | undefined;
    if (bucket !== undefined) {
      const taken = bucket.take();
      if (!taken.ok) {
        const budget = scope === 'tenant' ? 'tenant' : `subscription '${scope}'`;
        return answer(
          armError(429, 'TooManyRequests', `The request is being throttled: the ${budget} ${kind} budget is exhausted. Retry after ${taken.retryAfterSeconds} seconds.`, {
            'retry-after': String(taken.retryAfterSeconds),
          }),
          0,
        );
      }
      remaining = taken.remaining;
    }
    const graph = { resourceGraph, body, caller: request.headers.authorization ?? '' };
    return answer(route({ index, operations, baseUrl, pageSizes, request: caller, publish, kubeconfigOperations, ...graph }, method, url), remaining);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const at = Date.now();
    const method = (request.method ?? 'GET').toUpperCase();
    // Concatenate rather than resolve: a path such as `//x` must stay a path, not become a host.
    const url = new URL(`${baseUrl}${request.url ?? '/'}`);
    // Bodies are read in full (Resource Graph's query is one); draining them also keeps keep-alive working.
    const chunks: Buffer[] = [];
    const drained = new Promise<void>((resolve) => {
      request.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', resolve).on('error', () => resolve());
    });
    const caller = callerOf(request, url, method);
    await drained;
    let decision: ReturnType<typeof decide>;
    try {
      decision = decide(request, url, method, caller, Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      decision = { reply: armError(500, 'InternalServerError', `Simulator error: ${(error as Error).message}`), rateLimitHeaders: {} };
    }
    await Promise.all([drained, latencyMs > 0 ? new Promise((resolve) => setTimeout(resolve, latencyMs)) : undefined]);
    const common: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-correlation-request-id': caller.correlationId,
      ...decision.rateLimitHeaders,
      'cache-control': 'no-cache',
    };
    const clientRequestId = request.headers['x-ms-client-request-id'];
    if (typeof clientRequestId === 'string' && clientRequestId) common['x-ms-client-request-id'] = clientRequestId;
    requests.push({ method, path: url.pathname, search: url.search, status: decision.reply.status, at });
    if (response.destroyed) return;
    send(response, decision.reply, common);
    decision.reply.onSent?.();
  };

  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, armError(500, 'InternalServerError', `Simulator error: ${String(error)}`), {});
    });
  });
  server.on('tlsClientError', () => undefined); // a client that rejects the certificate is its own problem

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `https://${formatHost(host)}:${port}`;

  let apiServer: Awaited<ReturnType<typeof startApiServerEndpoint>>;
  try {
    apiServer = await startApiServerEndpoint({ index, tls: options.tls, host, port: options.apiServerPort ?? 0 });
  } catch (error) {
    server.close();
    throw error;
  }

  return {
    url: baseUrl,
    port,
    requests,
    fleet,
    apiServer: { port: apiServer.port },
    resourceGraph,
    injectFault: (fault) => faults.add(fault),
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    resetThrottle: () => throttle?.reset(),
    setRotationDuration: (ms) => operations.setDuration(ms, 'rotateClusterCertificates'),
    failRotations: (clusterId, plan) => rotationFailures.plan(clusterId, plan),
    rotationRequests: (clusterId) => requests.filter((r) => isRotateRequestOf(clusterId, r)),
    setOperationDuration: (ms, action) => operations.setDuration(ms, action),
    setEventWebhook: (url, schema) => webhook.setTarget(url, schema),
    emitEvent: (event) => webhook.emit(event),
    eventsSent: webhook.sent,
    eventDeliveryErrors: webhook.errors,
    close: async () => {
      // Operations first, so that no completion publishes an event after the webhook has drained.
      await operations.close();
      await Promise.all([
        webhook.close(),
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
        apiServer.close(),
      ]);
    },
  };
}
