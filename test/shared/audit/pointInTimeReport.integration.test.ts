import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { pointInTimeReport } from '../../../shared/audit/pointInTimeReport.js';
import { historyRowsOf, hoursAfter, recordDeletionAt, recordScanAt, verdictFor } from '../../support/auditTrail.js';
import { azuriteStore } from '../../support/environment.js';

const S = '5e5e5e5e-0000-4000-8000-000000000005';
const OTHER = '6f6f6f6f-0000-4000-8000-000000000006';
// Three scans a day apart; aks-y is deleted half a day after the first and created again by the third.
const t1 = new Date('2026-04-01T08:00:00Z');
const deletedAt = hoursAfter(t1, 12);
const t2 = hoursAfter(t1, 24);
const t3 = hoursAfter(t1, 48);

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => {
  ({ azurite, store, tables } = await azuriteStore());
  await recordScanAt(store, t1, [verdictFor(S, 'aks-x', 'compliant', t1), verdictFor(S, 'aks-y', 'warning', t1), verdictFor(OTHER, 'aks-o', 'violation', t1)]);
  await recordDeletionAt(store, S, 'aks-y', deletedAt);
  await recordScanAt(store, t2, [verdictFor(S, 'aks-x', 'warning', t2), verdictFor(S, 'aks-z', 'unknown', t2)]);
  await recordScanAt(store, t3, [verdictFor(S, 'aks-x', 'violation', t3), verdictFor(S, 'aks-y', 'compliant', t3), verdictFor(S, 'aks-z', 'compliant', t3)]);
});
afterAll(async () => azurite?.stop());

const stateAt = async (asOf: Date, filters: { subscriptionId?: string; status?: 'violation' } = {}) => {
  const { clusters } = await pointInTimeReport(tables, { asOf, ...filters });
  return Object.fromEntries(clusters.map((c) => [c.name, c.status]));
};

describe('pointInTimeReport', () => {
  it('shows nothing before the first record', async () => {
    expect(await stateAt(hoursAfter(t1, -1))).toEqual({});
  });

  it('counts a record made exactly at the instant', async () => {
    expect(await stateAt(t1)).toEqual({ 'aks-x': 'compliant', 'aks-y': 'warning', 'aks-o': 'violation' });
  });

  it('shows each cluster as its last record before the instant left it, and a deleted cluster not at all', async () => {
    expect(await stateAt(hoursAfter(t1, 6))).toEqual({ 'aks-x': 'compliant', 'aks-y': 'warning', 'aks-o': 'violation' });
    expect(await stateAt(hoursAfter(deletedAt, 1))).toEqual({ 'aks-x': 'compliant', 'aks-o': 'violation' });
    expect(await stateAt(hoursAfter(t2, 1))).toEqual({ 'aks-x': 'warning', 'aks-z': 'unknown', 'aks-o': 'violation' });
    expect(await stateAt(hoursAfter(t3, 1))).toEqual({ 'aks-x': 'violation', 'aks-y': 'compliant', 'aks-z': 'compliant', 'aks-o': 'violation' });
  });

  it('carries the evidence of each record and counts by status', async () => {
    const { report, clusters } = await pointInTimeReport(tables, { asOf: hoursAfter(t2, 1) }, new Date('2026-05-01T00:00:00Z'));
    expect(report).toMatchObject({ clusters: 3, subscriptions: 2, counts: { violation: 1, warning: 1, unknown: 1, compliant: 0 }, errors: [] });
    const x = clusters.find((c) => c.name === 'aks-x')!;
    const [, second] = await historyRowsOf(tables, S, 'aks-x');
    expect(x).toMatchObject({ recordedAt: t2, hash: second!['hash'], scanId: second!['scanId'] });
    expect(x.certificates[0]!.notAfter).toBeInstanceOf(Date);
  });

  it('filters by subscription and by status', async () => {
    expect(await stateAt(hoursAfter(t3, 1), { subscriptionId: OTHER })).toEqual({ 'aks-o': 'violation' });
    expect(await stateAt(hoursAfter(t3, 1), { status: 'violation' })).toEqual({ 'aks-x': 'violation', 'aks-o': 'violation' });
  });

  it('reports a record that no longer matches its hash instead of hiding it', async () => {
    const [first] = await historyRowsOf(tables, OTHER, 'aks-o');
    const verdict = JSON.parse(first!['verdictJson'] as string);
    await tables.history.updateEntity({ partitionKey: first!.partitionKey!, rowKey: first!.rowKey!, verdictJson: JSON.stringify({ ...verdict, location: 'eastus' }) }, 'Merge');
    const { report } = await pointInTimeReport(tables, { asOf: t3 });
    expect(report.errors).toEqual([{ scope: `history row ${first!.partitionKey}/${first!.rowKey}`, code: 'HistoryRowAltered', message: expect.stringMatching(/does not match its hash/) }]);
  });
});
