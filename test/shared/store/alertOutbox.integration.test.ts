import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { raiseAlerts, type AlertSubject } from '../../../shared/alerts/raiseAlerts.js';
import type { AlertSettings } from '../../../shared/domain/alertDecision.js';
import type { ClusterStatus } from '../../../shared/domain/verdict.js';
import { ALERT_OUTBOX_TABLE, AlertOutbox } from '../../../shared/store/alertOutbox.js';

let azurite: RunningAzurite;
let table: () => TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  table = () => TableClient.fromConnectionString(azurite.connectionString, ALERT_OUTBOX_TABLE, { allowInsecureConnection: true });
});
afterAll(async () => azurite?.stop());

const settings: AlertSettings = { minLevel: 'warning', repeatMs: 24 * 3_600_000 };
const t0 = new Date('2026-11-23T00:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
let fleetNumber = 0;
/** Clusters of a subscription of their own, so the tests of this file share the table without seeing each other's alerts. */
function fleet(names: string[]) {
  const subscriptionId = `00000000-0000-0000-0000-${String(++fleetNumber).padStart(12, '0')}`;
  const clusters = names.map((name) => ({ id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`, subscriptionId, resourceGroup: 'rg', name }));
  const scan = (status: ClusterStatus, at: Date): AlertSubject[] => clusters.map((cluster) => ({ cluster, input: { kind: 'verdict', status, at } }));
  return { subscriptionId, clusters, scan };
}
const options = (batchId: string) => ({ channels: ['pagerduty', 'slack'], settings, batchId });

describe('the alert outbox', () => {
  it('records each notification once, with a pending delivery per channel, however many instances decide at once', async () => {
    const { scan, subscriptionId } = fleet(['aks-a', 'aks-b', 'aks-c']);
    const instances = await Promise.all([1, 2, 3].map(() => AlertOutbox.open(table())));
    const raised = await Promise.all(instances.map((outbox, i) => raiseAlerts(scan('violation', t0), outbox, options(`scan-${i}`))));
    expect(raised.flat().map((n) => n.notificationId).sort()).toHaveLength(3);
    const outbox = instances[0]!;
    expect((await outbox.openIn(subscriptionId)).map((s) => [s.cluster.name, s.level, s.episode]).sort()).toEqual([['aks-a', 'violation', 1], ['aks-b', 'violation', 1], ['aks-c', 'violation', 1]]);
    for (const notice of raised.flat()) {
      expect((await outbox.deliveriesOf(notice.notificationId)).map((d) => [d.channel, d.state, d.attempts]).sort()).toEqual([['pagerduty', 'pending', 0], ['slack', 'pending', 0]]);
      expect(await outbox.message(notice.notificationId.split('.')[0]!, notice.notificationId)).toMatchObject({ event: 'opened', severity: 'violation' });
    }
    // The next scan finds nothing new to say.
    expect(await raiseAlerts(scan('violation', minutes(5)), outbox, options('scan-next'))).toEqual([]);
  });

  it('refuses a write decided from a stale state, and the decision made again escalates what the other scan opened', async () => {
    const { scan, clusters } = fleet(['aks-race']);
    const [one, two] = await Promise.all([AlertOutbox.open(table()), AlertOutbox.open(table())]);
    const stale = await two!.stateOf(clusters[0]!);
    expect((await raiseAlerts(scan('warning', t0), one!, options('scan-a'))).map((n) => n.transition)).toEqual(['opened']);
    // The second instance read no state before the first wrote: its write is refused, nothing of it recorded.
    expect(await two!.commit(clusters[0]!, stale, { open: true, level: 'violation', episode: 1, reminders: 0, escalations: 0 })).toBe('conflict');
    const fresh = await two!.stateOf(clusters[0]!);
    expect(await two!.commit(clusters[0]!, { ...fresh!, etag: 'W/"datetime\'2020-01-01T00%3A00%3A00.0000000Z\'"' }, fresh!)).toBe('conflict');
    expect(await one!.stateOf(clusters[0]!)).toMatchObject({ level: 'warning', episode: 1 });
    expect((await raiseAlerts(scan('violation', minutes(1)), two!, options('scan-b'))).map((n) => n.transition)).toEqual(['escalated']);
    expect(await one!.stateOf(clusters[0]!)).toMatchObject({ open: true, level: 'violation', episode: 1, escalations: 1 });
  });

  it('marks the notifications of a batch as one digest above the threshold, and not below it', async () => {
    const many = fleet(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
    const few = fleet(['b1', 'b2', 'b3', 'b4', 'b5']);
    const outbox = await AlertOutbox.open(table());
    const manyRaised = await raiseAlerts(many.scan('warning', t0), outbox, options('scan-many'));
    const fewRaised = await raiseAlerts(few.scan('warning', t0), outbox, options('scan-few'));
    const digests = async (ids: string[]) => new Set((await Promise.all(ids.map((id) => outbox.deliveriesOf(id)))).flat().map((d) => d.digest));
    expect(await digests(manyRaised.map((n) => n.notificationId))).toEqual(new Set(['digest-scan-many']));
    expect(await digests(fewRaised.map((n) => n.notificationId))).toEqual(new Set([undefined]));
  });

  it('lets one sender claim a delivery: a second claim on the same ETag gets nothing, and a settle after a lost lease is refused', async () => {
    const { scan } = fleet(['aks-claim']);
    const outbox = await AlertOutbox.open(table());
    const [notice] = await raiseAlerts(scan('violation', t0), outbox, options('scan-claim'));
    const [delivery] = (await outbox.deliveriesOf(notice!.notificationId)).filter((d) => d.channel === 'slack');
    const claims = await Promise.all([outbox.claim(delivery!, minutes(2)), outbox.claim(delivery!, minutes(2))]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const claimed = claims.find(Boolean)!;
    expect(await outbox.settle(delivery!, { state: 'sent', attempts: 1, sentAt: t0, lastStatus: 200 })).toBe(false);
    expect(await outbox.settle(claimed, { state: 'parked', attempts: 5, nextAttemptAt: t0, lastError: 'slack: 500 from hooks.example' })).toBe(true);
    const [parked] = (await outbox.deliveriesIn('parked')).filter((d) => d.notificationId === notice!.notificationId);
    expect(parked).toMatchObject({ channel: 'slack', attempts: 5, lastError: 'slack: 500 from hooks.example' });
    expect(await outbox.requeue(parked!, minutes(10))).toBe(true);
    expect((await outbox.pending('slack')).find((d) => d.notificationId === notice!.notificationId)).toMatchObject({ attempts: 0, nextAttemptAt: minutes(10) });
  });

  it('lists alerts open and resolved, and counts the open ones', async () => {
    const { scan, clusters } = fleet(['aks-list-1', 'aks-list-2']);
    const outbox = await AlertOutbox.open(table());
    await raiseAlerts(scan('violation', t0), outbox, options('scan-l1'));
    const before = await outbox.openCount();
    await raiseAlerts([{ cluster: clusters[0]!, input: { kind: 'verdict', status: 'compliant', at: minutes(1) } }], outbox, options('scan-l2'));
    expect(await outbox.openCount()).toBe(before - 1);
    expect((await outbox.list('resolved')).map((s) => s.cluster.name)).toContain('aks-list-1');
    expect((await outbox.list('open')).map((s) => s.cluster.name)).toContain('aks-list-2');
    expect((await outbox.list()).filter((s) => s.cluster.subscriptionId === clusters[0]!.subscriptionId)).toHaveLength(2);
  });
});
