/**
 * `npm run bench` (second part): a cold full scan at fleet scale against the ARM simulator with ARM's
 * own throttling (per-subscription buckets: reads 250 + 25/s, writes 200 + 10/s) and 50 ms latency,
 * beside the lower bound those buckets and that latency allow with unlimited concurrency, in the same
 * run. Also: clusters lost (must be 0), 429s met, and the heap the scan retains per cluster (after a
 * full GC, while its report is still held): flat memory means a constant, small figure per cluster,
 * the verdict itself, however large the fleet (pages are streamed, kubeconfigs dropped once read).
 */
import { join } from 'node:path';
import { startArmSimulator } from '../dev/armSimulator/server.js';
import { buildScaleFleet } from '../dev/demoFleet/index.js';
import { ensureDevTls } from '../dev/devTls.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../dev/trustDevCa.js';
import { createApiServerProbe, createFleetReader, scanConcurrency } from '../shared/compose.js';
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

async function scanFleet(subscriptions: number, clustersPerSubscription: number, tls: Awaited<ReturnType<typeof ensureDevTls>>) {
  const fleet = await buildScaleFleet({ now: new Date(), subscriptions, clustersPerSubscription });
  const simulator = await startArmSimulator({ fleet, tls, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE });
  try {
    const config = loadConfig({ ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: 'bench', APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}` });
    const heapBefore = retainedHeap();
    const started = performance.now();
    const { report } = await runScan(
      { policy: DEFAULT_POLICY },
      { fleet: createFleetReader(config), apiServerProbe: createApiServerProbe(config), concurrency: scanConcurrency(config.SCAN_CONCURRENCY) },
    );
    const elapsedMs = performance.now() - started;
    const retainedKbPerCluster = (retainedHeap() - heapBefore) / 1024 / report.clusters.length;
    const unread = report.clusters.filter((c) => c.status === 'unknown').length;
    return {
      clusters: fleet.clusters.length, reported: report.clusters.length, unread, elapsedMs,
      boundMs: lowerBoundMs(clustersPerSubscription), throttled: simulator.requests.filter((r) => r.status === 429).length,
      retainedKbPerCluster,
    };
  } finally {
    await simulator.close();
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
    const r = await scanFleet(subscriptions, perSubscription, tls);
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
