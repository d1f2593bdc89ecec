/**
 * `npm run bench` (the scans): fleets against the ARM simulator with ARM's own throttling (buckets per
 * subscription: reads 250 + 25/s, writes 200 + 10/s) and 40 ms latency, the simulator in a process of
 * its own and each scan in a fresh process (so that its peak RSS and CPU seconds are its own):
 *   - cold: the product's scan (discovery, certificates, probe, the trail recorded in Azurite) of a
 *     fleet it never saw;
 *   - warm: the same scan again, the fleet unchanged, the buckets full again (as after the pause
 *     between two scheduled scans): what the recorded trail saves;
 *   - at 10,000, the warm scan once more with V8's old space capped at HEAP_CAP_MB: what of its peak
 *     RSS is the garbage collector's headroom rather than memory the scan holds;
 *   - baseline: one cluster at a time, as a loop around `az aks list` / `az aks get-credentials`
 *     would (bench/scanProcess.ts), at 1,000 clusters.
 * Beside each cold scan, the least time its buckets, latency and concurrency allow (bench/scanBound.ts).
 * ARM calls are counted by kind at the simulator, table transactions at a proxy in front of Azurite.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARM_DEFAULT_THROTTLE } from '../dev/armSimulator/throttle.js';
import { startAzurite } from '../dev/azurite.js';
import { unevenSubscriptionSizes } from '../dev/demoFleet/index.js';
import { ensureDevTls } from '../dev/devTls.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../dev/trustDevCa.js';
import { DEFAULT_CONCURRENCY } from '../shared/scan/runScan.js';
import { coldScanBoundMs } from './scanBound.js';
import type { ScanProcessReply, ScanProcessRequest } from './scanProcess.js';
import type { SimulatorReply, SimulatorRequest, SimulatorStats } from './simulatorProcess.js';
import { startTableCounter } from './tableCounter.js';

const LATENCY_MS = 40;
const PAGE_SIZE = 20;
const SUBSCRIPTION_PAGE_SIZE = 2;
type Run = 'cold' | 'warm' | 'capped' | 'baseline';
/** `capped`: the warm scan again with V8's old space capped (`--max-old-space-size`, as NODE_OPTIONS can set it): how much of the peak is the collector's headroom. */
const HEAP_CAP_MB = 128;
const runLabel = (run: Run) => (run === 'capped' ? `warm, --max-old-space-size=${HEAP_CAP_MB}` : run);

const even = (subscriptions: number, each: number) => Array.from({ length: subscriptions }, () => each);
const SCENARIOS: Array<{ name: string; sizes: number[]; runs: Run[] }> = [
  { name: '500 clusters / 5 subscriptions', sizes: even(5, 100), runs: ['cold'] },
  { name: '1,000 clusters / 20 subscriptions', sizes: even(20, 50), runs: ['cold', 'warm', 'baseline'] },
  { name: '10,000 clusters / 50 subscriptions (largest 2,000)', sizes: unevenSubscriptionSizes({ clusters: 10_000, subscriptions: 50, largest: 2_000 }), runs: ['cold', 'warm', 'capped'] },
];

interface Measured extends ScanProcessReply {
  run: Run;
  fleet: number;
  arm: SimulatorStats;
  transactions: number;
  tableRequests: number;
  /** CPU seconds the scan's counterparts spent meanwhile, on the same cores: Azurite, and this process (the table proxy). */
  azuriteCpuSeconds: number | undefined;
  proxyCpuSeconds: number;
}

/** A process's CPU seconds so far from /proc (utime + stime, in USER_HZ = 100 ticks a second); undefined elsewhere. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** BENCH_CPU_PROF=<dir>: each scan process writes a V8 CPU profile there (`node --cpu-prof`), to find where the CPU goes. */
function child(script: string, profile = false, nodeArgs: string[] = []) {
  const profileDir = process.env['BENCH_CPU_PROF'];
  const execArgv = [...nodeArgs, ...(profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const forked = fork(join(__dirname, script), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });

  const ask = <R>(message: unknown, accept: (answer: R) => boolean = () => true) =>
    new Promise<R>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited (${code}) before it answered`));
      const listener = (answer: R) => {
        if (!accept(answer)) return;
        forked.off('message', listener);
        forked.off('exit', onExit);
        resolve(answer);
      };
      forked.on('message', listener);
      forked.once('exit', onExit);
      forked.send(message as object);
    });
  return { ask };
}

async function scenario(name: string, sizes: number[], runs: Run[]): Promise<Measured[]> {
  const azurite = await startAzurite();
  const tables = await startTableCounter(azurite.connectionString, azurite.tableUrl);
  const simulator = child('simulatorProcess.js');
  const sim = <K extends string>(message: SimulatorRequest, key: K) =>
    simulator.ask<Extract<SimulatorReply, Record<K, unknown>>>(message, (answer) => key in (answer as object));
  const measured: Measured[] = [];
  try {
    const { started } = await sim({ start: { sizes, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE } }, 'started');
    const settings = {
      COMPLIANCE_STORAGE: tables.connectionString, ARM_ENDPOINT: started.url, AZURE_STATIC_TOKEN: 'bench',
      APISERVER_CONNECT_TO: `127.0.0.1:${started.apiServerPort}`,
    };
    for (const run of runs) {
      if (run !== 'cold') await sim({ refill: true }, 'refilled');
      await sim({ stats: true }, 'stats');
      tables.take();
      process.stderr.write(`  ${name}: ${runLabel(run)} scan...\n`);
      const request: ScanProcessRequest = { mode: run === 'baseline' ? 'naive' : 'product', settings };
      const azuriteCpu = processCpuSeconds(azurite.pid);
      const proxyCpu = process.cpuUsage();
      const reply = await child('scanProcess.js', true, run === 'capped' ? [`--max-old-space-size=${HEAP_CAP_MB}`] : []).ask<ScanProcessReply>(request);
      const proxy = process.cpuUsage(proxyCpu);
      const azuriteAfter = processCpuSeconds(azurite.pid);
      const { stats } = await sim({ stats: true }, 'stats');
      const counts = tables.take();
      measured.push({
        ...reply, run, fleet: started.clusters, arm: stats, transactions: counts.transactions, tableRequests: counts.otherRequests,
        azuriteCpuSeconds: azuriteCpu === undefined || azuriteAfter === undefined ? undefined : azuriteAfter - azuriteCpu, proxyCpuSeconds: (proxy.user + proxy.system) / 1e6,
      });
    }
  } finally {
    await sim({ stop: true }, 'stopped').catch(() => undefined);
    await tables.close();
    await azurite.stop();
  }
  return measured;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (a: number, b: number) => `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}x`;
const kinds = (byKind: Record<string, number>) => Object.entries(byKind).map(([k, n]) => `${k} ${n}`).join(', ');

async function main(): Promise<void> {
  const tls = await ensureDevTls(join(__dirname, '..', '..', '.dev', 'tls'));
  if (!(await trustsDevCa(tls.caPem))) {
    process.exitCode = await rerunTrusting(await extraCaFile(tls.caPath, tls.caPem));
    return;
  }
  const concurrency = DEFAULT_CONCURRENCY;
  process.stdout.write(
    `### Full scans\n\nARM simulator: buckets per subscription reads ${ARM_DEFAULT_THROTTLE.reads.capacity} + ${ARM_DEFAULT_THROTTLE.reads.refillPerSecond}/s, ` +
      `writes ${ARM_DEFAULT_THROTTLE.writes.capacity} + ${ARM_DEFAULT_THROTTLE.writes.refillPerSecond}/s, ${LATENCY_MS} ms latency, ${PAGE_SIZE} clusters a page; ` +
      `scan concurrency ${concurrency.clusters} clusters (${concurrency.clustersPerSubscription} a subscription, ${concurrency.subscriptions} subscriptions).\n\n` +
      '| fleet | run | wall | bound | wall/bound | ARM calls | by kind | 429s | table transactions | other table requests | peak RSS | CPU | CPU beside it: simulator / Azurite / table proxy | lost | unknown |\n' +
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n',
  );
  const ratios: string[] = [];
  const targets: string[] = [];
  // BENCH_ONLY=500 (say) runs only the fleets whose name holds it: for working on one of them.
  for (const { name, sizes, runs } of SCENARIOS.filter((sc) => sc.name.includes(process.env['BENCH_ONLY'] ?? ''))) {
    const boundMs = coldScanBoundMs({
      sizes, latencyMs: LATENCY_MS, pageSize: PAGE_SIZE, subscriptionPageSize: SUBSCRIPTION_PAGE_SIZE,
      writes: ARM_DEFAULT_THROTTLE.writes, reads: ARM_DEFAULT_THROTTLE.reads, concurrency,
    });
    // BENCH_RUNS=cold,warm (say) skips the other runs: for profiling one of them.
    const only = process.env['BENCH_RUNS']?.split(',');
    const results = await scenario(name, sizes, runs.filter((run) => !only || only.includes(run)));
    for (const r of results) {
      const lost = r.fleet - r.clusters;
      process.stdout.write(
        `| ${name} | ${runLabel(r.run)} | ${s(r.elapsedMs)} | ${r.run === 'cold' ? s(boundMs) : ''} | ${r.run === 'cold' ? x(r.elapsedMs, boundMs) : ''} | ${r.arm.requests} | ${kinds(r.arm.byKind)} | ` +
          `${r.arm.throttled} (${((100 * r.arm.throttled) / Math.max(1, r.arm.requests)).toFixed(2)}%) | ${r.run === 'baseline' ? '-' : r.transactions} | ${r.run === 'baseline' ? '-' : r.tableRequests} | ` +
          `${r.maxRssMb.toFixed(0)} MB | ${r.cpuSeconds.toFixed(2)} s | ${r.arm.cpuSeconds.toFixed(2)} / ${r.azuriteCpuSeconds?.toFixed(2) ?? '?'} / ${r.proxyCpuSeconds.toFixed(2)} s | ${lost} | ${r.unknown} |` +
          (r.cliStarts ? ` (the serial SDK loop ${s(r.loopMs!)}, plus ${r.cliStarts} CLI starts at ${r.cliStartMs!.toFixed(0)} ms each: the mean of ${r.cliStartCommand} started in this run)` : '') + '\n',
      );
      if (lost !== 0 || (r.run !== 'baseline' && r.unknown > 0)) process.exitCode = 1;
    }
    const cold = results.find((r) => r.run === 'cold');
    if (!cold) continue;
    const warm = results.find((r) => r.run === 'warm');
    const baseline = results.find((r) => r.run === 'baseline');
    const throttledShare = cold.arm.throttled / Math.max(1, cold.arm.requests);
    ratios.push(
      `- ${name}: cold/bound ${x(cold.elapsedMs, boundMs)}` +
        (warm ? `; warm/cold ARM calls ${x(warm.arm.requests, cold.arm.requests)}, time ${x(warm.elapsedMs, cold.elapsedMs)}` : '') +
        (baseline ? `; baseline/cold ${x(baseline.elapsedMs, cold.elapsedMs)}` : ''),
    );
    const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
    if (sizes.length === 5) targets.push(`- 500 clusters within 3x the bound: ${verdict(cold.elapsedMs <= 3 * boundMs)}`);
    else {
      targets.push(`- ${name}: cold within 1.10x of the bound: ${verdict(cold.elapsedMs <= 1.1 * boundMs)}; no cluster lost: ${verdict(cold.fleet === cold.clusters)}; at most 1% of calls 429: ${verdict(throttledShare <= 0.01)}`);
      if (warm) targets.push(`- ${name}: warm under 5% of the cold ARM calls: ${verdict(warm.arm.requests < 0.05 * cold.arm.requests)}; under 10% of its time: ${verdict(warm.elapsedMs < 0.1 * cold.elapsedMs)}`);
      if (baseline) targets.push(`- ${name}: baseline/cold at least 50x: ${verdict(baseline.elapsedMs >= 50 * cold.elapsedMs)}`);
      const capped = results.find((r) => r.run === 'capped');
      if (cold.fleet >= 10_000) {
        targets.push(`- ${name}: peak RSS under 200 MB: ${verdict(Math.max(cold.maxRssMb, warm?.maxRssMb ?? 0) < 200)}` +
          (capped ? `; with the old space capped at ${HEAP_CAP_MB} MB, warm: ${capped.maxRssMb.toFixed(0)} MB in ${s(capped.elapsedMs)}` : ''));
      }
    }
  }
  process.stdout.write(`\nRatios:\n\n${ratios.join('\n')}\n\nTargets:\n\n${targets.join('\n')}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
