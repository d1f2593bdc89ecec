/**
 * `npm run bench`: event-to-record latency of the event-driven path, beside the full-fleet scan it
 * replaces, in the same run on the same machine (ratios, not absolute timings, are the result).
 * Azurite, the ARM simulator (50 ms per ARM call) and the local host run in this process's reach.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startArmSimulator } from '../dev/armSimulator/server.js';
import { startAzurite } from '../dev/azurite.js';
import { buildScaleFleet } from '../dev/demoFleet/index.js';
import { ensureDevTls } from '../dev/devTls.js';
import { startLocalHost } from '../shared/host/local/localHost.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../dev/trustDevCa.js';
import { loadConfig } from '../shared/config.js';
import { createServices } from '../shared/wiring/services.js';

const EVENTS = 200;
const ARM_LATENCY_MS = 50;
const EVENT_INTERVAL_MS = 20;
const TOKEN = 'bench-token';

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const tls = await ensureDevTls(join(root, '.dev', 'tls'));
  if (!(await trustsDevCa(tls.caPem))) {
    process.exitCode = await rerunTrusting(await extraCaFile(tls.caPath, tls.caPem));
    return;
  }

  const fleet = await buildScaleFleet({ now: new Date(), subscriptions: 3, clustersPerSubscription: 70 });
  const simulator = await startArmSimulator({ fleet, tls, latencyMs: ARM_LATENCY_MS });
  const azurite = await startAzurite();
  const settings = {
    COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TOKEN,
    APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`,
  };
  try {
    // Baseline: the full scan an event-driven rescan replaces.
    const services = createServices(loadConfig(settings));
    const fullStarted = performance.now();
    const full = await services.scan({});
    const fullScanMs = performance.now() - fullStarted;

    // Event-driven: one ResourceWriteSuccess per cluster, timed from POST to the recorded verdict.
    const recordedAt = new Map<string, number>();
    const host = await startLocalHost({
      port: 0, timers: false, settings, queues: { maxPollingIntervalMs: 100 },
      log: (line) => {
        const match = /rescan after event (\S+)\)/.exec(line);
        if (match) recordedAt.set(match[1]!, performance.now());
      },
    });
    const clusters = fleet.clusters.slice(0, EVENTS);
    const sentAt = new Map<string, number>();
    const webhook = host.eventGridWebhookUrl('clusterEvents');
    for (const [i, cluster] of clusters.entries()) {
      const id = `bench-${i}`;
      const event = {
        id, eventType: 'Microsoft.Resources.ResourceWriteSuccess', subject: cluster.resource.id, eventTime: new Date().toISOString(),
        topic: `/subscriptions/${cluster.subscriptionId}`, dataVersion: '2', metadataVersion: '1',
        data: { resourceUri: cluster.resource.id, operationName: 'Microsoft.ContainerService/managedClusters/write', subscriptionId: cluster.subscriptionId, status: 'Succeeded' },
      };
      sentAt.set(id, performance.now());
      void fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' }, body: JSON.stringify([event]) });
      await sleep(EVENT_INTERVAL_MS);
    }
    const deadline = Date.now() + 120_000;
    while (recordedAt.size < EVENTS && Date.now() < deadline) await sleep(100);
    await host.close();

    const latencies = [...sentAt].flatMap(([id, sent]) => (recordedAt.has(id) ? [recordedAt.get(id)! - sent] : [])).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    const rows = [
      ['full-fleet scan (baseline)', `${full.report.clusters.length} clusters`, fmt(fullScanMs), '1.00'],
      ['event-to-record p50', `${latencies.length}/${EVENTS} events`, fmt(pct(50)), ratio(pct(50), fullScanMs)],
      ['event-to-record p95', '', fmt(pct(95)), ratio(pct(95), fullScanMs)],
      ['event-to-record max', '', fmt(latencies.at(-1)!), ratio(latencies.at(-1)!, fullScanMs)],
    ];
    process.stdout.write(`Event-driven rescans vs the full scan they replace (ARM latency ${ARM_LATENCY_MS} ms, one event every ${EVENT_INTERVAL_MS} ms)\n`);
    for (const row of rows) process.stdout.write(`  ${row[0]!.padEnd(28)} ${row[1]!.padEnd(16)} ${row[2]!.padStart(9)}   x${row[3]} of the full scan\n`);
    process.stdout.write(`  target: p95 under 2 s: ${pct(95) < 2000 ? 'met' : 'NOT met'}\n`);
    if (latencies.length < EVENTS) process.exitCode = 1;
  } finally {
    await simulator.close();
    await azurite.stop();
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ms: number, base: number) => (ms / base).toFixed(2);

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
