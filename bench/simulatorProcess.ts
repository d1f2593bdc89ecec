/**
 * The ARM simulator in a process of its own, for benchmarks: the scan being measured then has its
 * own core instead of sharing one with the simulator's TLS and JSON work. Driven over IPC by its parent.
 * Throttling, latency and page size come from the start message, else from ARM_SIMULATOR_* in the
 * environment (dev/armSimulator/throttle.ts `simulatorSettingsFromEnv`), else the simulator's defaults.
 */
import { join } from 'node:path';
import { startArmSimulator, type ArmSimulator, type ThrottleConfig } from '../dev/armSimulator/server.js';
import { simulatorSettingsFromEnv } from '../dev/armSimulator/throttle.js';
import { buildScaleFleet } from '../dev/demoFleet/index.js';
import { ensureDevTls } from '../dev/devTls.js';
import { tallyCalls } from './armCalls.js';

export interface SimulatorStart {
  /** Clusters in each subscription. */
  sizes: number[];
  latencyMs?: number;
  pageSize?: number;
  throttle?: ThrottleConfig;
}
export interface SimulatorStats {
  /** Since the previous stats: every request, by kind, and those answered 429. */
  requests: number;
  byKind: Record<string, number>;
  throttled: number;
  /** The simulator's CPU seconds (its TLS, JSON and API servers' handshakes): the machine's cores are shared. */
  cpuSeconds: number;
}
export type SimulatorRequest = { start: SimulatorStart } | { stats: true } | { refill: true } | { stop: true };
export type SimulatorReply =
  | { started: { url: string; apiServerPort: number; clusters: number; subscriptions: number } }
  | { stats: SimulatorStats }
  | { refilled: true }
  | { stopped: true };

let simulator: ArmSimulator | undefined;
let counted = 0;
let cpuAt = process.cpuUsage();
const reply = (message: SimulatorReply) => process.send!(message);

process.on('message', (message: SimulatorRequest) => {
  void (async () => {
    if ('start' in message) {
      const tls = await ensureDevTls(join(__dirname, '..', '..', '.dev', 'tls'));
      const fromEnv = simulatorSettingsFromEnv(process.env);
      const { sizes, ...asked } = message.start;
      const fleet = await buildScaleFleet({ now: new Date(), sizes });
      simulator = await startArmSimulator({ fleet, tls, ...fromEnv, ...asked });
      reply({ started: { url: simulator.url, apiServerPort: simulator.apiServer.port, clusters: fleet.clusters.length, subscriptions: sizes.length } });
    } else if ('stats' in message) {
      const requests = simulator!.requests.slice(counted);
      counted = simulator!.requests.length;
      const cpu = process.cpuUsage(cpuAt);
      cpuAt = process.cpuUsage();
      reply({ stats: { requests: requests.length, byKind: tallyCalls(requests), throttled: requests.filter((r) => r.status === 429).length, cpuSeconds: (cpu.user + cpu.system) / 1e6 } });
    } else if ('refill' in message) {
      simulator!.resetThrottle();
      reply({ refilled: true });
    } else {
      await simulator?.close();
      reply({ stopped: true });
      process.disconnect();
    }
  })();
});
