/**
 * Delivers events to one webhook the way an Event Grid subscription does: an HTTP POST per event,
 * Event Grid schema as a JSON array of one event with `aeg-event-type: Notification`, CloudEvents as
 * a single `application/cloudevents+json` event. No retries: a failed delivery is recorded, not
 * repeated, so tests see exactly what happened.
 *
 * Delivery never blocks the ARM request that caused it; `close()` waits for deliveries in flight so a
 * test that closes the simulator has every answer recorded.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { toCloudEvent, type EventGridEvent } from './armEvents.js';

export type EventSchema = 'eventgrid' | 'cloudevents';

export interface EventDelivery {
  /** `eventType` (Event Grid) or `type` (CloudEvents). */
  type: string;
  operationName?: string;
  resourceUri?: string;
  eventId?: string;
  schema: EventSchema;
  /** The webhook's HTTP status. */
  status: number;
  /** Epoch milliseconds when the webhook answered. */
  at: number;
}

export interface EventDeliveryError {
  type: string;
  operationName?: string;
  resourceUri?: string;
  eventId?: string;
  /** Present when the webhook answered, with a status other than 2xx. */
  status?: number;
  message: string;
  at: number;
}

/** The name Event Grid puts in `aeg-subscription-name` (upper case, as it sends it). */
const SUBSCRIPTION_NAME = 'AKS-CERT-COMPLIANCE';
const TIMEOUT_MS = 10_000;

interface Summary {
  type: string;
  operationName?: string;
  resourceUri?: string;
  eventId?: string;
}

function summaryOf(event: object): Summary {
  const e = event as { eventType?: unknown; type?: unknown; id?: unknown; subject?: unknown; data?: { operationName?: unknown; resourceUri?: unknown } };
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const summary: Summary = { type: text(e.eventType) ?? text(e.type) ?? 'unknown' };
  const operationName = text(e.data?.operationName);
  const resourceUri = text(e.data?.resourceUri) ?? text(e.subject);
  const eventId = text(e.id);
  if (operationName !== undefined) summary.operationName = operationName;
  if (resourceUri !== undefined) summary.resourceUri = resourceUri;
  if (eventId !== undefined) summary.eventId = eventId;
  return summary;
}

function headersFor(schema: EventSchema): Record<string, string> {
  const common = { 'aeg-event-type': 'Notification', 'aeg-subscription-name': SUBSCRIPTION_NAME, 'aeg-delivery-count': '0' };
  return schema === 'eventgrid'
    ? { ...common, 'content-type': 'application/json', 'aeg-data-version': '2', 'aeg-metadata-version': '1' }
    : { ...common, 'content-type': 'application/cloudevents+json; charset=utf-8' };
}

/** One POST on a fresh connection (no keep-alive: nothing lingers after `close()`); resolves with the status. */
function post(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      { method: 'POST', agent: false, timeout: TIMEOUT_MS, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        response.on('error', reject).on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

export function parseWebhookUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`event webhook: not a URL: ${url}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`event webhook: not an http(s) URL: ${url}`);
  return parsed;
}

export class EventWebhook {
  readonly sent: EventDelivery[] = [];
  readonly errors: EventDeliveryError[] = [];
  private target: { url: URL; schema: EventSchema } | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  /** Where events go from now on; undefined stops delivery. */
  setTarget(url: string | undefined, schema: EventSchema = 'eventgrid'): void {
    this.target = url === undefined ? undefined : { url: parseWebhookUrl(url), schema };
  }

  /** Sends a resource event, converted to CloudEvents when the subscription asked for that schema. */
  publish(event: EventGridEvent): void {
    if (this.target === undefined) return;
    this.deliver(this.target.schema === 'eventgrid' ? event : toCloudEvent(event));
  }

  /** Sends `event` as given (an array is sent as the Event Grid batch it is). */
  emit(event: object): void {
    if (this.target === undefined) return;
    this.deliver(event);
  }

  async close(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private deliver(event: object): void {
    const { url, schema } = this.target!;
    const first = Array.isArray(event) ? ((event[0] as object | undefined) ?? {}) : event;
    const summary = summaryOf(first);
    const payload = schema === 'eventgrid' && !Array.isArray(event) ? [event] : event;
    const delivery = post(url, JSON.stringify(payload), headersFor(schema)).then(
      (status) => {
        const at = Date.now();
        this.sent.push({ ...summary, schema, status, at });
        if (status < 200 || status > 299) this.errors.push({ ...summary, status, message: `webhook answered HTTP ${status}`, at });
      },
      (error: unknown) => {
        this.errors.push({ ...summary, message: error instanceof Error ? error.message : String(error), at: Date.now() });
      },
    );
    const tracked = delivery.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
