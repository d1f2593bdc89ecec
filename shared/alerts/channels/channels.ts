/**
 * The configured channels, built once from the alert settings (config.ts parses and checks the
 * ALERT_* values; this only joins each to its sender). A channel without its settings is absent.
 */
import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { AlertChannel } from './channel.js';
import { eventGridChannel, type EventGridSettings } from './eventGrid.js';
import { pagerDutyChannel, type PagerDutySettings } from './pagerDuty.js';
import { slackChannel, type SlackSettings } from './slack.js';
import { teamsChannel, type TeamsSettings } from './teams.js';
import { webhookChannel, type WebhookSettings } from './webhook.js';

export interface AlertChannelSettings {
  /** ALERT_PAGERDUTY_ROUTING_KEY, ALERT_PAGERDUTY_URL. */
  pagerDuty?: PagerDutySettings;
  /** ALERT_TEAMS_WEBHOOK_URL. */
  teams?: TeamsSettings;
  /** ALERT_SLACK_WEBHOOK_URL. */
  slack?: SlackSettings;
  /** ALERT_EVENTGRID_TOPIC_ENDPOINT, ALERT_EVENTGRID_TOPIC_KEY (the managed identity when absent). */
  eventGrid?: Omit<EventGridSettings, 'credential'>;
  /** ALERT_WEBHOOK_URL, ALERT_WEBHOOK_SECRET. */
  webhook?: WebhookSettings;
}

export interface ChannelOptions {
  /** Event Grid without a topic key: the identity to publish as (default: DefaultAzureCredential, the managed identity in Azure). */
  credential?: TokenCredential;
  /** Per attempt, for every channel that does not set its own. */
  timeoutMs?: number;
}

/** The channels these settings configure, in a fixed order: pagerduty, teams, slack, eventgrid, webhook. */
export function channelsFrom(settings: AlertChannelSettings, options: ChannelOptions = {}): AlertChannel[] {
  const timeout = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  const channels: AlertChannel[] = [];
  if (settings.pagerDuty) channels.push(pagerDutyChannel({ ...timeout, ...settings.pagerDuty }));
  if (settings.teams) channels.push(teamsChannel({ ...timeout, ...settings.teams }));
  if (settings.slack) channels.push(slackChannel({ ...timeout, ...settings.slack }));
  if (settings.eventGrid) {
    const credential = settings.eventGrid.topicKey ? undefined : (options.credential ?? new DefaultAzureCredential());
    channels.push(eventGridChannel({ ...timeout, ...settings.eventGrid, ...(credential ? { credential } : {}) }));
  }
  if (settings.webhook) channels.push(webhookChannel({ ...timeout, ...settings.webhook }));
  return channels;
}
