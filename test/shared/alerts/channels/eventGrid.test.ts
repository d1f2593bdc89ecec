import { describe, expect, it } from 'vitest';
import { eventGridChannel, renderCloudEvent } from '../../../../shared/alerts/channels/eventGrid.js';
import { alertPayload } from '../../../../shared/alerts/channels/payload.js';
import { clusterAlert, digest, single } from '../../../support/channelMessages.js';

describe('renderCloudEvent', () => {
  it('one CloudEvent per notification: its id, a type per event, the cluster as source and subject, the alert as data', () => {
    const alert = clusterAlert({ event: 'rotation_started', notificationId: 'n-11' });
    expect(renderCloudEvent(alert)).toEqual({
      id: 'n-11',
      type: 'com.akscert.alert.rotation_started',
      source: alert.cluster.id,
      subject: alert.cluster.id,
      time: alert.occurredAt,
      datacontenttype: 'application/json',
      data: alertPayload(alert),
    });
  });
});

describe('eventGridChannel', () => {
  it('takes singles only: subscribers filter one event per cluster', async () => {
    const channel = eventGridChannel({ topicEndpoint: 'https://topic.westeurope-1.eventgrid.azure.net/api/events', topicKey: 'a2V5' });
    expect(channel.name).toBe('eventgrid');
    expect([channel.accepts(single()), channel.accepts(digest(3))]).toEqual([true, false]);
    await expect(channel.send(digest(3))).resolves.toMatchObject({ ok: false, retryable: false });
  });

  it('needs a key or a credential', () => {
    expect(() => eventGridChannel({ topicEndpoint: 'https://topic.westeurope-1.eventgrid.azure.net/api/events' })).toThrow('needs a topic key or a credential');
  });
});
