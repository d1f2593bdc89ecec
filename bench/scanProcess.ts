/**
 * One scan in a process of its own, so that its peak RSS (`process.resourceUsage().maxRSS`) and CPU
 * seconds are the scan's alone. Driven over IPC by bench/fullScan.ts:
 *   - `product`: what a timer or `akscert scan` runs (createServices(config).scan: discovery, the
 *     certificate reads, the API-server probe, the trail recorded in the store);
 *   - `naive`: the baseline, one cluster at a time, as a shell loop around the Azure CLI makes it:
 *     `az aks list` per subscription, then `az aks get-credentials` per cluster and reading its
 *     certificates, through the same SDK calls, serially. Each CLI call also pays the Azure CLI's
 *     start, which the loop cannot skip: measured in this run as the mean of CLI_START_SAMPLES starts of
 *     `az version` (a floor: `az aks` loads more modules), or of `node -e 0` where no `az` is installed,
 *     and added once per call, since a thousand real starts would not fit the bench's ten minutes.
 */
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../shared/config.js';
import { ArmFleet } from '../shared/azure/armFleet.js';
import { armClients } from '../shared/wiring/adapters.js';
import { createServices } from '../shared/wiring/services.js';

export type ScanProcessRequest = { mode: 'product' | 'naive'; settings: Record<string, string> };
export interface ScanProcessReply {
  elapsedMs: number;
  cpuSeconds: number;
  maxRssMb: number;
  clusters: number;
  unknown: number;
  errors: number;
  /** naive only: the CLI calls made, the mean cost of a CLI start and what was started to measure it; the SDK loop's own time. */
  cliStarts?: number;
  cliStartMs?: number;
  cliStartCommand?: string;
  loopMs?: number;
}

const CLI_START_SAMPLES = 10;

/** The mean wall time of starting the Azure CLI (`az version`), or Node where `az` is not installed. */
function measureCliStart(): { command: string; meanMs: number } {
  const az = spawnSync('az', ['version', '--output', 'none'], { stdio: 'ignore' });
  const [file, args, command] = az.error || az.status !== 0 ? [process.execPath, ['-e', '0'], 'node -e 0'] as const : ['az', ['version', '--output', 'none'], 'az version'] as const;
  const started = performance.now();
  for (let i = 0; i < CLI_START_SAMPLES; i++) spawnSync(file, args, { stdio: 'ignore' });
  return { command: `${CLI_START_SAMPLES} \`${command}\``, meanMs: (performance.now() - started) / CLI_START_SAMPLES };
}

async function productScan(settings: Record<string, string>): Promise<Omit<ScanProcessReply, 'elapsedMs' | 'cpuSeconds' | 'maxRssMb'> & { elapsedMs?: number }> {
  const services = createServices(loadConfig(settings));
  const outcome = await services.scan({});
  if (outcome.storeError) throw outcome.storeError;
  const clusters = outcome.report.clusters;
  return { clusters: clusters.length, unknown: clusters.filter((c) => c.status === 'unknown').length, errors: outcome.report.scan.errors.length };
}

async function naiveScan(settings: Record<string, string>): Promise<Omit<ScanProcessReply, 'cpuSeconds' | 'maxRssMb'>> {
  // AKS only, as `az aks list` lists: the managed clusters' reader, without the Arc listing beside it.
  const fleet = new ArmFleet(armClients(loadConfig(settings)));
  let cliStarts = 0;
  const cliStart = () => cliStarts++;
  const loopStarted = performance.now();
  let clusters = 0;
  let unknown = 0;
  cliStart(); // az account list
  const subscriptions: string[] = [];
  for await (const s of fleet.listSubscriptions()) subscriptions.push(s.subscriptionId);
  for (const subscriptionId of subscriptions) {
    cliStart(); // az aks list --subscription
    const listed = [];
    for await (const page of fleet.listClusterPages(subscriptionId)) listed.push(...page.clusters);
    for (const cluster of listed) {
      cliStart(); // az aks get-credentials, then its certificates read
      const evidence = await fleet.readCertificateEvidence(cluster);
      clusters++;
      if (evidence.certificates.length === 0) unknown++;
    }
  }
  const loopMs = performance.now() - loopStarted;
  const start = measureCliStart();
  return { clusters, unknown, errors: 0, cliStarts, cliStartMs: start.meanMs, cliStartCommand: start.command, loopMs, elapsedMs: loopMs + cliStarts * start.meanMs };
}

process.once('message', (request: ScanProcessRequest) => {
  void (async () => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = request.mode === 'product' ? await productScan(request.settings) : await naiveScan(request.settings);
    const elapsedMs = result.elapsedMs ?? performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const reply: ScanProcessReply = {
      ...result, elapsedMs, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
    process.send!(reply, () => process.disconnect());
  })().catch((error: Error) => {
    process.stderr.write(`scan process: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
});
