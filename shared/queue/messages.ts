import { z } from 'zod';
import { clusterIdSchema } from '../domain/clusterId.js';
import { isoDateTimeSchema } from '../domain/time.js';

/** Queue names: the timer fans out per subscription; events ask for one cluster. */
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
 * Rescan one cluster after an event. `leading` scans run at once; a `trailing` scan runs when the
 * debounce window closes, for the events that arrived while the leading scan was under way.
 */
export const scanClusterMessage = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('scan-cluster'),
  clusterId: clusterIdSchema,
  subscriptionId: z.string().min(1),
  trigger: z.enum(['leading', 'trailing']),
  eventId: z.string().min(1),
  requestedAt: isoDateTimeSchema,
});
/** The message as sent (the cluster id as text) and as received (parsed into its identity). */
export type ScanClusterMessage = z.input<typeof scanClusterMessage>;
export type ReceivedScanClusterMessage = z.output<typeof scanClusterMessage>;

/** What goes to the poison queue: the message as received, and why it could not be processed. */
export interface PoisonedMessage {
  queue: QueueName;
  message: unknown;
  reason: string;
  dequeueCount: number;
  failedAt: string;
}
