/**
 * Azure Resource Graph's query endpoint, as @azure/arm-resourcegraph 5.0.0 calls it:
 *   POST /providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01
 *   body {subscriptions?, query, options?: {$top, $skipToken, $skip, resultFormat}}
 *   answer {totalRecords, count, resultTruncated, $skipToken?, data, facets}
 * (Azure/azure-rest-api-specs, specification/resourcegraph, 2024-04-01). It answers the one query shape
 * the product sends (the managed clusters of the scope, and with `or (...)` its connected clusters of
 * kind ProvisionedCluster, ordered by subscription and id, optionally projected) and a 400 with Resource Graph's error envelope for anything else.
 *
 * Like the real service: only subscriptions the caller may read (a subscription whose listing is
 * forbidden contributes no rows and no error), pages of at most 1,000 rows (100 without `$top`),
 * each caller's quota of queries per window in `x-ms-user-quota-remaining` /
 * `x-ms-user-quota-resets-after` (`hh:mm:ss`) with a 429 past it, and a lag behind ARM on demand
 * (`freeze`: it keeps answering from the clusters as they were).
 */
import { createHash } from 'node:crypto';
import type { ArmReply } from './armReply.js';
import type { SimulatedConnectedCluster } from './connectedClusters.js';
import type { SimulatedCluster } from './fleet.js';
import { resourceGroupOf, type FleetIndex } from './fleetIndex.js';

export interface ResourceGraphOptions {
  /** Queries each caller may send per window; default 15 per 5 s (Resource Graph's documented default). */
  quota?: { requests: number; windowMs: number };
  /** Answer every query 403 AuthorizationFailed (the caller lacks Microsoft.ResourceGraph/resources/read). */
  denied?: boolean;
}

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;
const COLUMNS = ['id', 'name', 'type', 'location', 'tags', 'subscriptionId', 'resourceGroup', 'systemData', 'properties', 'kind', 'sku', 'identity', 'zones', 'tenantId'];
/** The product's query: managed clusters, and connected clusters of kind ProvisionedCluster when `or (...)` asks for them too. */
const QUERY_SHAPE = /^resources \| where type =~ 'microsoft\.containerservice\/managedclusters'( or \(type =~ 'microsoft\.kubernetes\/connectedclusters' and kind =~ 'provisionedcluster'\))? \| order by subscriptionid asc, id asc(?: \| project ([a-z]+(?:, ?[a-z]+)*))?$/i;

interface QueryBody {
  subscriptions?: unknown;
  query?: unknown;
  options?: { $top?: unknown; $skipToken?: unknown; resultFormat?: unknown };
}

/** Resource Graph's error envelope: a generic code and message, the cause in `details`. */
function graphError(status: number, code: string, message: string, details: Array<{ code: string; message: string }> = [], headers?: Record<string, string>): ArmReply {
  return { status, body: { error: { code, message, ...(details.length > 0 ? { details } : {}) } }, ...(headers ? { headers } : {}) };
}

function invalidQuery(why: string): ArmReply {
  return graphError(400, 'BadRequest', 'Please provide below info when asking for support: the request time and correlation id.', [
    { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
    { code: 'ParserFailure', message: why },
  ]);
}

function hhmmss(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { offset?: unknown }).offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** A cluster as a row of the `Resources` table: the ARM resource plus the table's own columns. */
function rowOf(cluster: Pick<SimulatedCluster, 'resource' | 'subscriptionId'>): Record<string, unknown> {
  const resource = cluster.resource;
  return {
    ...resource,
    type: String(resource['type'] ?? 'Microsoft.ContainerService/managedClusters').toLowerCase(),
    tags: resource['tags'] ?? {},
    subscriptionId: cluster.subscriptionId,
    resourceGroup: resourceGroupOf(resource.id)?.toLowerCase(),
  };
}

export class ResourceGraph {
  private quota: { requests: number; windowMs: number };
  private denied: boolean;
  private frozen: SimulatedCluster[] | undefined;
  private frozenArc: SimulatedConnectedCluster[] | undefined;
  private readonly windows = new Map<string, { startedAt: number; used: number }>();

  constructor(
    private readonly index: FleetIndex,
    options: ResourceGraphOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.quota = options.quota ?? { requests: 15, windowMs: 5_000 };
    this.denied = options.denied ?? false;
  }

  configure(options: ResourceGraphOptions): void {
    if (options.quota) this.quota = options.quota;
    if (options.denied !== undefined) this.denied = options.denied;
  }

  /** From now on answers from the clusters as they are now, whatever ARM does next (Resource Graph's lag). */
  freeze(): void {
    this.frozen = structuredClone(this.index.fleet.clusters);
    this.frozenArc = structuredClone(this.index.fleet.connectedClusters);
  }

  /** Caught up with ARM again. */
  thaw(): void {
    this.frozen = undefined;
    this.frozenArc = undefined;
  }

  /** `caller`: the bearer token (only its hash is kept), whose quota the query counts against. */
  answer(method: string, caller: string, bodyText: string): ArmReply {
    if (method !== 'POST') return graphError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
    if (this.denied) {
      return graphError(403, 'AuthorizationFailed', "The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/providers/Microsoft.ResourceGraph' or the scope is invalid.");
    }
    const quotaHeaders = this.take(createHash('sha256').update(caller).digest('hex'));
    if (quotaHeaders === undefined) return this.throttled(caller);
    const reply = this.query(bodyText);
    return { ...reply, headers: { ...(reply.headers ?? {}), ...quotaHeaders } };
  }

  private take(callerKey: string): Record<string, string> | undefined {
    const now = this.now();
    let window = this.windows.get(callerKey);
    if (window === undefined || now - window.startedAt >= this.quota.windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(callerKey, window);
    }
    if (window.used >= this.quota.requests) return undefined;
    window.used++;
    return this.headers(window, now);
  }

  private headers(window: { startedAt: number; used: number }, now: number): Record<string, string> {
    return {
      'x-ms-user-quota-remaining': String(Math.max(0, this.quota.requests - window.used)),
      'x-ms-user-quota-resets-after': hhmmss(window.startedAt + this.quota.windowMs - now),
    };
  }

  private throttled(caller: string): ArmReply {
    const window = this.windows.get(createHash('sha256').update(caller).digest('hex'))!;
    return graphError(
      429,
      'RateLimiting',
      'Please provide below info when asking for support: the request time and correlation id.',
      [{ code: 'RateLimiting', message: 'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.' }],
      this.headers(window, this.now()),
    );
  }

  private query(bodyText: string): ArmReply {
    let body: QueryBody;
    try {
      body = JSON.parse(bodyText) as QueryBody;
    } catch {
      return graphError(400, 'BadRequest', 'The request body is not valid JSON.');
    }
    const text = typeof body.query === 'string' ? body.query.replace(/\s+/g, ' ').trim() : '';
    const shape = QUERY_SHAPE.exec(text);
    if (!shape) return invalidQuery(`The simulator answers only the managed clusters query; got: ${text.slice(0, 200)}`);
    const withArc = shape[1] !== undefined;
    const projected = shape[2]?.split(',').map((c) => c.trim());
    const unknown = projected?.find((c) => !COLUMNS.some((k) => k.toLowerCase() === c.toLowerCase()));
    if (unknown !== undefined) return invalidQuery(`'project' operator: Failed to resolve scalar expression named '${unknown}'`);
    const options = body.options ?? {};
    if (options.resultFormat !== undefined && options.resultFormat !== 'objectArray') return invalidQuery('the simulator answers resultFormat objectArray only');
    if (body.subscriptions !== undefined && !(Array.isArray(body.subscriptions) && body.subscriptions.every((s) => typeof s === 'string'))) {
      return graphError(400, 'BadRequest', "'subscriptions' must be an array of subscription ids.");
    }
    const top = options.$top === undefined ? DEFAULT_PAGE : Number(options.$top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_PAGE) return graphError(400, 'BadRequest', `'$top' must be between 1 and ${MAX_PAGE}.`);
    const token = options.$skipToken;
    const offset = token === undefined ? 0 : typeof token === 'string' ? decodeToken(token) : undefined;
    if (offset === undefined) return graphError(400, 'BadRequest', 'The $skipToken is not valid.');

    const rows = this.rows(body.subscriptions as string[] | undefined, withArc).map((row) => (projected ? project(row, projected) : row));
    const data = rows.slice(offset, offset + top);
    const next = offset + top < rows.length ? { $skipToken: encodeToken(offset + top) } : {};
    return { status: 200, body: { totalRecords: rows.length, count: data.length, data, facets: [], resultTruncated: 'false', ...next } };
  }

  /** The readable subscriptions' clusters, ordered by subscription id, then id (ordinal, as `order by` sorts strings). */
  private rows(subscriptions: string[] | undefined, withArc: boolean): Record<string, unknown>[] {
    const readable = (id: string) => {
      const sub = this.index.subscription(id);
      return sub !== undefined && sub.listError?.status !== 403 && sub.listError?.status !== 401;
    };
    const scope = new Set((subscriptions ?? this.index.subscriptions().map((s) => s.subscriptionId)).filter(readable).map((id) => id.toLowerCase()));
    const clusters = (this.frozen ?? this.index.fleet.clusters).filter((c) => scope.has(c.subscriptionId.toLowerCase()));
    const ordinal = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const arc = withArc ? (this.frozenArc ?? this.index.fleet.connectedClusters ?? []).filter((c) => scope.has(c.subscriptionId.toLowerCase()) && String(c.resource['kind']).toLowerCase() === 'provisionedcluster') : [];
    return [...clusters.map(rowOf), ...arc.map(rowOf)].sort((a, b) => ordinal(String(a['subscriptionId']), String(b['subscriptionId'])) || ordinal(String(a['id']), String(b['id'])));
  }
}

function project(row: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column, row[COLUMNS.find((k) => k.toLowerCase() === column.toLowerCase()) ?? column] ?? null]));
}
