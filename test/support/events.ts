import { randomUUID } from 'node:crypto';
import resourceWriteSuccess from '../fixtures/events/resource_write_success.json';
import clusterSupportEnding from '../fixtures/events/cluster_support_ending.json';

/** A subscription system topic event (Event Grid schema) about an ARM resource, from Microsoft's sample. */
export function resourceEvent(options: { type: 'ResourceWriteSuccess' | 'ResourceActionSuccess' | 'ResourceDeleteSuccess'; resourceUri: string; operationName: string; id?: string; time?: Date }) {
  const subscriptionId = /\/subscriptions\/([^/]+)/i.exec(options.resourceUri)?.[1] ?? '';
  const sample = structuredClone(resourceWriteSuccess);
  return {
    ...sample,
    id: options.id ?? randomUUID(),
    eventType: `Microsoft.Resources.${options.type}`,
    eventTime: (options.time ?? new Date()).toISOString(),
    subject: options.resourceUri,
    topic: `/subscriptions/${subscriptionId}`,
    data: {
      ...sample.data,
      authorization: { ...sample.data.authorization, scope: options.resourceUri, action: options.operationName },
      resourceProvider: 'Microsoft.ContainerService',
      resourceUri: options.resourceUri,
      operationName: options.operationName,
      subscriptionId,
    },
  };
}

/** An AKS system topic event (Event Grid schema): the cluster id is the topic, from Microsoft's sample. */
export function aksEvent(options: { type: string; clusterId: string; id?: string; time?: Date; data?: Record<string, unknown> }) {
  return {
    ...structuredClone(clusterSupportEnding),
    topic: options.clusterId,
    subject: options.clusterId.split('/').at(-1)!,
    eventType: options.type,
    id: options.id ?? randomUUID(),
    eventTime: (options.time ?? new Date()).toISOString(),
    data: options.data ?? clusterSupportEnding.data,
  };
}

/** The same event as CloudEvents 1.0 delivers it (Event Grid's CloudEvents schema mapping). */
export function asCloudEvent(event: { id: string; eventType: string; eventTime: string; subject: string; topic: string; data: unknown }) {
  return { specversion: '1.0', id: event.id, type: event.eventType, source: event.topic, subject: event.subject, time: event.eventTime, data: event.data, datacontenttype: 'application/json' };
}
