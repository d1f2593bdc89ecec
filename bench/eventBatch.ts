/**
 * `node dist/bench/eventBatch.js`: what an Event Grid batch of 5,000 cluster events costs the
 * clusterEvents handler against Azurite (its latest-state reads, its debounce markers, its scan
 * queue), delivered two ways in the same run, on the same machine:
 *   - concurrent: one invocation per event, all at once (the Functions runtime's dispatch of a batch);
 *   - array: one invocation with the whole batch.
 * (One invocation per event, one after another, took 20-30 s for these batches: it is no longer run,
 * to keep `npm run bench` within its ten minutes.) The target: 5,000 events in under 2 s.
 * Two shapes: a storm (100 events on each of 50 clusters of one subscription) and a spread (5 events
 * on each of 1,000 clusters over 5 subscriptions). The result is the ratios and the table requests,
 * not the absolute timings. No ARM is involved: every event is a write (a deletion asks ARM).
 * The scan messages: one per hundred clusters of a subscription (a message names the clusters whose
 * markers one transaction wrote).
 */
import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import { TableClient } from '@azure/data-tables';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { QueueServiceClient } from '@azure/storage-queue';
import { startAzurite } from '../dev/azurite.js';
import { makeClusterEventsHandler } from '../shared/handlers/clusterEvents.js';
import { QUEUES } from '../shared/queue/messages.js';
import { RescanScheduler } from '../shared/queue/rescanScheduler.js';
import { ScanQueues } from '../shared/queue/scanQueues.js';
import { ComplianceStore, complianceTables } from '../shared/store/complianceStore.js';
import { PENDING_RESCANS_TABLE, PendingRescansTable } from '../shared/store/pendingRescans.js';
import { ensureTable } from '../shared/store/tableBatch.js';

const EVENTS = 5_000;
const SHAPES = [
  { name: 'storm', subscriptions: 1, clustersPerSubscription: 50 },
  { name: 'spread', subscriptions: 5, clustersPerSubscription: 200 },
] as const;
const MODES = ['concurrent', 'array'] as const;
const TARGET_MS = 2_000;
type Mode = (typeof MODES)[number];

const subscriptionOf = (i: number) => `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`;
const clusterIdOf = (subscription: string, group: string, i: number) =>
  `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.ContainerService/managedClusters/aks-${i}`;

function eventsFor(shape: (typeof SHAPES)[number], group: string) {
  const clusters: string[] = [];
  for (let s = 0; s < shape.subscriptions; s++) for (let c = 0; c < shape.clustersPerSubscription; c++) clusters.push(clusterIdOf(subscriptionOf(s), group, c));
  const time = new Date().toISOString();
  return Array.from({ length: EVENTS }, (_, i) => {
    const id = clusters[i % clusters.length]!;
    return {
      id: randomUUID(), eventType: 'Microsoft.Resources.ResourceWriteSuccess', subject: id, eventTime: time, dataVersion: '2', metadataVersion: '1',
      topic: `/subscriptions/${id.split('/')[2]}`,
      data: { resourceUri: id, operationName: 'Microsoft.ContainerService/managedClusters/nodePools/write', status: 'Succeeded' },
    };
  });
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  let tableRequests = 0;
  const counter: PipelinePolicy = { name: 'countRequests', sendRequest: (request, next) => (tableRequests++, next(request)) };
  const table = (name: string) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true, additionalPolicies: [{ policy: counter, position: 'perCall' }] });
  try {
    const store = await ComplianceStore.open(complianceTables(table));
    const queues = await ScanQueues.open(QueueServiceClient.fromConnectionString(azurite.connectionString));
    const markers = table(PENDING_RESCANS_TABLE);
    await ensureTable(markers);
    // A window longer than the slowest run, so that every way of delivering meets the same debounce.
    const rescans = new RescanScheduler(new PendingRescansTable(markers), queues, 600_000);
    const handler = makeClusterEventsHandler({
      store: async () => store, rescans: async () => rescans,
      fleet: { getCluster: () => Promise.reject(new Error('the benchmark sends no deletions')) },
    });
    const quiet = () => new InvocationContext({ functionName: 'clusterEvents', logHandler: () => undefined });
    const deliver: Record<Mode, (events: unknown[]) => Promise<unknown>> = {
      concurrent: async (events) => {
        const settled = await Promise.allSettled(events.map((event) => handler(event, quiet())));
        const failed = settled.filter((r) => r.status === 'rejected');
        if (failed.length > 0) throw new Error(`${failed.length} invocations failed; the first: ${((failed[0] as PromiseRejectedResult).reason as Error).message}`);
      },
      array: (events) => handler(events, quiet()),
    };

    process.stdout.write(`clusterEvents: a batch of ${EVENTS} write events against Azurite, two ways of delivering it (same run), target under ${TARGET_MS / 1000} s\n`);
    for (const shape of SHAPES) {
      const clusters = shape.subscriptions * shape.clustersPerSubscription;
      process.stdout.write(`\n  ${shape.name}: ${EVENTS / clusters} events on each of ${clusters} clusters in ${shape.subscriptions} subscription(s)\n`);
      const results: Array<{ mode: Mode; ms: number; requests: number; scans: number; error?: string }> = [];
      for (const mode of MODES) {
        await queues.client(QUEUES.scanCluster).clearMessages();
        const events = eventsFor(shape, `rg-${shape.name}-${mode}`);
        tableRequests = 0;
        const started = performance.now();
        let error: string | undefined;
        try {
          await deliver[mode](events);
        } catch (failure) {
          error = (failure as Error).message.split('\n')[0];
        }
        const ms = performance.now() - started;
        const { approximateMessagesCount = 0 } = await queues.client(QUEUES.scanCluster).getProperties();
        results.push({ mode, ms, requests: tableRequests, scans: approximateMessagesCount, error });
      }
      for (const r of results) {
        process.stdout.write(
          `    ${r.mode.padEnd(11)} ${(r.ms / 1000).toFixed(2).padStart(6)} s   ${r.ms < TARGET_MS ? 'met' : 'NOT met'}   ` +
            `${String(r.requests).padStart(6)} table requests   ${String(r.scans).padStart(5)} scan messages${r.error ? `   FAILED: ${r.error}` : ''}\n`,
        );
      }
    }
  } finally {
    await azurite.stop();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
