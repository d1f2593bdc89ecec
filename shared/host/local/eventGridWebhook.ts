import type { EventGridHandler } from '@azure/functions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionRegistration } from '../functionRegistry.js';
import { KEY_PARAMETER } from './hostKeys.js';
import { invocationContext, type HostLog } from './invocationContext.js';
import type { Endpoint } from './requestChecks.js';

/** The path the Functions runtime serves Event Grid triggers on. */
export const EVENT_GRID_WEBHOOK_PATH = '/runtime/webhooks/eventgrid';

/** The webhook URL of an Event Grid function on a host at `baseUrl`, with its system key, as the runtime wants it. */
export function eventGridWebhookUrl(baseUrl: string, functionName: string, systemKey: string): string {
  return `${baseUrl}${EVENT_GRID_WEBHOOK_PATH}?functionName=${encodeURIComponent(functionName)}&${KEY_PARAMETER}=${encodeURIComponent(systemKey)}`;
}

const json = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * The Event Grid webhook of the Functions runtime: `?functionName=` picks the function, and only the
 * `eventgrid_extension` system key (`&code=`) or the master key opens it (the host checks, before
 * this runs). The Event Grid schema's SubscriptionValidation handshake and the CloudEvents OPTIONS
 * handshake are answered here, as the runtime answers them; every other event invokes the function once.
 */
export class EventGridWebhook {
  private readonly functions: Map<string, EventGridHandler>;

  constructor(registrations: readonly FunctionRegistration[], private readonly log: HostLog) {
    this.functions = new Map(
      registrations.flatMap((r) => (r.kind === 'eventGrid' ? [[r.name.toLowerCase(), r.options.handler as EventGridHandler] as const] : [])),
    );
  }

  /** The webhook as an endpoint when the path is the webhook's; undefined otherwise. */
  endpoint(url: URL): Endpoint | undefined {
    if (url.pathname !== EVENT_GRID_WEBHOOK_PATH) return undefined;
    return { access: 'eventgrid_extension', methods: ['POST', 'OPTIONS'], serve: (request, response, _url, body) => this.serve(request, response, url, body) };
  }

  private async serve(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const name = url.searchParams.get('functionName') ?? '';
    const handler = this.functions.get(name.toLowerCase());
    if (!handler) return json(response, 404, { error: `no Event Grid function named "${name.slice(0, 100)}"` });
    if (request.method === 'OPTIONS') {
      // CloudEvents abuse protection: echo the origin that asks to deliver.
      const origin = request.headers['webhook-request-origin'];
      response.writeHead(200, { ...(origin ? { 'WebHook-Allowed-Origin': String(origin), 'WebHook-Allowed-Rate': '*' } : {}) }).end();
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return json(response, 400, { error: `the body is not JSON: ${(error as Error).message}` });
    }
    const events = Array.isArray(payload) ? payload : [payload];
    if (request.headers['aeg-event-type'] === 'SubscriptionValidation') {
      const code = (events[0] as { data?: { validationCode?: unknown } } | undefined)?.data?.validationCode;
      if (typeof code !== 'string') json(response, 400, { error: 'SubscriptionValidation without data.validationCode' });
      else json(response, 200, { validationResponse: code });
      return;
    }
    // One invocation per event, all at once, as the runtime dispatches a batch (its single dispatch).
    let failed = 0;
    await Promise.all(events.map(async (event) => {
      const context = invocationContext(name, this.log);
      try {
        await handler(event as Parameters<EventGridHandler>[0], context);
      } catch (error) {
        failed++;
        context.error(`unhandled error: ${(error as Error).message}`);
      }
    }));
    // A failed invocation answers 500 so that Event Grid redelivers; handlers are idempotent.
    if (failed > 0) json(response, 500, { error: `${failed} of ${events.length} events failed` });
    else response.writeHead(200).end();
  }
}
