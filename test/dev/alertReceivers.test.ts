/**
 * Every real channel sender posting to the real local receivers: what arrives is what each service
 * documents, and the receivers' 429/500 answers come back to the delivery code as retryable with
 * the Retry-After they carried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAlertReceivers, type AlertReceivers } from '../../dev/alertReceivers.js';
import type { AlertChannel, ChannelName } from '../../shared/alerts/channels/channel.js';
import { channelsFrom } from '../../shared/alerts/channels/channels.js';
import { eventGridChannel } from '../../shared/alerts/channels/eventGrid.js';
import { pagerDutyChannel } from '../../shared/alerts/channels/pagerDuty.js';
import { slackChannel } from '../../shared/alerts/channels/slack.js';
import { teamsChannel } from '../../shared/alerts/channels/teams.js';
import { webhookChannel } from '../../shared/alerts/channels/webhook.js';
import { StaticTokenCredential } from '../../shared/azure/credential.js';
import { digest, single } from '../support/channelMessages.js';

const devTls = inject('devTls');
let receivers: AlertReceivers;
let channels: Map<ChannelName, AlertChannel>;
const lines: string[] = [];

beforeAll(async () => {
  receivers = await startAlertReceivers({ tls: devTls, onArrival: (line) => lines.push(line) });
  channels = new Map(channelsFrom(receivers.channelSettings, { timeoutMs: 5_000 }).map((channel) => [channel.name, channel]));
});
afterAll(() => receivers?.stop());
afterEach(() => receivers.answerNormally());

const channel = (name: ChannelName) => channels.get(name)!;
const ALL: ChannelName[] = ['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook'];

function lastOf(name: ChannelName) {
  const arrivals = receivers.receivedBy(name);
  return arrivals[arrivals.length - 1]!;
}

describe('each channel delivers to its receiver in the service format', () => {
  it('builds all five channels from the settings the receivers give', () => {
    expect([...channels.keys()]).toEqual(ALL);
    expect(Object.keys(receivers.settings).every((name) => name.startsWith('ALERT_'))).toBe(true);
  });

  it.each([
    ['pagerduty', 202],
    ['teams', 202],
    ['slack', 200],
    ['eventgrid', 200],
    ['webhook', 204],
  ] as const)('%s: a single notification is accepted (%i) with nothing the service would refuse', async (name, status) => {
    const message = single({ event: 'opened' });
    await expect(channel(name).send(message)).resolves.toEqual({ ok: true, status });
    const arrival = lastOf(name);
    expect(arrival.problems).toEqual([]);
    expect(arrival.status).toBe(status);
    expect(arrival.raw).toContain('aks-prod-1');
  });

  it('pagerduty: the resolve closes the incident the trigger opened (same dedup_key)', async () => {
    const opened = single({ event: 'opened' });
    const resolved = single({ event: 'resolved', cluster: opened.alert.cluster, worstFinding: undefined, daysLeft: undefined, fixCommand: undefined });
    await channel('pagerduty').send(opened);
    const trigger = lastOf('pagerduty').body as Record<string, unknown>;
    await expect(channel('pagerduty').send(resolved)).resolves.toMatchObject({ ok: true });
    const resolve = lastOf('pagerduty').body as Record<string, unknown>;
    expect(trigger['event_action']).toBe('trigger');
    expect(resolve).toEqual({ routing_key: receivers.settings.ALERT_PAGERDUTY_ROUTING_KEY, event_action: 'resolve', dedup_key: trigger['dedup_key'] });
  });

  it('eventgrid: the SDK sends a CloudEvents 1.0 batch with the topic key, one event per notification', async () => {
    const message = single({ event: 'escalated' });
    await channel('eventgrid').send(message);
    const arrival = lastOf('eventgrid');
    expect(arrival.headers['aeg-sas-key']).toBe(receivers.settings.ALERT_EVENTGRID_TOPIC_KEY);
    expect(arrival.headers['content-type']).toMatch(/^application\/cloudevents-batch\+json/);
    const batch = arrival.body as Record<string, unknown>[];
    expect(batch).toHaveLength(1);
    expect(batch[0]).toMatchObject({
      specversion: '1.0',
      id: message.alert.notificationId,
      type: 'com.akscert.alert.escalated',
      source: message.alert.cluster.id,
      subject: message.alert.cluster.id,
      time: '2025-03-01T03:04:05.000Z',
      datacontenttype: 'application/json',
      data: { alertKey: message.alert.alertKey, event: 'escalated', severity: 'violation', daysLeft: 3, cluster: { name: 'aks-prod-1' } },
    });
  });

  it('eventgrid: without a key it publishes with the identity\'s bearer token (the managed identity in Azure)', async () => {
    const [withIdentity] = channelsFrom(
      { eventGrid: { topicEndpoint: receivers.settings.ALERT_EVENTGRID_TOPIC_ENDPOINT } },
      { credential: new StaticTokenCredential(receivers.eventGridToken) },
    );
    expect(withIdentity?.name).toBe('eventgrid');
    await expect(withIdentity!.send(single())).resolves.toEqual({ ok: true, status: 200 });
    expect(lastOf('eventgrid').headers['authorization']).toBe(`Bearer ${receivers.eventGridToken}`);
    expect(lastOf('eventgrid').headers['aeg-sas-key']).toBeUndefined();
  });

  it('webhook: the signature verifies at the receiver and carries the notification id', async () => {
    const message = single({ event: 'reminder' });
    await expect(channel('webhook').send(message)).resolves.toEqual({ ok: true, status: 204 });
    const arrival = lastOf('webhook');
    expect(arrival.headers['x-akscert-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(arrival.headers['x-akscert-notification-id']).toBe(message.alert.notificationId);
    expect(arrival.body).toMatchObject({ schemaVersion: 1, kind: 'single', alert: { event: 'reminder', notificationId: message.alert.notificationId } });
  });

  it('digests reach Teams, Slack and the webhook as one message each; PagerDuty and Event Grid take none', async () => {
    const message = digest(42);
    for (const name of ['teams', 'slack', 'webhook'] as const) {
      expect(channel(name).accepts(message)).toBe(true);
      await expect(channel(name).send(message)).resolves.toMatchObject({ ok: true });
      expect(lastOf(name).problems).toEqual([]);
      expect(lastOf(name).raw).toContain('42');
    }
    for (const name of ['pagerduty', 'eventgrid'] as const) {
      const before = receivers.receivedBy(name).length;
      expect(channel(name).accepts(message)).toBe(false);
      await expect(channel(name).send(message)).resolves.toMatchObject({ ok: false, retryable: false });
      expect(receivers.receivedBy(name)).toHaveLength(before);
    }
  });

  it('prints one line per arrival', async () => {
    lines.length = 0;
    await channel('pagerduty').send(single({ event: 'rotation_failed_twice' }));
    expect(lines).toEqual([expect.stringMatching(/^\[pagerduty 202\] pagerduty trigger critical: Certificate rotation failed twice: aks-prod-1/)]);
  });
});

describe('throttled and failing receivers come back as retryable answers', () => {
  it.each(ALL)('%s: 429 with Retry-After in seconds is retryable after that long', async (name) => {
    receivers.answerWith(name, { status: 429, retryAfter: '7' }, 1);
    const answer = await channel(name).send(single());
    expect(answer).toMatchObject({ ok: false, status: 429, retryable: true, retryAfterMs: 7_000 });
    expect(lastOf(name).status).toBe(429);
    await expect(channel(name).send(single())).resolves.toMatchObject({ ok: true }); // only the one answer was injected
  });

  it.each(ALL)('%s: 500 is retryable, with no Retry-After to honour', async (name) => {
    receivers.answerWith(name, { status: 500 });
    const answer = await channel(name).send(single());
    expect(answer).toMatchObject({ ok: false, status: 500, retryable: true });
    expect(answer).not.toHaveProperty('retryAfterMs');
  });

  it('a Retry-After given as an HTTP date becomes the time until then', async () => {
    receivers.answerWith('slack', { status: 503, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const answer = await channel('slack').send(single());
    expect(answer.ok).toBe(false);
    const retryAfterMs = answer.ok ? 0 : (answer.retryAfterMs ?? 0);
    expect(retryAfterMs).toBeGreaterThan(50_000);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
  });
});

describe('refusals are final, and their errors hold no secret', () => {
  function expectNoSecret(error: string) {
    const { ALERT_PAGERDUTY_ROUTING_KEY, ALERT_EVENTGRID_TOPIC_KEY, ALERT_WEBHOOK_SECRET, ALERT_SLACK_WEBHOOK_URL, ALERT_TEAMS_WEBHOOK_URL } = receivers.settings;
    for (const secret of [ALERT_PAGERDUTY_ROUTING_KEY, ALERT_EVENTGRID_TOPIC_KEY, ALERT_WEBHOOK_SECRET]) expect(error).not.toContain(secret);
    for (const url of [ALERT_SLACK_WEBHOOK_URL, ALERT_TEAMS_WEBHOOK_URL]) expect(error).not.toContain(new URL(url).pathname);
    expect(error).not.toMatch(/sig=/);
  }

  it('pagerduty: a wrong routing key is refused (400), not retried, and the error names neither key', async () => {
    const wrongKey = 'f'.repeat(32);
    const answer = await pagerDutyChannel({ routingKey: wrongKey, url: receivers.settings.ALERT_PAGERDUTY_URL }).send(single());
    expect(answer).toMatchObject({ ok: false, status: 400, retryable: false });
    const error = answer.ok ? '' : answer.error;
    expect(error).toMatch(/^pagerduty: 127\.0\.0\.1:\d+ answered 400: .*Event object is invalid/);
    expect(error).not.toContain(wrongKey);
    expectNoSecret(error);
  });

  it('slack and teams: a webhook URL with a wrong secret is a 404, reported by host only', async () => {
    const slackUrl = receivers.settings.ALERT_SLACK_WEBHOOK_URL.replace(/[^/]+$/, 'wrongsecret');
    const teamsUrl = receivers.settings.ALERT_TEAMS_WEBHOOK_URL.replace(/sig=[^&]+/, 'sig=wrongsignature');
    for (const sender of [slackChannel({ webhookUrl: slackUrl }), teamsChannel({ webhookUrl: teamsUrl })]) {
      const answer = await sender.send(single());
      expect(answer).toMatchObject({ ok: false, status: 404, retryable: false });
      const error = answer.ok ? '' : answer.error;
      expect(error).toMatch(new RegExp(`^${sender.name}: 127\\.0\\.0\\.1:\\d+ answered 404`));
      expect(error).not.toContain('wrongsecret');
      expect(error).not.toContain('wrongsignature');
      expectNoSecret(error);
    }
  });

  it('webhook: a receiver with another secret refuses the signature (401)', async () => {
    const answer = await webhookChannel({ url: receivers.settings.ALERT_WEBHOOK_URL, secret: 'not-the-shared-secret' }).send(single());
    expect(answer).toMatchObject({ ok: false, status: 401, retryable: false });
    expect(lastOf('webhook').problems).toEqual(['signature refused: bad_signature']);
    expect(answer.ok ? '' : answer.error).not.toContain('not-the-shared-secret');
  });

  it('eventgrid: a wrong topic key is a 401, and the error does not hold the key', async () => {
    const wrongKey = Buffer.from('a wrong key for this topic').toString('base64');
    const answer = await eventGridChannel({ topicEndpoint: receivers.settings.ALERT_EVENTGRID_TOPIC_ENDPOINT, topicKey: wrongKey }).send(single());
    expect(answer).toMatchObject({ ok: false, status: 401, retryable: false });
    expect(answer.ok ? '' : answer.error).toMatch(/^eventgrid: 127\.0\.0\.1:\d+ answered 401/);
    expect(answer.ok ? '' : answer.error).not.toContain(wrongKey);
  });
});

describe('no answer at all is retryable', () => {
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    silent = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/services/T1/B1/silentsecret`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        silent.close(() => resolve());
        silent.closeAllConnections();
      }),
  );

  it('a receiver that does not answer within the timeout', async () => {
    const answer = await slackChannel({ webhookUrl: silentUrl, timeoutMs: 150 }).send(single());
    expect(answer).toEqual({ ok: false, retryable: true, error: `slack: 127.0.0.1:${(silent.address() as AddressInfo).port} did not answer within 150 ms` });
  });

  it('a send the caller aborts', async () => {
    const controller = new AbortController();
    const sending = slackChannel({ webhookUrl: silentUrl }).send(single(), controller.signal);
    controller.abort();
    await expect(sending).resolves.toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(/^slack: the send to 127\.0\.0\.1:\d+ was aborted$/) });
  });

  it('a port nobody listens on', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const answer = await teamsChannel({ webhookUrl: `http://127.0.0.1:${port}/workflows/x?sig=topsecret` }).send(single());
    expect(answer).toEqual({ ok: false, retryable: true, error: `teams: could not reach 127.0.0.1:${port} (ECONNREFUSED)` });
    const eventGrid = await eventGridChannel({ topicEndpoint: `https://127.0.0.1:${port}/api/events`, topicKey: 'a2V5' }).send(single());
    expect(eventGrid).toMatchObject({ ok: false, retryable: true, error: expect.stringMatching(new RegExp(`^eventgrid: could not reach 127\\.0\\.0\\.1:${port}`)) });
  });
});

describe('the receivers refuse what the services refuse', () => {
  const URL_SETTING = { pagerduty: 'ALERT_PAGERDUTY_URL', teams: 'ALERT_TEAMS_WEBHOOK_URL', slack: 'ALERT_SLACK_WEBHOOK_URL' } as const;

  async function post(name: keyof typeof URL_SETTING, body: unknown) {
    const url = receivers.settings[URL_SETTING[name]];
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.text();
    return { status: response.status, problems: lastOf(name).problems };
  }

  it('slack: more than 50 blocks, an over-long section, neither text nor blocks', async () => {
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    expect(await post('slack', { text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) })).toEqual({ status: 400, problems: ['51 blocks, over 50'] });
    expect(await post('slack', { blocks: [section('x'.repeat(3001))] })).toEqual({ status: 400, problems: ['blocks[0].text.text is 3001 characters, over 3000'] });
    expect((await post('slack', {})).status).toBe(400);
  });

  it('teams: a message whose attachment is not an adaptive card', async () => {
    const result = await post('teams', { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: {} }] });
    expect(result).toEqual({ status: 400, problems: ['attachments[0].contentType must be application/vnd.microsoft.card.adaptive'] });
  });

  it('pagerduty: a trigger whose summary is over 1024 characters or whose severity is unknown', async () => {
    const trigger = { routing_key: receivers.settings.ALERT_PAGERDUTY_ROUTING_KEY, event_action: 'trigger', dedup_key: 'k', payload: { summary: 's'.repeat(1025), source: 'x', severity: 'high' } };
    expect(await post('pagerduty', trigger)).toEqual({
      status: 400,
      problems: ['payload.summary is 1025 characters, over 1024', 'payload.severity must be critical, error, warning or info'],
    });
  });

  it('eventgrid: a batch that is not CloudEvents 1.0, or not sent as a CloudEvents batch', async () => {
    const response = await fetch(receivers.settings.ALERT_EVENTGRID_TOPIC_ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-sas-key': receivers.settings.ALERT_EVENTGRID_TOPIC_KEY },
      body: JSON.stringify([{ specversion: '0.3', id: 'e-1', type: 'com.akscert.alert.opened' }]),
    });
    await response.text();
    expect(response.status).toBe(400);
    expect(lastOf('eventgrid').problems).toEqual(['content-type must be application/cloudevents-batch+json', '[0].specversion must be "1.0"', '[0].source is required']);
  });

  it('webhook: a correctly signed body replayed after the tolerance', async () => {
    const sixMinutesAgo = new Date(Date.now() - 6 * 60 * 1000);
    const replayed = webhookChannel({ url: receivers.settings.ALERT_WEBHOOK_URL, secret: receivers.settings.ALERT_WEBHOOK_SECRET, now: () => sixMinutesAgo });
    await expect(replayed.send(single())).resolves.toMatchObject({ ok: false, status: 401, retryable: false });
    expect(lastOf('webhook').problems).toEqual(['signature refused: stale']);
  });
});
