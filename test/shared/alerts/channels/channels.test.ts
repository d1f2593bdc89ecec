import { describe, expect, it } from 'vitest';
import { channelsFrom } from '../../../../shared/alerts/channels/channels.js';

describe('channelsFrom', () => {
  it('builds no channel when none is configured', () => {
    expect(channelsFrom({})).toEqual([]);
  });

  it('builds each configured channel once, in a fixed order', () => {
    const channels = channelsFrom({
      webhook: { url: 'https://receiver.example.com/hook', secret: 's' },
      slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
      eventGrid: { topicEndpoint: 'https://topic.westeurope-1.eventgrid.azure.net/api/events', topicKey: 'a2V5' },
      pagerDuty: { routingKey: 'r' },
      teams: { webhookUrl: 'https://prod-1.westeurope.logic.azure.com/workflows/x' },
    });
    expect(channels.map((channel) => channel.name)).toEqual(['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook']);
  });

});
