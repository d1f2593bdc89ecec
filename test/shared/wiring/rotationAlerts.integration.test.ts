/**
 * A rotation is part of its cluster's alert conversation (wiring/rotation.ts): the orchestrator's
 * dependencies as the wiring builds them from configuration, every channel pointed at the real
 * receivers, ARM the simulator, storage Azurite. The alert a due cluster opened hears that its
 * rotation started, that its kubeconfigs must be fetched again, and resolves after the verifying rescan.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAlertReceivers, type AlertReceivers } from '../../../dev/alertReceivers.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { pollRotations } from '../../../shared/rotation/pollRotations.js';
import { remediate } from '../../../shared/rotation/remediate.js';
import { complianceStorage, scanSources } from '../../../shared/wiring/adapters.js';
import { alertedStepOf, rotationDependencies } from '../../../shared/wiring/rotation.js';
import type { Services } from '../../../shared/wiring/services.js';
import { simulatorFor } from '../../support/environment.js';
import { AUTO_POLICY, clusterIdOf, ROTATION_SUBSCRIPTION, rotationFleet } from '../../support/rotation.js';
import { servicesFor } from '../../support/services.js';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;
let receivers: AlertReceivers;
let services: Services;

beforeAll(async () => {
  fleet = await rotationFleet(new Date());
  [simulator, receivers] = await Promise.all([simulatorFor(fleet, { rotation: { durationMs: 50 } }), startAlertReceivers({ tls: inject('devTls') })]);
  ({ services, azurite } = await servicesFor(simulator, receivers.settings));
});
afterAll(async () => Promise.all([simulator?.close(), azurite?.stop(), receivers?.stop()]));

type WebhookBody = { kind: 'single' | 'digest'; alert?: { event: string; cluster: { id: string }; fixCommand?: string } };
const webhookEventsOf = (clusterId: string) =>
  receivers.receivedBy('webhook').map((a) => a.body as WebhookBody).filter((b) => b.kind === 'single' && b.alert!.cluster.id === clusterId).map((b) => b.alert!.event);
type PagerDutyEvent = { event_action: string; dedup_key: string; payload?: { source: string } };
const pagerDutyEvents = () => receivers.receivedBy('pagerduty').map((a) => a.body as PagerDutyEvent);
/** A resolve carries only the dedup_key: the cluster's events are those with the key its trigger had. */
const pagerDutyActionsOf = (clusterId: string) => {
  const key = pagerDutyEvents().find((e) => e.payload?.source === clusterId)?.dedup_key;
  return pagerDutyEvents().filter((e) => key !== undefined && e.dedup_key === key).map((e) => e.event_action);
};

describe('rotation in the alert conversation', () => {
  it('tells the open alert that the rotation started and that kubeconfigs must be fetched again, then resolves it on the verifying rescan', async () => {
    const { report } = await services.scan({ subscriptionIds: [ROTATION_SUBSCRIPTION] });
    const due = clusterIdOf(fleet, 'due-a');
    expect(report.clusters.find((c) => c.id === due)?.status).toBe('violation');
    expect(pagerDutyActionsOf(due)).toEqual(['trigger']);

    const config = services.config;
    const deps = await rotationDependencies(config, { storage: complianceStorage(config), store: services.store(), policy: AUTO_POLICY, sources: scanSources(config) });
    const [outcome] = await remediate(report.clusters.filter((c) => c.id === due), deps);
    expect(outcome!.remediation.state).toBe('started');
    expect(webhookEventsOf(due).at(-1)).toBe('rotation_started');

    for (let i = 0; i < 100 && !webhookEventsOf(due).includes('resolved'); i++) {
      await pollRotations(deps);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const said = webhookEventsOf(due);
    expect(said.slice(said.indexOf('rotation_started'))).toEqual(['rotation_started', 'kubeconfig_refresh', 'resolved']);
    expect(pagerDutyActionsOf(due).at(-1)).toBe('resolve');
    for (const arrival of receivers.received) expect(arrival.problems).toEqual([]);
  });

  it('says a failed rotation only when it failed twice', () => {
    expect(alertedStepOf({ event: 'ROTATION_STARTED', attempt: 1 })).toBe('rotation_started');
    expect(alertedStepOf({ event: 'ROTATION_SUCCEEDED', attempt: 2 })).toBe('kubeconfig_refresh');
    expect(alertedStepOf({ event: 'ROTATION_FAILED', attempt: 1 })).toBeUndefined();
    expect(alertedStepOf({ event: 'ROTATION_FAILED', attempt: 2 })).toBe('rotation_failed_twice');
  });
});
