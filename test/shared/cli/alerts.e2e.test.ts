/**
 * `akscert scan` with every alert channel pointed at the local receivers, and the `akscert alerts`
 * commands, run as a user runs them (the built CLI), against the ARM simulator and Azurite.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { TableClient } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAlertReceivers, type AlertReceivers, type ReceivedAlert } from '../../../dev/alertReceivers.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { Alerting } from '../../../shared/alerts/alerting.js';
import type { ChannelName } from '../../../shared/alerts/channels/channel.js';
import { channelsFrom } from '../../../shared/alerts/channels/channels.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import { ALERT_OUTBOX_TABLE, AlertOutbox } from '../../../shared/store/alertOutbox.js';
import { runCli } from '../../support/cli.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const ALL: ChannelName[] = ['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook'];
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let receivers: AlertReceivers;
let env: Record<string, string>;
let subscriptionId: string;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  [simulator, azurite, receivers] = await Promise.all([simulatorFor(fleet), startAzurite(), startAlertReceivers({ tls: inject('devTls') })]);
  subscriptionId = fleet.subscriptions.find((s) => !s.listError && fleet.clusters.filter((c) => c.subscriptionId === s.subscriptionId).length > 6)!.subscriptionId;
  env = {
    AZURE_STATIC_TOKEN: TEST_TOKEN, APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`, COMPLIANCE_STORAGE: azurite.connectionString,
    DASHBOARD_URL: 'http://127.0.0.1:7071/api/dashboard', ...receivers.settings,
  };
});
afterAll(async () => Promise.all([simulator?.close(), azurite?.stop(), receivers?.stop()]));
afterEach(() => receivers.answerNormally());

const scan = () => runCli(['scan', '--arm-endpoint', simulator.url, '--subscription', subscriptionId, '--output', 'json'], env);
const arrivalsSince = (marks: Record<string, number>) => Object.fromEntries(ALL.map((c) => [c, receivers.receivedBy(c).slice(marks[c])])) as Record<ChannelName, ReceivedAlert[]>;
const marks = () => Object.fromEntries(ALL.map((c) => [c, receivers.receivedBy(c).length]));

describe('akscert scan with every alert channel configured', () => {
  let alerting: string[];

  it('delivers one notification per cluster that needs one, in each native format; a second scan sends nothing new', async () => {
    const before = marks();
    const first = await scan();
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { clusters: Array<{ id: string; name: string; status: string }> };
    alerting = report.clusters.filter((c) => c.status === 'warning' || c.status === 'violation').map((c) => c.id);
    expect(alerting.length).toBeGreaterThan(5); // a digest, then
    expect(first.stderr).toMatch(new RegExp(`alerts: ${alerting.length} new notifications; pagerduty: ${alerting.length} sent; teams: ${alerting.length} sent; slack: ${alerting.length} sent; eventgrid: ${alerting.length} sent; webhook: ${alerting.length} sent`));

    const arrived = arrivalsSince(before);
    for (const channel of ALL) for (const arrival of arrived[channel]) expect(arrival.problems, `${channel}: ${arrival.summary}`).toEqual([]);
    // One PagerDuty incident (trigger) per cluster, each with its own dedup key and the dashboard link.
    expect(arrived.pagerduty.map((a) => (a.body as { event_action: string }).event_action)).toEqual(alerting.map(() => 'trigger'));
    expect(new Set(arrived.pagerduty.map((a) => (a.body as { dedup_key: string }).dedup_key)).size).toBe(alerting.length);
    expect(arrived.pagerduty.every((a) => /http:\/\/127\.0\.0\.1:7071\/api\/dashboard\/clusters\/[^"]+~/.test(a.raw))).toBe(true);
    expect(arrived.pagerduty.some((a) => a.raw.includes('az aks rotate-certs -g '))).toBe(true);
    // One CloudEvent per cluster; one digest on each channel that takes digests.
    expect(arrived.eventgrid.flatMap((a) => a.body as unknown[])).toHaveLength(alerting.length);
    for (const channel of ['teams', 'slack', 'webhook'] as const) {
      expect(arrived[channel]).toHaveLength(1);
      expect(arrived[channel][0]!.raw).toContain(String(alerting.length));
    }
    // No secret in what the command printed.
    for (const secret of [receivers.settings.ALERT_PAGERDUTY_ROUTING_KEY, receivers.settings.ALERT_WEBHOOK_SECRET, receivers.settings.ALERT_EVENTGRID_TOPIC_KEY, new URL(receivers.settings.ALERT_SLACK_WEBHOOK_URL).pathname]) {
      expect(first.stderr + first.stdout).not.toContain(secret);
    }

    const again = marks();
    const second = await scan();
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/alerts: 0 new notifications; pagerduty: 0 sent/);
    expect(Object.values(arrivalsSince(again)).flat()).toEqual([]);
  });

  it('lists the open alerts (table, JSON, CSV)', async () => {
    const json = await runCli(['alerts', '--state', 'open', '--output', 'json'], env);
    expect(json.code).toBe(0);
    const items = JSON.parse(json.stdout).items as Array<{ clusterId: string; state: string; level: string }>;
    expect(items.map((i) => i.clusterId).sort()).toEqual([...alerting].sort());
    expect(items.every((i) => i.state === 'open' && ['warning', 'violation'].includes(i.level))).toBe(true);
    expect(items[0]!.level).toBe('violation'); // the worst first
    const csv = await runCli(['alerts', '--output', 'csv'], env);
    expect(csv.stdout.split('\r\n')[0]).toBe('state,level,cluster,resourceGroup,subscriptionId,openedAt,lastNotifiedAt,resolvedAt,episode');
  });

  it('sends the resolve of a cluster that turned compliant after a rotation to every channel', async () => {
    const rotated = fleet.clusters.find((c) => c.subscriptionId === subscriptionId && c.expected?.status === 'violation' && c.expected.findingCodes.join() === 'CERT_AGE_EXCEEDS_POLICY')!;
    expect(alerting).toContain(rotated.resource.id);
    const ref = parseClusterId(rotated.resource.id)!;
    await new ContainerServiceClient(new StaticTokenCredential(TEST_TOKEN), ref.subscriptionId, { endpoint: simulator.url }).managedClusters.rotateClusterCertificates(ref.resourceGroup, ref.name);
    const before = marks();
    const third = await scan();
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/alerts: 1 new notification; pagerduty: 1 sent/);
    const arrived = arrivalsSince(before);
    for (const channel of ALL) {
      expect(arrived[channel], channel).toHaveLength(1);
      expect(arrived[channel][0]!.problems).toEqual([]);
      if (channel !== 'pagerduty') expect(arrived[channel][0]!.raw).toContain(ref.name);
    }
    // PagerDuty's resolve names the incident its trigger opened.
    const trigger = receivers.receivedBy('pagerduty').find((a) => (a.body as { event_action: string }).event_action === 'trigger' && a.raw.includes(ref.name))!;
    expect(arrived.pagerduty[0]!.body).toEqual({ routing_key: receivers.settings.ALERT_PAGERDUTY_ROUTING_KEY, event_action: 'resolve', dedup_key: (trigger.body as { dedup_key: string }).dedup_key });
    expect(JSON.stringify(arrived.eventgrid[0]!.body)).toContain('com.akscert.alert.resolved');
    const resolved = JSON.parse((await runCli(['alerts', '--state', 'resolved', '--output', 'json'], env)).stdout).items;
    expect(resolved.map((i: { name: string }) => i.name)).toEqual([ref.name]);
  });

  it('akscert alerts test reports each channel\'s answer, and exits 1 when one failed', async () => {
    const ok = await runCli(['alerts', 'test', '--output', 'json'], env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).channels.map((c: { channel: string; ok: boolean }) => [c.channel, c.ok])).toEqual(ALL.map((c) => [c, true]));
    receivers.answerWith('slack', { status: 500 });
    const failed = await runCli(['alerts', 'test', '--output', 'table'], env);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/slack\s+failed\s+500/);
    expect(failed.stdout).not.toContain(new URL(receivers.settings.ALERT_SLACK_WEBHOOK_URL).pathname);
  });

  it('akscert alerts retry re-sends a parked notification once its channel is back', async () => {
    // Park one: the webhook refuses with 500 through five attempts, in compressed time, as the deliverAlerts timer would over minutes.
    let clock = Date.now();
    const outbox = await AlertOutbox.open(TableClient.fromConnectionString(azurite.connectionString, ALERT_OUTBOX_TABLE, { allowInsecureConnection: true }));
    const webhookOnly = channelsFrom({ webhook: receivers.channelSettings.webhook! });
    const local = new Alerting({ outbox, channels: webhookOnly, settings: { minLevel: 'warning', repeatMs: 86_400_000 }, delivery: { now: () => new Date(clock), sleep: async (ms) => void (clock += ms), waitMs: 3_600_000 } });
    const cluster = parseClusterId(`/subscriptions/${subscriptionId}/resourceGroups/rg-parked/providers/Microsoft.ContainerService/managedClusters/aks-parked`)!;
    receivers.answerWith('webhook', { status: 500 });
    const [notice] = await local.record([{ cluster, input: { kind: 'verdict', status: 'violation', at: new Date(clock) } }], 'scan-parked');
    expect((await local.deliver())[0]).toMatchObject({ parked: 1 });

    const parked = JSON.parse((await runCli(['alerts', '--state', 'parked', '--output', 'json'], env)).stdout).items;
    expect(parked).toEqual([expect.objectContaining({ notificationId: notice!.notificationId, channel: 'webhook', attempts: 5, lastStatus: 500, event: 'opened', name: 'aks-parked' })]);

    receivers.answerNormally('webhook');
    const before = marks();
    const retry = await runCli(['alerts', 'retry', notice!.notificationId], env);
    expect(retry.stderr).toMatch(/1 parked delivery re-sent; alerts: 0 new notifications; .*webhook: 1 sent/);
    expect(retry.code).toBe(0);
    expect(arrivalsSince(before).webhook.map((a) => a.status)).toEqual([204]);
    expect(await outbox.parked(notice!.notificationId)).toEqual([]);
  });
});
