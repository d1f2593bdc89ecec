/**
 * Alerting as the Functions share it (wiring/services.ts): scans of the queue handlers and the event
 * rescans decide alerts after recording, concurrently and more than once, and a deletion from an
 * event resolves; every channel points at the real receivers, ARM is the simulator, storage Azurite.
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAlertReceivers, type AlertReceivers } from '../../../dev/alertReceivers.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import type { ChannelName } from '../../../shared/alerts/channels/channel.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import { makeClusterEventsHandler } from '../../../shared/handlers/clusterEvents.js';
import { makeDeliverAlertsHandler } from '../../../shared/handlers/deliverAlerts.js';
import type { Services } from '../../../shared/wiring/services.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { resourceEvent } from '../../support/events.js';
import { capturingContext } from '../../support/functionContext.js';
import { servicesFor } from '../../support/services.js';

const ALL: ChannelName[] = ['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook'];
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let receivers: AlertReceivers;
let services: Services;
let subscriptionId: string;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  [simulator, receivers] = await Promise.all([simulatorFor(fleet), startAlertReceivers({ tls: inject('devTls') })]);
  ({ services, azurite } = await servicesFor(simulator, receivers.settings));
  subscriptionId = fleet.subscriptions.find((s) => !s.listError && fleet.clusters.filter((c) => c.subscriptionId === s.subscriptionId).length > 6)!.subscriptionId;
});
afterAll(async () => Promise.all([simulator?.close(), azurite?.stop(), receivers?.stop()]));

const dedupKeys = () => receivers.receivedBy('pagerduty').map((a) => a.body as { event_action: string; dedup_key: string });

describe('alerting in the Functions\' shared services', () => {
  it('sends each notification once when the subscription\'s scan runs twice at once and an event rescans a cluster meanwhile', async () => {
    const alertingCluster = fleet.clusters.find((c) => c.subscriptionId === subscriptionId && c.expected?.status === 'violation')!;
    const outcomes = await Promise.all([
      services.scan({ subscriptionIds: [subscriptionId] }),
      services.scan({ subscriptionIds: [subscriptionId] }),
      services.scan({ clusters: [parseClusterId(alertingCluster.resource.id)!] }),
    ]);
    const alerting = new Set(outcomes[0]!.report.clusters.filter((c) => c.status === 'warning' || c.status === 'violation').map((c) => c.id.toLowerCase()));
    expect(alerting.size).toBeGreaterThan(5);
    const raised = outcomes.flatMap((o) => ('raised' in (o.alerts ?? {}) ? (o.alerts as { raised: { notificationId: string }[] }).raised : []));
    expect(raised).toHaveLength(alerting.size);
    expect(new Set(raised.map((n) => n.notificationId)).size).toBe(alerting.size);
    // Whatever one run left pending the timer sends; nothing twice.
    const { context } = capturingContext('deliverAlerts');
    await makeDeliverAlertsHandler({ alerting: () => services.alerting() })({ isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } }, context);
    const triggers = dedupKeys().filter((a) => a.event_action === 'trigger');
    expect(triggers).toHaveLength(alerting.size);
    expect(new Set(triggers.map((t) => t.dedup_key)).size).toBe(alerting.size);
    const events = receivers.receivedBy('eventgrid').flatMap((a) => a.body as Array<{ id: string }>);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events).toHaveLength(alerting.size);
    for (const channel of ALL) for (const arrival of receivers.receivedBy(channel)) expect(arrival.problems).toEqual([]);
  });

  it('resolves the alert of a cluster whose deletion an event records, on every channel', async () => {
    const doomed = fleet.clusters.find((c) => c.subscriptionId === subscriptionId && c.expected?.status === 'violation')!;
    const ref = parseClusterId(doomed.resource.id)!;
    await new ContainerServiceClient(new StaticTokenCredential(TEST_TOKEN), ref.subscriptionId, { endpoint: simulator.url }).managedClusters.beginDeleteAndWait(ref.resourceGroup, ref.name, { updateIntervalInMs: 10 });
    const before = Object.fromEntries(ALL.map((c) => [c, receivers.receivedBy(c).length]));
    const handler = makeClusterEventsHandler({ store: () => services.store(), rescans: () => services.rescans(), fleet: services.fleet, alerts: () => services.alerting() });
    const { context, text } = capturingContext('clusterEvents');
    await handler(resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: doomed.resource.id, operationName: 'Microsoft.ContainerService/managedClusters/delete' }), context);
    expect(text()).toMatch(/deletion of .*: recorded/);
    for (const channel of ALL) {
      const arrived = receivers.receivedBy(channel).slice(before[channel]);
      expect(arrived, channel).toHaveLength(1);
      expect(arrived[0]!.problems).toEqual([]);
    }
    expect(receivers.receivedBy('pagerduty').at(-1)!.body).toMatchObject({ event_action: 'resolve' });
  });
});
