import { Alerting } from '../alerts/alerting.js';
import { channelsFrom, type AlertChannelSettings } from '../alerts/channels/channels.js';
import type { DeliveryOptions } from '../alerts/deliver.js';
import type { Config } from '../config.js';
import { ALERT_OUTBOX_TABLE, AlertOutbox } from '../store/alertOutbox.js';
import { complianceStorage } from './adapters.js';
import type { StorageClients } from './storage.js';

/** The channels' settings as config.ts parsed them; a channel without its settings is absent. */
export function alertChannelSettings(config: Config): AlertChannelSettings {
  return {
    ...(config.ALERT_PAGERDUTY_ROUTING_KEY ? { pagerDuty: { routingKey: config.ALERT_PAGERDUTY_ROUTING_KEY, url: config.ALERT_PAGERDUTY_URL } } : {}),
    ...(config.ALERT_TEAMS_WEBHOOK_URL ? { teams: { webhookUrl: config.ALERT_TEAMS_WEBHOOK_URL } } : {}),
    ...(config.ALERT_SLACK_WEBHOOK_URL ? { slack: { webhookUrl: config.ALERT_SLACK_WEBHOOK_URL } } : {}),
    ...(config.ALERT_EVENTGRID_TOPIC_ENDPOINT
      ? { eventGrid: { topicEndpoint: config.ALERT_EVENTGRID_TOPIC_ENDPOINT, ...(config.ALERT_EVENTGRID_TOPIC_KEY ? { topicKey: config.ALERT_EVENTGRID_TOPIC_KEY } : {}) } }
      : {}),
    ...(config.ALERT_WEBHOOK_URL && config.ALERT_WEBHOOK_SECRET ? { webhook: { url: config.ALERT_WEBHOOK_URL, secret: config.ALERT_WEBHOOK_SECRET } } : {}),
  };
}

/**
 * Alerting from configuration: the configured channels and the outbox in COMPLIANCE_STORAGE's
 * account (its table created when missing). Undefined when no channel is configured: no alert is
 * then decided, recorded or sent.
 */
export async function openAlerting(config: Config, storage: StorageClients = complianceStorage(config), delivery: DeliveryOptions = {}): Promise<Alerting | undefined> {
  const channels = channelsFrom(alertChannelSettings(config));
  if (channels.length === 0) return undefined;
  const outbox = await AlertOutbox.open(storage.table(ALERT_OUTBOX_TABLE), storage.where);
  return new Alerting({
    outbox,
    channels,
    settings: { minLevel: config.ALERT_MIN_SEVERITY, repeatMs: config.ALERT_REPEAT_HOURS * 3_600_000 },
    ...(config.DASHBOARD_URL ? { dashboardUrl: config.DASHBOARD_URL } : {}),
    delivery,
  });
}

/** The outbox alone, for the read-only surfaces (`akscert alerts`, `GET /api/alerts`): nothing is created. */
export function readAlertOutbox(config: Config, storage: StorageClients = complianceStorage(config)): AlertOutbox {
  return AlertOutbox.reading(storage.table(ALERT_OUTBOX_TABLE));
}
