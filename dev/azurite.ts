/**
 * Starts Azurite (the npm package, not a container) in a child process, for tests (in memory) and
 * the local demo (kept under .dev/azurite, so the demo's trail outlives it).
 *
 * Why a child process and not Azurite's classes in-process: Azurite reads its settings from
 * `process.argv` and installs signal handlers, so it is only really usable as its own program.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { findFreePort } from './freePort.js';

/** The well-known Azurite/emulator account and key (public, documented by Microsoft; not a secret). */
export const DEV_STORAGE_ACCOUNT = 'devstoreaccount1';
export const DEV_STORAGE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface StartAzuriteOptions {
  /** 0 or absent: a free port. */
  tablePort?: number;
  queuePort?: number;
  blobPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** How long to wait for the ports to accept connections; default 20 s. */
  startTimeoutMs?: number;
  /** Keep the data in this folder; default: in memory, gone when Azurite stops. */
  location?: string;
}

export interface RunningAzurite {
  /** Full connection string with explicit Blob/Queue/Table endpoints for the chosen ports. */
  connectionString: string;
  tableUrl: string;
  queueUrl: string;
  blobUrl: string;
  /** Azurite's process, for a benchmark that counts its CPU. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * Runs in the child before Azurite: exits as soon as stdin reaches end-of-file. The parent holds the
 * other end of that pipe, and the OS closes it whenever the parent dies (even by SIGKILL), so a
 * crashed test run cannot leave Azurite behind. `stop()` uses the same path: it ends stdin.
 * `process.argv[1]` is Azurite's script (passed after `--`), which is where Azurite expects it.
 */
const WATCHDOG = [
  // With a location, Azurite writes its database to disk on SIGINT: a hard exit would lose what it
  // had not saved yet (it saves every few seconds), so end-of-file asks it to shut down, and exits
  // only if it has not within a few seconds.
  "const quit = () => process.env.AZURITE_SAVE_ON_EXIT ? (process.kill(process.pid, 'SIGINT'), setTimeout(() => process.exit(0), 4000).unref()) : process.exit(0);",
  "process.stdin.on('end', quit);",
  "process.stdin.on('error', quit);",
  'process.stdin.resume();',
  'require(process.argv[1]);',
].join(' ');

const STOP_GRACE_MS = 5000;
const TABLE_READY_LINE = 'Azurite Table service is successfully listening';

function azuriteScript(): string {
  // The package's own entry point (its `bin`), resolved from this project's dependencies.
  return require.resolve('azurite/dist/src/azurite.js');
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function buildConnectionString(blobUrl: string, queueUrl: string, tableUrl: string): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_STORAGE_ACCOUNT}`,
    `AccountKey=${DEV_STORAGE_KEY}`,
    `BlobEndpoint=${blobUrl}`,
    `QueueEndpoint=${queueUrl}`,
    `TableEndpoint=${tableUrl}`,
  ].join(';') + ';';
}

export async function startAzurite(options: StartAzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const blobPort = options.blobPort || (await findFreePort(host));
  const queuePort = options.queuePort || (await findFreePort(host));
  const tablePort = options.tablePort || (await findFreePort(host));
  const args = [
    // Never --inMemoryPersistence together with --location: Azurite refuses the combination.
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
    '--silent',
    '--skipApiVersionCheck', // SDKs newer than this Azurite send api-versions it does not know yet
    '--loose',
    '--disableProductStyleUrl', // the account is always the first path segment (127.0.0.1 URLs)
    '--disableTelemetry', // no outbound calls from tests
    '--blobHost', host, '--blobPort', String(blobPort),
    '--queueHost', host, '--queuePort', String(queuePort),
    '--tableHost', host, '--tablePort', String(tablePort),
  ];
  if (options.location) await mkdir(options.location, { recursive: true });
  const child = spawn(process.execPath, ['-e', WATCHDOG, '--', azuriteScript(), ...args], {
    // With in-memory persistence Azurite still treats its working directory as a workspace; keep
    // that out of the repository.
    cwd: options.location ?? tmpdir(),
    stdio: ['pipe', 'pipe', 'pipe'],
    // A test runner's loader flags are not for Azurite.
    env: { ...process.env, NODE_OPTIONS: '', ...(options.location ? { AZURITE_SAVE_ON_EXIT: '1' } : {}) },
  });
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-8000);
  });
  child.stdin?.on('error', () => undefined); // EPIPE when the child already exited: nothing to do
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  // A normal exit of the parent (process.exit, end of the event loop) kills the child at once; a
  // crash is covered by the stdin watchdog.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = waitForExit(child);
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const describe = (): string =>
    `azurite (blob ${blobPort}, queue ${queuePort}, table ${tablePort}) stderr: ${stderr.trim() || '(empty)'}; stdout: ${stdout.trim() || '(empty)'}`;

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`Azurite could not be started: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Azurite exited during start-up (code ${child.exitCode ?? child.signalCode}). ${describe()}`);
    }
    // Azurite starts blob, queue, table in that order and logs each (even with --silent); the log
    // line proves the port is Azurite's and not another process that happened to grab it.
    if (stdout.includes(TABLE_READY_LINE)) {
      const ready = await Promise.all([blobPort, queuePort, tablePort].map((port) => canConnect(host, port)));
      if (ready.every(Boolean) && child.exitCode === null) break;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Azurite did not accept connections within ${timeoutMs} ms. ${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const base = `http://${formatHost(host)}`;
  const blobUrl = `${base}:${blobPort}/${DEV_STORAGE_ACCOUNT}`;
  const queueUrl = `${base}:${queuePort}/${DEV_STORAGE_ACCOUNT}`;
  const tableUrl = `${base}:${tablePort}/${DEV_STORAGE_ACCOUNT}`;
  return { connectionString: buildConnectionString(blobUrl, queueUrl, tableUrl), tableUrl, queueUrl, blobUrl, pid: child.pid, stop };
}
