import { z } from 'zod';
import { clusterOfResource, type ClusterId } from '../domain/clusterId.js';
import { isoDateTimeSchema } from '../domain/time.js';

/** What an event means for the compliance record of one cluster. */
export interface ClusterEvent {
  id: string;
  type: string;
  time: Date;
  cluster: ClusterId;
  /** `rescan`: the cluster changed, judge it again; `delete`: the cluster is gone. */
  change: 'rescan' | 'delete';
  /** `data.operationName` for resource events, the event type for AKS events. */
  operation: string;
}

export type EventReading =
  | { kind: 'cluster'; event: ClusterEvent }
  | { kind: 'validation'; id: string; validationCode: string }
  | { kind: 'ignored'; id: string; reason: string }
  | { kind: 'invalid'; reason: string };

/** Event Grid schema (the default of system topics). */
const eventGridSchema = z.object({
  id: z.string().min(1),
  eventType: z.string().min(1),
  subject: z.string().default(''),
  eventTime: isoDateTimeSchema,
  topic: z.string().optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/** CloudEvents 1.0, as Event Grid delivers it when the subscription asks for that schema. */
const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().min(1),
  source: z.string().min(1),
  subject: z.string().default(''),
  time: isoDateTimeSchema.optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});

const resourceDataSchema = z.object({
  resourceUri: z.string().optional(),
  operationName: z.string().optional(),
});

/** The AKS system topic events this monitor acts on (Microsoft.ContainerService.*). */
export const AKS_EVENT_TYPES = new Set([
  'Microsoft.ContainerService.NewKubernetesVersionAvailable',
  'Microsoft.ContainerService.ClusterSupportEnding',
  'Microsoft.ContainerService.ClusterSupportEnded',
  'Microsoft.ContainerService.NodePoolRollingStarted',
  'Microsoft.ContainerService.NodePoolRollingSucceeded',
  'Microsoft.ContainerService.NodePoolRollingFailed',
]);

const RESOURCE_EVENT = /^Microsoft\.Resources\.Resource(Write|Action|Delete)Success$/;

/**
 * Actions that change nothing a verdict depends on. The credential listings matter most: the scan
 * itself calls them, and acting on their events would make every scan trigger another.
 */
// AKS enabled by Azure Arc's kubeconfig listings (the scan calls listUserKubeconfig) likewise.
const IGNORED_ACTIONS = /\/(listClusterMonitoringUserCredential|listClusterUserCredential|listClusterAdminCredential|accessProfiles\/[^/]+\/listCredential|runCommand|commandResults|listUserKubeconfig|listAdminKubeconfig)\/action$/i;

/** Reads one event of either schema into what it means for a cluster; never throws. */
export function readClusterEvent(input: unknown): EventReading {
  const envelope = readEnvelope(input);
  if ('invalid' in envelope) return { kind: 'invalid', reason: envelope.invalid };
  const { id, type, subject, topic, time, data } = envelope;

  if (type === 'Microsoft.EventGrid.SubscriptionValidationEvent') {
    const code = typeof data['validationCode'] === 'string' ? data['validationCode'] : undefined;
    return code ? { kind: 'validation', id, validationCode: code } : { kind: 'invalid', reason: `event ${id}: validation event without data.validationCode` };
  }

  const resourceEvent = RESOURCE_EVENT.exec(type);
  if (resourceEvent) {
    const resourceData = resourceDataSchema.safeParse(data);
    const uri = (resourceData.success ? resourceData.data.resourceUri : undefined) ?? subject;
    const operation = (resourceData.success ? resourceData.data.operationName : undefined) ?? type;
    const resource = clusterOfResource(uri);
    if (!resource) return { kind: 'ignored', id, reason: `${type} for ${uri || '(no resource)'}, not a managed cluster` };
    if (IGNORED_ACTIONS.test(operation)) return { kind: 'ignored', id, reason: `${operation} does not change the cluster's certificates` };
    const change = resourceEvent[1] === 'Delete' && !resource.child ? 'delete' : 'rescan';
    return { kind: 'cluster', event: { id, type, time, cluster: resource.cluster, change, operation } };
  }

  if (AKS_EVENT_TYPES.has(type)) {
    const resource = clusterOfResource(topic);
    if (!resource || resource.child) return { kind: 'invalid', reason: `event ${id}: ${type} whose topic/source is not a managed cluster id` };
    return { kind: 'cluster', event: { id, type, time, cluster: resource.cluster, change: 'rescan', operation: type } };
  }
  return { kind: 'ignored', id, reason: `event type ${type} is not one this monitor acts on` };
}

interface Envelope {
  id: string;
  type: string;
  subject: string;
  topic: string;
  time: Date;
  data: Record<string, unknown>;
}

function readEnvelope(input: unknown): Envelope | { invalid: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { invalid: 'an event must be a JSON object' };
  const isCloudEvent = 'specversion' in input;
  const parsed = isCloudEvent ? cloudEventSchema.safeParse(input) : eventGridSchema.safeParse(input);
  if (!parsed.success) {
    const id = typeof (input as { id?: unknown }).id === 'string' ? (input as { id: string }).id : '(no id)';
    const issue = parsed.error.issues[0];
    return { invalid: `event ${id} (${isCloudEvent ? 'CloudEvents' : 'Event Grid schema'}): "${issue?.path.join('.')}" ${issue?.message}` };
  }
  if ('specversion' in parsed.data) {
    const e = parsed.data;
    return { id: e.id, type: e.type, subject: e.subject, topic: e.source, time: e.time ? new Date(e.time) : new Date(), data: e.data };
  }
  const e = parsed.data;
  return { id: e.id, type: e.eventType, subject: e.subject, topic: e.topic ?? '', time: new Date(e.eventTime), data: e.data };
}
