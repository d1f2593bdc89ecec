import { z } from 'zod';
import { clusterIdSchema } from '../domain/clusterId.js';
import { isoDateTimeSchema } from '../domain/time.js';

/** Queue names: the timer fans out per subscription; events ask for some clusters of one subscription. */
export const QUEUES = { scanSubscription: 'scan-subscription', scanCluster: 'scan-cluster' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Where the Functions runtime moves a message that kept failing; we put the reason beside it. */
export const poisonQueueOf = (queue: QueueName) => `${queue}-poison`;

/** The runtime's default `maxDequeueCount` (host.json keeps it): the 5th failure is the last. */
export const MAX_DEQUEUE_COUNT = 5;

/** Scan one subscription, part of a scheduled run (`runId` ties the subscriptions of one run together). */
export const scanSubscriptionMessage = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('scan-subscription'),
  subscriptionId: z.string().min(1),
  runId: z.string().min(1),
  requestedAt: isoDateTimeSchema,
});
export type ScanSubscriptionMessage = z.output<typeof scanSubscriptionMessage>;

/**
 * How many clusters one scan-cluster message names at most: the clusters whose debounce markers one
 * transaction wrote (MARKER_WRITES_PER_BATCH), so a storm costs a message per hundred clusters, not
 * one each. A hundred ids of the longest ARM allows (about 250 characters) and their event ids stay
 * within Queue storage's 64 KiB message once base64 encoded.
 */
export const MAX_CLUSTERS_PER_SCAN_MESSAGE = 100;

const scanTrigger = z.enum(['leading', 'trailing']);

/**
 * The first form (schemaVersion 1): one cluster per message. No longer sent, still read: a deployed
 * app is upgraded with such messages in its queue.
 */
const oneClusterScanMessage = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('scan-cluster'),
  clusterId: clusterIdSchema,
  subscriptionId: z.string().min(1),
  trigger: scanTrigger,
  eventId: z.string().min(1),
  requestedAt: isoDateTimeSchema,
});

/** schemaVersion 2: some clusters of one subscription, each with the event that asked for its scan. */
const clustersScanMessage = z.strictObject({
  schemaVersion: z.literal(2),
  kind: z.literal('scan-cluster'),
  subscriptionId: z.string().min(1),
  trigger: scanTrigger,
  clusters: z.array(z.strictObject({ clusterId: clusterIdSchema, eventId: z.string().min(1) })).min(1).max(MAX_CLUSTERS_PER_SCAN_MESSAGE),
  requestedAt: isoDateTimeSchema,
}).refine(
  (message) => message.clusters.every(({ clusterId }) => clusterId.subscriptionId.toLowerCase() === message.subscriptionId.toLowerCase()),
  { message: 'names a cluster of another subscription', path: ['clusters'] },
);

/**
 * Rescan clusters after events. `leading` scans run at once; a `trailing` scan runs when the
 * debounce window closes, for the events that arrived while the leading scan was under way.
 * Either form is received as the second: its clusters, each with its event.
 */
export const scanClusterMessage = z.discriminatedUnion('schemaVersion', [oneClusterScanMessage, clustersScanMessage]).transform((message) =>
  message.schemaVersion === 2
    ? message
    : {
        schemaVersion: 2 as const, kind: message.kind, subscriptionId: message.subscriptionId, trigger: message.trigger,
        clusters: [{ clusterId: message.clusterId, eventId: message.eventId }], requestedAt: message.requestedAt,
      });
/** The message as sent (the cluster ids as text; the scheduler sends the second form) and as received (ids parsed into identities). */
export type ScanClusterMessage = z.input<typeof clustersScanMessage>;
export type ReceivedScanClusterMessage = z.output<typeof scanClusterMessage>;

/** What goes to the poison queue: the message as received, and why it could not be processed. */
export interface PoisonedMessage {
  queue: QueueName;
  message: unknown;
  reason: string;
  dequeueCount: number;
  failedAt: string;
}
