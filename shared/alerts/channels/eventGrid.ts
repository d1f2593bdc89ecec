/**
 * An Azure Event Grid custom topic, in CloudEvents 1.0 (https://learn.microsoft.com/azure/event-grid/cloud-event-schema),
 * published through `@azure/eventgrid`'s EventGridPublisherClient with the topic's access key
 * (`aeg-sas-key`) or, without one, the managed identity (the identity needs the "EventGrid Data
 * Sender" role on the topic). One event per cluster notification, so subscribers can filter on the
 * cluster (subject) and the event (type); digests are not sent here.
 */
import { AzureKeyCredential, EventGridPublisherClient, type SendCloudEventInput } from '@azure/eventgrid';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError } from '@azure/core-rest-pipeline';
import type { ClusterAlertMessage } from '../alertMessage.js';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type AlertChannel, type ChannelAnswer } from './channel.js';
import { answerOf, attemptSignal, hostOf, redact, unansweredOf } from './httpAnswer.js';
import { alertPayload, type AlertPayload } from './payload.js';

/** `com.akscert.alert.opened`, `com.akscert.alert.resolved`, ...: one type per event (README, "Alert channels"). */
export const EVENTGRID_TYPE_PREFIX = 'com.akscert.alert.';

/**
 * The CloudEvent for one notification: `id` the notification id (receivers deduplicate on it),
 * `source` and `subject` the cluster's resource id (so `subjectBeginsWith` filters by subscription or
 * resource group, as Azure's own resource events allow), `data` the alert as JSON (payload.ts).
 */
export function renderCloudEvent(alert: ClusterAlertMessage): SendCloudEventInput<AlertPayload> & { id: string; subject: string } {
  return {
    id: alert.notificationId,
    type: `${EVENTGRID_TYPE_PREFIX}${alert.event}`,
    source: alert.cluster.id,
    subject: alert.cluster.id,
    time: alert.occurredAt,
    datacontenttype: 'application/json',
    data: alertPayload(alert),
  };
}

export interface EventGridSettings {
  /** ALERT_EVENTGRID_TOPIC_ENDPOINT: `https://<topic>.<region>-1.eventgrid.azure.net/api/events`. */
  topicEndpoint: string;
  /** ALERT_EVENTGRID_TOPIC_KEY; without it, `credential` (the managed identity). */
  topicKey?: string;
  credential?: TokenCredential;
  timeoutMs?: number;
}

function failureOf(error: unknown, host: string, secrets: string[], timeoutMs: number, timedOut: boolean): ChannelAnswer {
  if (isRestError(error) && error.statusCode !== undefined) {
    const said = redact(error.response?.bodyAsText ?? '', secrets).replace(/\s+/g, ' ').trim().slice(0, 200);
    return answerOf('eventgrid', host, error.statusCode, error.response?.headers.get('retry-after'), said);
  }
  return unansweredOf('eventgrid', host, error, timeoutMs, timedOut);
}

export function eventGridChannel(settings: EventGridSettings): AlertChannel {
  const credential = settings.topicKey ? new AzureKeyCredential(settings.topicKey) : settings.credential;
  if (!credential) throw new TypeError('eventgrid: needs a topic key or a credential');
  // No retries here: the delivery code retries per channel, honouring Retry-After, and parks what fails.
  const client = new EventGridPublisherClient(settings.topicEndpoint, 'CloudEvent', credential, { retryOptions: { maxRetries: 0 } });
  const host = hostOf(settings.topicEndpoint);
  const timeoutMs = settings.timeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS;
  const secrets = settings.topicKey ? [settings.topicKey] : [];
  return {
    name: 'eventgrid',
    accepts: (message) => message.kind === 'single',
    send: async (message, signal) => {
      if (message.kind !== 'single') return { ok: false, retryable: false, error: 'eventgrid: takes one event per cluster, never a digest' };
      const attempt = attemptSignal(timeoutMs, signal);
      let status = 200;
      try {
        await client.send([renderCloudEvent(message.alert)], {
          abortSignal: attempt.signal,
          onResponse: (response) => {
            status = response.status;
          },
        });
        return { ok: true, status };
      } catch (error) {
        return failureOf(error, host, secrets, timeoutMs, attempt.timedOut());
      }
    },
  };
}
