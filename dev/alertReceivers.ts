/**
 * Local receivers for every alert channel, for tests and the demo: one loopback HTTP server for
 * PagerDuty, Teams, Slack and the signed webhook, and one HTTPS server (the dev TLS certificate:
 * the Event Grid SDK sends keys only over TLS) for Event Grid. Each arrival is checked against the
 * service's documented fields (alertReceiverChecks.ts), recorded, and answered the way the service
 * answers; a channel can be told to answer 500 or 429 with Retry-After, so delivery tests see
 * throttling and outages. `onArrival` gets one line per arrival (the demo prints them).
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ChannelName } from '../shared/alerts/channels/channel.js';
import type { AlertChannelSettings } from '../shared/alerts/channels/channels.js';
import { verifyWebhookSignature } from '../shared/alerts/channels/webhook.js';
import { checkCloudEventBatch, checkPagerDutyEvent, checkSlackMessage, checkTeamsMessage, summarizeWebhook, type Arrival } from './alertReceiverChecks.js';

/** Larger bodies are refused, as the services do (Event Grid takes 1 MB a batch). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceivedAlert {
  channel: ChannelName;
  receivedAt: Date;
  /** What the receiver answered. */
  status: number;
  /** What the service would have refused the payload for; empty when it is valid. */
  problems: string[];
  headers: Record<string, string>;
  raw: string;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
  summary: string;
}

export interface InjectedAnswer {
  status: number;
  /** The Retry-After header to send: seconds (`"2"`) or an HTTP date. */
  retryAfter?: string;
}

/** The values of the ALERT_* settings that point every channel at these receivers. */
export type AlertReceiverSettings = Record<
  | 'ALERT_PAGERDUTY_URL'
  | 'ALERT_PAGERDUTY_ROUTING_KEY'
  | 'ALERT_TEAMS_WEBHOOK_URL'
  | 'ALERT_SLACK_WEBHOOK_URL'
  | 'ALERT_EVENTGRID_TOPIC_ENDPOINT'
  | 'ALERT_EVENTGRID_TOPIC_KEY'
  | 'ALERT_WEBHOOK_URL'
  | 'ALERT_WEBHOOK_SECRET',
  string
>;

export interface AlertReceivers {
  settings: AlertReceiverSettings;
  /** The same, as `channelsFrom` takes them. */
  channelSettings: AlertChannelSettings;
  /**
   * A bearer token the Event Grid endpoint accepts instead of the key, standing for a managed
   * identity's token (publish with `StaticTokenCredential` and no topic key).
   */
  eventGridToken: string;
  /** Every arrival, in order, the refused ones too. */
  received: ReceivedAlert[];
  receivedBy(channel: ChannelName): ReceivedAlert[];
  /** The next `times` arrivals on `channel` (every one, by default) get this answer instead. */
  answerWith(channel: ChannelName, answer: InjectedAnswer, times?: number): void;
  /** Back to answering like the service (all channels when none is named). */
  answerNormally(channel?: ChannelName): void;
  stop(): Promise<void>;
}

export interface AlertReceiversOptions {
  /** The dev TLS server certificate (dev/devTls.ts) for the Event Grid endpoint. */
  tls: { certPem: string; keyPem: string };
  onArrival?: (line: string, arrival: ReceivedAlert) => void;
}

const secret = (bytes: number) => randomBytes(bytes).toString('hex');

/** Real-looking paths: Slack's and Teams' secrets live in theirs, so a sender must keep them whole. */
function paths() {
  return {
    pagerduty: '/pagerduty/v2/enqueue',
    teams: `/teams/workflows/${secret(16)}/triggers/manual/paths/invoke`,
    teamsSignature: secret(16),
    slack: `/slack/services/T${secret(4).toUpperCase()}/B${secret(4).toUpperCase()}/${secret(12)}`,
    eventgrid: '/eventgrid/api/events',
    webhook: '/webhook/akscert',
  };
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
}

interface Reply {
  status: number;
  body: string;
  contentType?: string;
}

/** What each service answers to a payload it accepts, and to one it refuses. */
function serviceReply(channel: ChannelName, problems: string[], body: unknown): Reply {
  const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value), contentType: 'application/json' });
  const refused = problems.length > 0;
  switch (channel) {
    case 'pagerduty':
      return refused
        ? json(400, { status: 'invalid event', message: 'Event object is invalid', errors: problems })
        : json(202, { status: 'success', message: 'Event processed', dedup_key: (body as { dedup_key?: string }).dedup_key });
    case 'teams':
      return refused ? json(400, { error: { code: 'InvalidRequestContent', message: problems.join('; ') } }) : { status: 202, body: '' };
    case 'slack':
      return refused ? { status: 400, body: problems[0]?.startsWith('no_text') ? 'no_text' : 'invalid_blocks', contentType: 'text/plain' } : { status: 200, body: 'ok', contentType: 'text/plain' };
    case 'eventgrid':
      return refused ? json(400, { error: { code: 'BadRequest', message: problems.join('; ') } }) : { status: 200, body: '' };
    case 'webhook':
      return refused ? json(problems[0]?.startsWith('signature') ? 401 : 400, { error: problems.join('; ') }) : { status: 204, body: '' };
  }
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Starts the receivers on free loopback ports. */
export async function startAlertReceivers(options: AlertReceiversOptions): Promise<AlertReceivers> {
  const path = paths();
  const keys = { routingKey: secret(16), eventGridKey: randomBytes(32).toString('base64'), eventGridToken: secret(24), webhookSecret: secret(24) };
  const received: ReceivedAlert[] = [];
  const injected = new Map<ChannelName, InjectedAnswer & { remaining: number }>();

  const channelOf = (url: URL, secure: boolean): ChannelName | undefined => {
    if (secure) return url.pathname === path.eventgrid ? 'eventgrid' : undefined;
    if (url.pathname === path.pagerduty) return 'pagerduty';
    if (url.pathname === path.teams && url.searchParams.get('sig') === path.teamsSignature) return 'teams';
    if (url.pathname === path.slack) return 'slack';
    if (url.pathname === path.webhook) return 'webhook';
    return undefined;
  };

  const check = (channel: ChannelName, request: IncomingMessage, raw: Buffer, body: unknown): Arrival => {
    if (body === undefined) return { problems: ['the body is not JSON'], summary: `${channel}: not JSON` };
    switch (channel) {
      case 'pagerduty':
        return checkPagerDutyEvent(body, keys.routingKey);
      case 'teams':
        return checkTeamsMessage(body);
      case 'slack':
        return checkSlackMessage(body);
      case 'eventgrid': {
        const arrival = checkCloudEventBatch(body, request.headers['content-type']);
        const authorized = request.headers['aeg-sas-key'] === keys.eventGridKey || request.headers.authorization === `Bearer ${keys.eventGridToken}`;
        return authorized ? arrival : { ...arrival, problems: ['unauthorized: aeg-sas-key or the bearer token is missing or wrong', ...arrival.problems] };
      }
      case 'webhook': {
        const verified = verifyWebhookSignature(request.headers, raw, keys.webhookSecret);
        return { problems: verified.ok ? [] : [`signature refused: ${verified.reason}`], summary: summarizeWebhook(body) };
      }
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse, secure: boolean): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://receiver');
    const channel = channelOf(url, secure);
    const raw = await readBody(request);
    if (!channel || request.method !== 'POST') {
      // Slack and Teams answer an unknown webhook (a wrong secret) with 404.
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no_service');
      return;
    }
    if (raw === undefined) {
      response.writeHead(413, { 'content-type': 'text/plain' }).end('payload too large');
      return;
    }
    const text = raw.toString('utf8');
    const body = parseJson(text);
    const arrival = check(channel, request, raw, body);
    // A 401 for Event Grid's key, like the service, before anything else.
    let reply = channel === 'eventgrid' && arrival.problems[0]?.startsWith('unauthorized') ? { status: 401, body: '' } : serviceReply(channel, arrival.problems, body);
    const answer = injected.get(channel);
    const headers: Record<string, string> = {};
    if (answer && answer.remaining > 0) {
      answer.remaining -= 1;
      reply = { status: answer.status, body: JSON.stringify({ error: `injected ${answer.status}` }), contentType: 'application/json' };
      if (answer.retryAfter !== undefined) headers['retry-after'] = answer.retryAfter;
    }
    const record: ReceivedAlert = {
      channel,
      receivedAt: new Date(),
      status: reply.status,
      problems: arrival.problems,
      headers: flatHeaders(request),
      raw: text,
      body,
      summary: arrival.summary,
    };
    received.push(record);
    const verdict = arrival.problems.length > 0 ? ` REFUSED: ${arrival.problems.join('; ')}` : '';
    options.onArrival?.(`[${channel} ${reply.status}] ${arrival.summary}${verdict}`, record);
    if (reply.contentType) headers['content-type'] = reply.contentType;
    response.writeHead(reply.status, headers).end(reply.body);
  };

  const serve = (secure: boolean) => (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, secure).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  };
  const http = createHttpServer(serve(false));
  const https = createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, serve(true));
  https.on('tlsClientError', () => undefined);
  const [httpPort, httpsPort] = await Promise.all([listen(http), listen(https)]).catch(async (error: unknown) => {
    await Promise.all([close(http), close(https)]);
    throw error;
  });

  const base = `http://127.0.0.1:${httpPort}`;
  const settings: AlertReceiverSettings = {
    ALERT_PAGERDUTY_URL: `${base}${path.pagerduty}`,
    ALERT_PAGERDUTY_ROUTING_KEY: keys.routingKey,
    ALERT_TEAMS_WEBHOOK_URL: `${base}${path.teams}?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${path.teamsSignature}`,
    ALERT_SLACK_WEBHOOK_URL: `${base}${path.slack}`,
    ALERT_EVENTGRID_TOPIC_ENDPOINT: `https://127.0.0.1:${httpsPort}${path.eventgrid}`,
    ALERT_EVENTGRID_TOPIC_KEY: keys.eventGridKey,
    ALERT_WEBHOOK_URL: `${base}${path.webhook}`,
    ALERT_WEBHOOK_SECRET: keys.webhookSecret,
  };
  return {
    settings,
    channelSettings: {
      pagerDuty: { routingKey: settings.ALERT_PAGERDUTY_ROUTING_KEY, url: settings.ALERT_PAGERDUTY_URL },
      teams: { webhookUrl: settings.ALERT_TEAMS_WEBHOOK_URL },
      slack: { webhookUrl: settings.ALERT_SLACK_WEBHOOK_URL },
      eventGrid: { topicEndpoint: settings.ALERT_EVENTGRID_TOPIC_ENDPOINT, topicKey: settings.ALERT_EVENTGRID_TOPIC_KEY },
      webhook: { url: settings.ALERT_WEBHOOK_URL, secret: settings.ALERT_WEBHOOK_SECRET },
    },
    eventGridToken: keys.eventGridToken,
    received,
    receivedBy: (channel) => received.filter((arrival) => arrival.channel === channel),
    answerWith: (channel, answer, times = Number.POSITIVE_INFINITY) => {
      injected.set(channel, { ...answer, remaining: times });
    },
    answerNormally: (channel) => {
      if (channel) injected.delete(channel);
      else injected.clear();
    },
    stop: async () => {
      await Promise.all([close(http), close(https)]);
    },
  };
}
