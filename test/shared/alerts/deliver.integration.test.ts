/**
 * Delivery from the outbox (real Azurite) through the real channels to the real local receivers,
 * with time compressed: `sleep` advances the clock the outbox is read against, so five attempts
 * "over minutes" take milliseconds.
 */
import { TableClient } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAlertReceivers, type AlertReceivers } from '../../../dev/alertReceivers.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { Alerting } from '../../../shared/alerts/alerting.js';
import type { ChannelName } from '../../../shared/alerts/channels/channel.js';
import { channelsFrom } from '../../../shared/alerts/channels/channels.js';
import { safeText, type DeliveryOptions } from '../../../shared/alerts/deliver.js';
import type { ClusterStatus } from '../../../shared/domain/verdict.js';
import { ALERT_OUTBOX_TABLE, AlertOutbox } from '../../../shared/store/alertOutbox.js';

const ALL: ChannelName[] = ['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook'];
let azurite: RunningAzurite;
let receivers: AlertReceivers;
beforeAll(async () => {
  [azurite, receivers] = await Promise.all([startAzurite(), startAlertReceivers({ tls: inject('devTls') })]);
});
afterAll(async () => Promise.all([azurite?.stop(), receivers?.stop()]));
afterEach(() => receivers.answerNormally());

/** A fake clock: `sleep` moves it on at once. */
function compressedTime(start = Date.now()) {
  let now = start;
  return { now: () => new Date(now), sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms), random: () => 0.5 };
}

let fleetNumber = 0;
/** One process's alerting over the shared outbox table, and clusters of a subscription of their own (receivers are shared: arrivals are told apart by cluster). */
async function setup(delivery: DeliveryOptions = {}) {
  const outbox = await AlertOutbox.open(TableClient.fromConnectionString(azurite.connectionString, ALERT_OUTBOX_TABLE, { allowInsecureConnection: true }));
  const alerting = new Alerting({ outbox, channels: channelsFrom(receivers.channelSettings, { timeoutMs: 5_000 }), settings: { minLevel: 'warning', repeatMs: 86_400_000 }, delivery });
  return { outbox, alerting };
}
function fleet(count: number) {
  const subscriptionId = `00000000-0000-0000-0001-${String(++fleetNumber).padStart(12, '0')}`;
  const clusters = Array.from({ length: count }, (_, i) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-${fleetNumber}-${i}`, subscriptionId, resourceGroup: 'rg', name: `aks-${fleetNumber}-${i}`,
  }));
  const subjects = (status: ClusterStatus, at: Date) => clusters.map((cluster) => ({ cluster, input: { kind: 'verdict' as const, status, at } }));
  return { subscriptionId, clusters, subjects };
}
/** The arrivals on a channel that name one of these clusters. */
const arrivalsFor = (channel: ChannelName, names: string[]) => receivers.receivedBy(channel).filter((a) => names.some((name) => a.raw.includes(`"${name}"`) || a.raw.includes(`/${name}"`) || a.raw.includes(name)));

describe('delivering the outbox', () => {
  it('a channel answering 500 is retried with backoff and parked after five attempts, while every other channel delivers at once', async () => {
    const time = compressedTime();
    const { alerting, outbox } = await setup({ ...time, waitMs: 3_600_000 });
    const { subjects, clusters } = fleet(2);
    receivers.answerWith('slack', { status: 500 });
    const raised = await alerting.record(subjects('violation', time.now()), 'scan-500');
    const delivered = await alerting.deliver();
    const names = clusters.map((c) => c.name);
    expect(Object.fromEntries(delivered.map((d) => [d.channel, [d.sent, d.parked, d.waiting]]))).toEqual({
      pagerduty: [2, 0, 0], teams: [2, 0, 0], slack: [0, 2, 0], eventgrid: [2, 0, 0], webhook: [2, 0, 0],
    });
    expect(arrivalsFor('slack', names)).toHaveLength(10);
    for (const channel of ['pagerduty', 'teams', 'eventgrid', 'webhook'] as const) expect(arrivalsFor(channel, names)).toHaveLength(2);
    const parked = (await outbox.parked()).filter((d) => raised.some((n) => n.notificationId === d.notificationId));
    expect(parked.map((d) => [d.channel, d.attempts, d.lastStatus])).toEqual([['slack', 5, 500], ['slack', 5, 500]]);
    expect(parked[0]!.lastError).toMatch(/slack/);
    expect(parked[0]!.lastError).not.toContain(receivers.settings.ALERT_SLACK_WEBHOOK_URL);

    // `akscert alerts retry`: the parked notifications go once the channel is back.
    receivers.answerNormally('slack');
    const retried = await alerting.retryParked(undefined, time.now());
    expect(retried.requeued).toBeGreaterThanOrEqual(2);
    expect(arrivalsFor('slack', names).filter((a) => a.status === 200)).toHaveLength(2);
    expect((await outbox.parked()).filter((d) => raised.some((n) => n.notificationId === d.notificationId))).toEqual([]);
  });

  it('does not re-send a parked notification that a newer one of its alert, sent on that channel, superseded', async () => {
    const time = compressedTime();
    const { alerting, outbox } = await setup({ ...time, waitMs: 3_600_000 });
    const { subjects } = fleet(1);
    receivers.answerWith('pagerduty', { status: 500 });
    const [opened] = await alerting.record(subjects('violation', time.now()), 'scan-opened');
    await alerting.deliver();
    expect((await outbox.parked(opened!.notificationId)).map((d) => d.channel)).toEqual(['pagerduty']);
    receivers.answerNormally('pagerduty');
    time.advance(3_600_000);
    await alerting.record(subjects('compliant', time.now()), 'scan-resolved');
    await alerting.deliver();
    const sentBefore = receivers.receivedBy('pagerduty').filter((a) => a.status === 202).length;
    // Re-sending the parked trigger now would reopen the incident its resolve closed.
    const retried = await alerting.retryParked(opened!.notificationId, time.now());
    expect(retried).toMatchObject({ requeued: 0, superseded: 1 });
    expect(receivers.receivedBy('pagerduty').filter((a) => a.status === 202).length).toBe(sentBefore);
    expect((await outbox.parked(opened!.notificationId)).map((d) => d.channel)).toEqual(['pagerduty']);
  });

  it('honours 429 and Retry-After on that channel only, and sends once it is allowed', async () => {
    const time = compressedTime();
    const { alerting, outbox } = await setup({ ...time, waitMs: 60_000 });
    const { subjects, clusters } = fleet(1);
    receivers.answerWith('pagerduty', { status: 429, retryAfter: '30' }, 1);
    const [notice] = await alerting.record(subjects('warning', time.now()), 'scan-429');
    const delivered = await alerting.deliver();
    expect(delivered.find((d) => d.channel === 'pagerduty')).toMatchObject({ sent: 1, failed: 1, parked: 0 });
    const rows = await outbox.deliveriesOf(notice!.notificationId);
    expect(rows.find((d) => d.channel === 'pagerduty')).toMatchObject({ state: 'sent', attempts: 2, lastStatus: 202 });
    expect(rows.filter((d) => d.channel !== 'pagerduty').map((d) => d.attempts)).toEqual([1, 1, 1, 1]);
    expect(arrivalsFor('pagerduty', [clusters[0]!.name]).map((a) => a.status)).toEqual([429, 202]);
  });

  it('leaves a retry not yet due to the next run when it is later than this run may wait', async () => {
    const time = compressedTime();
    const { alerting, outbox } = await setup({ ...time, waitMs: 0 });
    const { subjects } = fleet(1);
    receivers.answerWith('teams', { status: 503 }, 1);
    const [notice] = await alerting.record(subjects('violation', time.now()), 'scan-later');
    expect((await alerting.deliver()).find((d) => d.channel === 'teams')).toMatchObject({ sent: 0, failed: 1, waiting: 1 });
    time.advance(10_000);
    expect((await alerting.deliver()).find((d) => d.channel === 'teams')).toMatchObject({ sent: 1, waiting: 0 });
    expect((await outbox.deliveriesOf(notice!.notificationId)).every((d) => d.state === 'sent')).toBe(true);
  });

  it('sends exactly once what a process recorded before it died, on the next delivery of another process', async () => {
    const time = compressedTime();
    const { subjects, clusters } = fleet(2);
    // The first process records the outbox rows and dies before sending anything.
    await (await setup(time)).alerting.record(subjects('violation', time.now()), 'scan-crash');
    const names = clusters.map((c) => c.name);
    for (const channel of ALL) expect(arrivalsFor(channel, names)).toHaveLength(0);
    const next = await setup(time);
    await next.alerting.deliver();
    await next.alerting.deliver();
    for (const channel of ALL) expect(arrivalsFor(channel, names)).toHaveLength(2);
  });

  it('a sender that died holding a claim releases it when its lease ends: sent once, then', async () => {
    const time = compressedTime();
    const { alerting, outbox } = await setup(time);
    const { subjects, clusters } = fleet(1);
    const [notice] = await alerting.record(subjects('violation', time.now()), 'scan-lease');
    const webhook = (await outbox.deliveriesOf(notice!.notificationId)).find((d) => d.channel === 'webhook')!;
    expect(await outbox.claim(webhook, new Date(time.now().getTime() + 120_000))).toBeDefined();
    await alerting.deliver();
    expect(arrivalsFor('webhook', [clusters[0]!.name])).toHaveLength(0);
    time.advance(121_000);
    await alerting.deliver();
    await alerting.deliver();
    expect(arrivalsFor('webhook', [clusters[0]!.name])).toHaveLength(1);
  });

  it('two instances delivering at once send each notification once per channel', async () => {
    const time = compressedTime();
    const [one, two] = await Promise.all([setup(time), setup(time)]);
    const { subjects, clusters } = fleet(3);
    await one.alerting.record(subjects('warning', time.now()), 'scan-two');
    await Promise.all([one.alerting.deliver(), two.alerting.deliver(), one.alerting.deliver()]);
    for (const channel of ALL) expect(arrivalsFor(channel, clusters.map((c) => c.name))).toHaveLength(3);
  });

  it('groups many clusters of one scan into one digest per channel that takes digests, and one incident per cluster on PagerDuty', async () => {
    const time = compressedTime();
    const { alerting } = await setup(time);
    const { subjects, clusters } = fleet(12);
    const before = Object.fromEntries(ALL.map((c) => [c, receivers.receivedBy(c).length]));
    await alerting.record(subjects('violation', time.now()), 'scan-digest');
    await alerting.deliver();
    const arrived = Object.fromEntries(ALL.map((c) => [c, receivers.receivedBy(c).slice(before[c])]));
    expect(arrived['pagerduty']!).toHaveLength(12);
    expect(new Set(arrived['pagerduty']!.map((a) => (a.body as { dedup_key: string }).dedup_key)).size).toBe(12);
    expect(arrived['eventgrid']!.length).toBe(12);
    for (const channel of ['teams', 'slack', 'webhook'] as const) {
      expect(arrived[channel]).toHaveLength(1);
      expect(arrived[channel]![0]!.problems).toEqual([]);
      expect(arrived[channel]![0]!.raw).toMatch(/12/);
    }
    expect(clusters).toHaveLength(12);
  });

  it('keeps an error as safe text: one line, short, no URL path or query', () => {
    expect(safeText('slack: 500 from https://hooks.slack.com/services/T0/B0/SECRET?x=1\n  body')).toBe('slack: 500 from https://hooks.slack.com/… body');
    expect(safeText('x'.repeat(900))).toHaveLength(500);
  });
});
