import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite.js';
import { raiseAlerts } from '../../../../shared/alerts/raiseAlerts.js';
import { makeAlertsHandler } from '../../../../shared/handlers/api/alertsHandler.js';
import { ALERT_OUTBOX_TABLE, AlertOutbox } from '../../../../shared/store/alertOutbox.js';
import { get } from '../../../support/auditApi.js';

let azurite: RunningAzurite;
let table: (name?: string) => TableClient;
beforeAll(async () => {
  azurite = await startAzurite();
  table = (name = ALERT_OUTBOX_TABLE) => TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
  const subscriptionId = '22222222-0000-0000-0000-000000000000';
  const cluster = (name: string) => ({ id: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`, subscriptionId, resourceGroup: 'rg', name });
  const at = new Date('2026-11-23T00:00:00Z');
  const outbox = await AlertOutbox.open(table());
  const options = { channels: ['slack'], settings: { minLevel: 'warning' as const, repeatMs: 86_400_000 }, batchId: 'b' };
  await raiseAlerts([{ cluster: cluster('aks-open'), input: { kind: 'verdict', status: 'violation', at } }, { cluster: cluster('aks-fixed'), input: { kind: 'verdict', status: 'warning', at } }], outbox, options);
  await raiseAlerts([{ cluster: cluster('aks-fixed'), input: { kind: 'verdict', status: 'compliant', at: new Date(at.getTime() + 60_000) } }], outbox, options);
});
afterAll(async () => azurite?.stop());

describe('GET /api/alerts', () => {
  it('lists every alert, or those open, resolved or parked', async () => {
    const handler = makeAlertsHandler({ alerts: AlertOutbox.reading(table()) });
    const all = await get(handler, '/api/alerts');
    expect(all.status).toBe(200);
    expect(all.json().items.map((i: { name: string; state: string }) => [i.name, i.state])).toEqual([['aks-open', 'open'], ['aks-fixed', 'resolved']]);
    expect((await get(handler, '/api/alerts?state=open')).json().items.map((i: { name: string }) => i.name)).toEqual(['aks-open']);
    expect((await get(handler, '/api/alerts?state=resolved&code=function-key')).json().items.map((i: { name: string }) => i.name)).toEqual(['aks-fixed']);
    expect((await get(handler, '/api/alerts?state=parked')).json()).toEqual({ items: [] });
  });

  it('refuses a bad, unknown or repeated parameter with a 400 naming it', async () => {
    const handler = makeAlertsHandler({ alerts: AlertOutbox.reading(table()) });
    expect(await get(handler, '/api/alerts?state=closed').then((a) => [a.status, a.json().error])).toEqual([400, 'state: must be one of open, resolved, parked']);
    expect((await get(handler, '/api/alerts?stat=open')).json().error).toMatch(/^stat: unknown parameter; this endpoint takes state/);
    expect((await get(handler, '/api/alerts?state=open&state=parked')).json().error).toBe('state: given more than once');
  });

  it('answers no alerts, creating nothing, where alerting never ran', async () => {
    const handler = makeAlertsHandler({ alerts: AlertOutbox.reading(table('AlertOutboxNeverCreated')) });
    expect((await get(handler, '/api/alerts')).json()).toEqual({ items: [] });
    expect((await get(handler, '/api/alerts?state=parked')).json()).toEqual({ items: [] });
  });
});
