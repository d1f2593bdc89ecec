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
import { EVENT_GRID_WEBHOOK_PATH, EventGridWebhook } from './eventGridWebhook.js';
import { HttpFunctions } from './httpFunctions.js';
import type { HostLog } from './invocationContext.js';
import { QueueWorker, type QueueWorkerOptions } from './queueWorker.js';
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
}

export interface LocalHost {
  url: string;
  port: number;
  functions: readonly FunctionRegistration[];
  /** Runs a timer function now, as `POST /admin/functions/<name>` does. */
  runTimer(name: string): Promise<void>;
  close(): Promise<void>;
}

let started = false;

/**
 * Runs what functions/ registers without the Functions runtime: HTTP functions under /api, the
 * Event Grid webhook at /runtime/webhooks/eventgrid, queue workers on the Storage queues and timers
 * on their schedules. Function modules load once per process, so one local host per process.
 */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  if (started) throw new Error('a local host is already running in this process (functions load once per process)');
  started = true;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  Object.assign(process.env, options.settings);
  hostLocally();
  await loadFunctionModules();
  const registrations = registeredFunctions();

  const http = new HttpFunctions(registrations, log);
  const eventGrid = new EventGridWebhook(registrations, log);
  const timers = new Map(registrations.flatMap((r) => (r.kind === 'timer' ? [[r.name, new TimerSchedule(r, log)] as const] : [])));
  const queueServiceFor = options.queueServiceFor ?? defaultQueueService;
  const workers = registrations.flatMap((r) => (r.kind === 'storageQueue' ? [new QueueWorker(r, queueServiceFor(r.options.connection ?? 'AzureWebJobsStorage'), log, options.queues)] : []));

  const server = createServer((request, response) => {
    void route(request, response).catch((error: Error) => {
      log(`[${new Date().toISOString()}] host error: ${error.message}`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  const route = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
    if (await eventGrid.handle(request, response, url, body)) return;
    if (await http.handle(request, response, url, body)) return;
    const admin = /^\/admin\/functions\/([^/]+)$/.exec(url.pathname);
    if (admin && request.method === 'POST' && timers.has(admin[1]!)) {
      await timers.get(admin[1]!)!.runNow();
      response.writeHead(202).end();
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `nothing is served at ${url.pathname}` }));
  };

  // Queues first: with storage unreachable the host fails here, before it listens, instead of
  // half-starting (answering 500s with no queue workers) and never exiting.
  try {
    await Promise.all(workers.map((w) => w.start()));
  } catch (error) {
    started = false;
    throw new StoreError(`the local host cannot reach its queues: ${messageOf(error)}`, { cause: error });
  }
  const port = options.port ?? DEFAULT_HOST_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use (another akscert serve or demo?); pass --port N for another port`, { cause: error }) : error));
    server.listen(port, options.host ?? '127.0.0.1', () => resolve());
  }).catch(async (error: unknown) => {
    await Promise.all(workers.map((w) => w.stop()));
    started = false;
    throw error;
  });
  if (options.timers !== false) for (const timer of timers.values()) timer.start();
  const bound = (server.address() as AddressInfo).port;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${bound}`,
    port: bound,
    functions: registrations,
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

/** What the host serves, as lines for a terminal: the webhook, the API, the dashboard and the timers. */
export function describeEndpoints(host: Pick<LocalHost, 'url' | 'functions'>): string[] {
  const timers = host.functions.filter((f) => f.kind === 'timer').map((f) => f.name);
  return [
    `Local host on ${host.url} (${host.functions.map((f) => `${f.kind} ${f.name}`).join(', ')})`,
    `  Dashboard:          ${host.url}/api/dashboard`,
    `  HTTP API:           ${host.url}/api/`,
    `  Event Grid webhook: ${host.url}${EVENT_GRID_WEBHOOK_PATH}?functionName=clusterEvents`,
    ...timers.map((name) => `  Run ${name} now:   curl -X POST ${host.url}/admin/functions/${name}`),
  ];
}

/** Loads every module of functions/ (compiled .js under dist, .ts under vitest), as the runtime's `main` glob does. */
async function loadFunctionModules(): Promise<void> {
  const dir = join(__dirname, '..', '..', '..', 'functions');
  for (const file of readdirSync(dir).sort()) {
    if (/\.(js|ts)$/.test(file) && !file.endsWith('.d.ts')) await import(pathToFileURL(join(dir, file)).href);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
