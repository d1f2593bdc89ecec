/**
 * `npm run bench` (second part): a cold full scan at fleet scale against the ARM simulator with ARM's
 * own throttling (per-subscription buckets: reads 250 + 25/s, writes 200 + 10/s) and 50 ms latency,
 * beside the lower bound those buckets and that latency allow with unlimited concurrency, in the same
 * run, the simulator in a process of its own. Also: clusters lost (must be 0), 429s met, and the heap the scan retains per cluster (after a
 * full GC, while its report is still held): flat memory means a constant, small figure per cluster,
 * the verdict itself, however large the fleet (pages are streamed, kubeconfigs dropped once read).
 */
import { join } from 'node:path';
import { fork } from 'node:child_process';
import type { SimulatorReply, SimulatorRequest } from './simulatorProcess.js';
import { ensureDevTls } from '../dev/devTls.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../dev/trustDevCa.js';
import { scanSources } from '../shared/wiring/adapters.js';
import { loadConfig } from '../shared/config.js';
import { DEFAULT_POLICY } from '../shared/domain/policy.js';
import { runScan } from '../shared/scan/runScan.js';

const LATENCY_MS = 50;
const PAGE_SIZE = 20;
const WRITES = { burst: 200, perSecond: 10 };

/** Unlimited concurrency: each subscription lists its pages one after another, then needs one credential call per cluster from its write bucket. */
function lowerBoundMs(clustersPerSubscription: number): number {
  const pages = Math.ceil(clustersPerSubscription / PAGE_SIZE);
  const bucketWaitMs = Math.max(0, clustersPerSubscription - WRITES.burst) / WRITES.perSecond * 1000;
  return pages * LATENCY_MS + LATENCY_MS + bucketWaitMs;
}

/** Starts the simulator in a child process and asks it things over IPC. */
async function simulatorProcess() {
  const child = fork(join(__dirname, 'simulatorProcess.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <K extends string>(message: SimulatorRequest, key: K) =>
    new Promise<Extract<SimulatorReply, Record<K, unknown>>>((resolve) => {
      const listener = (answer: SimulatorReply) => {
        if (!(key in answer)) return;
        child.off('message', listener);
        resolve(answer as Extract<SimulatorReply, Record<K, unknown>>);
      };
      child.on('message', listener);
      child.send(message);
    });
  return { ask };
}

async function scanFleet(subscriptions: number, clustersPerSubscription: number) {
  const simulator = await simulatorProcess();
  const { started } = await simulator.ask({ start: { subscriptions, clustersPerSubscription, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE } }, 'started');
  try {
    const config = loadConfig({ ARM_ENDPOINT: started.url, AZURE_STATIC_TOKEN: 'bench', APISERVER_CONNECT_TO: `127.0.0.1:${started.apiServerPort}` });
    const heapBefore = retainedHeap();
    const startedAt = performance.now();
    const { report } = await runScan(
      { policy: DEFAULT_POLICY },
      scanSources(config),
    );
    const elapsedMs = performance.now() - startedAt;
    const retainedKbPerCluster = (retainedHeap() - heapBefore) / 1024 / report.clusters.length;
    const unread = report.clusters.filter((c) => c.status === 'unknown').length;
    const { stats } = await simulator.ask({ stats: true }, 'stats');
    return {
      clusters: started.clusters, reported: report.clusters.length, unread, elapsedMs,
      boundMs: lowerBoundMs(clustersPerSubscription), throttled: stats.throttled, retainedKbPerCluster,
    };
  } finally {
    await simulator.ask({ stop: true }, 'stopped');
  }
}

/** Heap in use after a full collection (`--expose-gc`, which npm run bench passes). */
function retainedHeap(): number {
  if (!global.gc) throw new Error('run with node --expose-gc (npm run bench does)');
  global.gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const tls = await ensureDevTls(join(__dirname, '..', '..', '.dev', 'tls'));
  if (!(await trustsDevCa(tls.caPem))) {
    process.exitCode = await rerunTrusting(await extraCaFile(tls.caPath, tls.caPem));
    return;
  }
  process.stdout.write(`Cold full scan vs its lower bound (ARM buckets per subscription, ${LATENCY_MS} ms latency, ${PAGE_SIZE} clusters a page)\n`);
  for (const [subscriptions, perSubscription] of [[5, 100], [10, 300]] as const) {
    const r = await scanFleet(subscriptions, perSubscription);
    process.stdout.write(
      `  ${String(r.clusters).padStart(5)} clusters in ${String(subscriptions).padStart(2)} subscriptions: ${(r.elapsedMs / 1000).toFixed(2)} s, ` +
        `lower bound ${(r.boundMs / 1000).toFixed(2)} s (x${(r.elapsedMs / r.boundMs).toFixed(1)}); ` +
        `lost ${r.clusters - r.reported}, unread ${r.unread}, 429s ${r.throttled}, retained ${r.retainedKbPerCluster.toFixed(1)} KB a cluster\n`,
    );
    if (r.reported !== r.clusters || r.unread > 0) process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
