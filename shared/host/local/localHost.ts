import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { QueueServiceClient } from '@azure/storage-queue';
import { loadConfig } from '../../config.js';
import { ConfigError, messageOf, StoreError, UsageError } from '../../domain/errors.js';
import { complianceStorage } from '../../wiring/adapters.js';
import { hostLocally, registeredFunctions, type FunctionRegistration } from '../functionRegistry.js';
import { EventGridWebhook, eventGridWebhookUrl } from './eventGridWebhook.js';
import { authorizes, defaultKeysFile, KEY_HEADER, KEY_PARAMETER, loadHostKeys, presentedKey, type Access, type HostKeys } from './hostKeys.js';
import { HttpFunctions } from './httpFunctions.js';
import type { HostLog } from './invocationContext.js';
import { QueueWorker, type QueueWorkerOptions } from './queueWorker.js';
import { answerClientError, describeHostNames, hostNames, isJsonContentType, jsonError, MAX_BODY_BYTES, readBody, type Endpoint } from './requestChecks.js';
import { TimerSchedule } from './timerSchedule.js';

/** The Functions host's own default port. */
export const DEFAULT_HOST_PORT = 7071;

export interface LocalHostOptions {
  /** Default 7071, the Functions host's; 0 picks a free port. */
  port?: number;
  host?: string;
  /** App settings for the functions, set before they load (they read their configuration then). */
  settings?: Record<string, string>;
  log?: HostLog;
  queues?: QueueWorkerOptions;
  /** Run timers on their schedules (default true). */
  timers?: boolean;
  /** The queue service a queue trigger's `connection` setting names; default: COMPLIANCE_STORAGE's (defaults included), else the setting as a connection string. */
  queueServiceFor?: (setting: string) => QueueServiceClient;
  /** Where the generated keys are kept; default `.dev/host-keys.json` in the function app's folder. */
  keysFile?: string;
}

export interface LocalHost {
  url: string;
  port: number;
  functions: readonly FunctionRegistration[];
  /** The keys it checks (secrets: for the startup lines of serve and demo, and for clients such as the demo's simulator). */
  keys: HostKeys;
  /** Where the generated keys are kept. */
  keysFile: string;
  /** The URL Event Grid posts an Event Grid function's events to, with the system key. */
  eventGridWebhookUrl(functionName: string): string;
  /** Runs a timer function now, as `POST /admin/functions/<name>` does. */
  runTimer(name: string): Promise<void>;
  close(): Promise<void>;
}

let started = false;

/** What a request without the key it needs is told: where to put which key, never a key. */
const NEEDS: Record<Exclude<Access, 'anonymous'>, string> = {
  function: `this function needs a function key, as the ${KEY_HEADER} header or ?${KEY_PARAMETER}= (akscert serve prints the dashboard URL with it), or the master key`,
  eventgrid_extension: `the Event Grid webhook needs its eventgrid_extension system key as ?${KEY_PARAMETER}= (akscert serve prints the webhook URL with it), or the master key`,
  admin: `this route needs the master key, as the ${KEY_HEADER} header (akscert serve prints it; LOCAL_HOST_MASTER_KEY sets it)`,
};

/**
 * Runs what functions/ registers without the Functions runtime: HTTP functions under /api, the
 * Event Grid webhook at /runtime/webhooks/eventgrid, queue workers on the Storage queues and timers
 * on their schedules. Function modules load once per process, so one local host per process.
 *
 * Like the Functions host it checks keys before anything runs: a function key for `authLevel:
 * 'function'`, the master key for `admin` and `/admin/*`, the `eventgrid_extension` system key for the
 * webhook, the master key everywhere. It also refuses a Host header that does not name it (421, DNS
 * rebinding), a POST without a JSON content type (415: a cross-origin page cannot send one without a
 * preflight, which this host never answers) and a body over 1 MB (413).
 */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  if (started) throw new Error('a local host is already running in this process (functions load once per process)');
  started = true;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, options.settings);
  const keysFile = options.keysFile ?? defaultKeysFile();
  let keys: HostKeys;
  try {
    keys = await loadHostKeys(keysFile, { masterKey: loadConfig().LOCAL_HOST_MASTER_KEY });
  } catch (error) {
    started = false;
    throw error;
  }
  hostLocally();
  await loadFunctionModules();
  const registrations = registeredFunctions();

  const http = new HttpFunctions(registrations, log);
  const eventGrid = new EventGridWebhook(registrations, log);
  const timers = new Map(registrations.flatMap((r) => (r.kind === 'timer' ? [[r.name, new TimerSchedule(r, log)] as const] : [])));
  const queueServiceFor = options.queueServiceFor ?? defaultQueueService;
  const workers = registrations.flatMap((r) => (r.kind === 'storageQueue' ? [new QueueWorker(r, queueServiceFor(r.options.connection ?? 'AzureWebJobsStorage'), log, options.queues)] : []));

  /** `/admin/*`: the master key's; `POST /admin/functions/<timer>` runs the timer now. */
  const admin = (url: URL): Endpoint | undefined =>
    url.pathname.startsWith('/admin/')
      ? {
          access: 'admin',
          methods: ['POST'],
          serve: async (_request, response) => {
            const name = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname)?.[1];
            const timer = name === undefined ? undefined : timers.get(name);
            if (!timer) return jsonError(response, 404, `no timer function at ${url.pathname.slice(0, 200)}`);
            await timer.runNow();
            response.writeHead(202).end();
          },
        }
      : undefined;

  let names = new Set<string>();
  let port = 0;
  const server = createServer((request, response) => {
    void route(request, response).catch((error: Error) => {
      log(`[${new Date().toISOString()}] host error: ${error.message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  // What Node's parser refuses (a URL over its 16 KiB header limit...) is answered in JSON too.
  server.on('clientError', answerClientError);
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    // Before the body is read, a refusal closes the connection (Node would otherwise read the body for nothing).
    const refuse = (status: number, message: string, headers?: Record<string, string>) => jsonError(response, status, message, { close: true, headers });
    const host = (request.headers.host ?? '').toLowerCase();
    if (!names.has(host)) return refuse(421, `the Host header must name this host: ${describeHostNames(port)} (another name is a page that rebound its own name to 127.0.0.1)`);
    const target = request.url ?? '/';
    if (!target.startsWith('/')) return refuse(400, 'the request target must be a path');
    let url: URL;
    try {
      url = new URL(`http://${host}${target}`);
    } catch {
      return refuse(400, 'the request target is not a URL path');
    }
    const endpoint = eventGrid.endpoint(url) ?? http.endpoint(url) ?? admin(url);
    if (!endpoint) return refuse(404, `nothing is served at ${url.pathname.slice(0, 200)}`);
    if (endpoint.access !== 'anonymous' && !authorizes(keys, endpoint.access, presentedKey(request.headers, url.searchParams))) {
      return refuse(401, NEEDS[endpoint.access]);
    }
    const method = (request.method ?? 'GET').toUpperCase();
    if (!endpoint.methods.includes(method)) return refuse(405, `${method} is not allowed here; allowed: ${endpoint.methods.join(', ')}`, { allow: endpoint.methods.join(', ') });
    if (method === 'POST' && !isJsonContentType(request.headers['content-type'])) {
      return refuse(415, 'a POST needs a JSON content type: application/json, application/cloudevents+json or application/cloudevents-batch+json');
    }
    const body = await readBody(request, MAX_BODY_BYTES);
    if (body === undefined) return refuse(413, `the body is over 1 MB (${MAX_BODY_BYTES} bytes), Event Grid's limit and this host's`);
    await endpoint.serve(request, response, url, body);
  };

  // Queues first: with storage unreachable the host fails here, before it listens, instead of
  // half-starting (answering 500s with no queue workers) and never exiting.
  try {
    await Promise.all(workers.map((w) => w.start()));
  } catch (error) {
    started = false;
    throw new StoreError(`the local host cannot reach its queues: ${messageOf(error)}`, { cause: error });
  }
  const wanted = options.port ?? DEFAULT_HOST_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${wanted} is in use (another akscert serve or demo?); pass --port N for another port`, { cause: error }) : error));
    server.listen(wanted, options.host ?? '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await Promise.all(workers.map((w) => w.stop()));
    started = false;
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  names = hostNames(port, options.host);
  if (options.timers !== false) for (const timer of timers.values()) timer.start();
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url,
    port,
    functions: registrations,
    keys,
    keysFile,
    eventGridWebhookUrl: (functionName) => eventGridWebhookUrl(url, functionName, keys.eventGridKey),
    async runTimer(name) {
      const timer = timers.get(name);
      if (!timer) throw new Error(`no timer function named ${name}`);
      await timer.runNow();
    },
    async close() {
      await Promise.all([...timers.values()].map((t) => t.stop()));
      await Promise.all(workers.map((w) => w.stop()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** A queue trigger's connection: COMPLIANCE_STORAGE through the product's own wiring (its default included), another setting as a connection string. */
function defaultQueueService(setting: string): QueueServiceClient {
  if (setting === 'COMPLIANCE_STORAGE') return complianceStorage(loadConfig()).queueService();
  const connection = process.env[setting];
  if (!connection) throw new ConfigError(`a queue function's connection setting ${setting} is not set`);
  return QueueServiceClient.fromConnectionString(connection);
}

/**
 * What the host serves, as lines for a terminal: the dashboard with the function key, the webhook
 * with its system key, the timers with the master key. The only lines that show a key: the user
 * asked for them by starting the host.
 */
export function describeEndpoints(host: Pick<LocalHost, 'url' | 'functions' | 'keys' | 'keysFile' | 'eventGridWebhookUrl'>): string[] {
  const timers = host.functions.filter((f) => f.kind === 'timer').map((f) => f.name);
  const webhooks = host.functions.filter((f) => f.kind === 'eventGrid').map((f) => f.name);
  return [
    `Local host on ${host.url} (${host.functions.map((f) => `${f.kind} ${f.name}`).join(', ')})`,
    `  Dashboard:          ${host.url}/api/dashboard?${KEY_PARAMETER}=${encodeURIComponent(host.keys.functionKey)}`,
    `  HTTP API:           ${host.url}/api/ (the function key above, as ${KEY_HEADER} or ?${KEY_PARAMETER}=)`,
    ...webhooks.map((name) => `  Event Grid webhook: ${host.eventGridWebhookUrl(name)}`),
    ...timers.map((name) => `  Run ${name} now:   curl -X POST -H '${KEY_HEADER}: ${host.keys.masterKey}' -H 'content-type: application/json' -d '{"input":""}' ${host.url}/admin/functions/${name}`),
    `  Keys:               kept in ${host.keysFile} (LOCAL_HOST_MASTER_KEY sets the master key)`,
  ];
}

/** Loads every module of functions/ (compiled .js under dist, .ts under vitest), as the runtime's `main` glob does. */
async function loadFunctionModules(): Promise<void> {
  const dir = join(__dirname, '..', '..', '..', 'functions');
  for (const file of readdirSync(dir).sort()) {
    if (/\.(js|ts)$/.test(file) && !file.endsWith('.d.ts')) await import(pathToFileURL(join(dir, file)).href);
  }
}
