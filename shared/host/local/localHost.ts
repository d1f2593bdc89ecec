import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostLocally, registeredFunctions, type FunctionRegistration } from '../functionRegistry.js';
import { EventGridWebhook } from './eventGridWebhook.js';
import { HttpFunctions } from './httpFunctions.js';
import type { HostLog } from './invocationContext.js';
import { QueueWorker, type QueueWorkerOptions } from './queueWorker.js';
import { TimerSchedule } from './timerSchedule.js';

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
  const workers = registrations.flatMap((r) => {
    if (r.kind !== 'storageQueue') return [];
    const setting = r.options.connection ?? 'AzureWebJobsStorage';
    const connection = process.env[setting];
    if (!connection) throw new Error(`queue function ${r.name}: app setting ${setting} is not set`);
    return [new QueueWorker(r, connection, log, options.queues)];
  });

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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7071, options.host ?? '127.0.0.1', () => resolve());
  });
  await Promise.all(workers.map((w) => w.start()));
  if (options.timers !== false) for (const timer of timers.values()) timer.start();
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
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
