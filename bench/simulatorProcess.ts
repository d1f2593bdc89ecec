/**
 * The ARM simulator in a process of its own, for benchmarks: the scan being measured then has its
 * own core instead of sharing one with the simulator's TLS and JSON work. Driven over IPC by its parent.
 */
import { join } from 'node:path';
import { startArmSimulator, type ArmSimulator } from '../dev/armSimulator/server.js';
import { buildScaleFleet } from '../dev/demoFleet/index.js';
import { ensureDevTls } from '../dev/devTls.js';

export type SimulatorRequest = { start: { subscriptions: number; clustersPerSubscription: number; latencyMs: number; pageSize: number } } | { stats: true } | { stop: true };
export type SimulatorReply = { started: { url: string; apiServerPort: number; clusters: number } } | { stats: { throttled: number; requests: number } } | { stopped: true };

let simulator: ArmSimulator | undefined;
const reply = (message: SimulatorReply) => process.send!(message);

process.on('message', (message: SimulatorRequest) => {
  void (async () => {
    if ('start' in message) {
      const tls = await ensureDevTls(join(__dirname, '..', '..', '.dev', 'tls'));
      const { subscriptions, clustersPerSubscription, latencyMs, pageSize } = message.start;
      const fleet = await buildScaleFleet({ now: new Date(), subscriptions, clustersPerSubscription });
      simulator = await startArmSimulator({ fleet, tls, latencyMs, pageSize });
      reply({ started: { url: simulator.url, apiServerPort: simulator.apiServer.port, clusters: fleet.clusters.length } });
    } else if ('stats' in message) {
      reply({ stats: { throttled: simulator!.requests.filter((r) => r.status === 429).length, requests: simulator!.requests.length } });
    } else {
      await simulator?.close();
      reply({ stopped: true });
      process.disconnect();
    }
  })();
});
