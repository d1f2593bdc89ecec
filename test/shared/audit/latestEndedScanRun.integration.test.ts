import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { latestEndedScanRun } from '../../../shared/audit/scanRuns.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { readOnlyTables } from '../../support/auditApi.js';
import { hoursAfter } from '../../support/auditTrail.js';
import { azuriteStore } from '../../support/environment.js';

const now = new Date('2026-03-10T12:00:00Z');
let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;

/** A scan through the real store: begun, then ended (succeeded, or failed with why) unless `ended` is false. */
async function scan(id: string, startedAt: Date, seconds: number, outcome: { failure?: string; ended?: boolean } = {}) {
  await store.beginScan(id, startedAt);
  if (outcome.ended === false) return;
  const summary = { id, startedAt, finishedAt: new Date(startedAt.getTime() + seconds * 1000), policy: DEFAULT_POLICY, subscriptions: 1, clusters: 0, errors: [] };
  await store.recordScan(summary, [], outcome.failure ? { failure: outcome.failure } : {});
}

beforeAll(async () => {
  ({ azurite, store, tables } = await azuriteStore());
});
afterAll(async () => azurite?.stop());

describe('latestEndedScanRun (the metrics\' last scan)', () => {
  it('is undefined before any scan ended', async () => {
    expect(await latestEndedScanRun(readOnlyTables(tables).scans, now)).toBeUndefined();
  });

  it('finds a scan that ended days ago, when none ran since', async () => {
    await scan('old', hoursAfter(now, -24 * 5), 60);
    expect(await latestEndedScanRun(readOnlyTables(tables).scans, now)).toMatchObject({ id: 'old', state: 'succeeded', finishedAt: new Date(hoursAfter(now, -24 * 5).getTime() + 60_000) });
  });

  it('takes the one that finished last, failed ones included, and skips a scan still running', async () => {
    await scan('long', hoursAfter(now, -3), 2 * 3600 - 60);
    await scan('short-failed', hoursAfter(now, -2), 120, { failure: 'the store could not be written' });
    await scan('running', hoursAfter(now, -0.5), 0, { ended: false });
    expect(await latestEndedScanRun(readOnlyTables(tables).scans, now)).toMatchObject({ id: 'long', state: 'succeeded' });
    await scan('newest', hoursAfter(now, -0.25), 300, { failure: 'a subscription could not be listed' });
    expect(await latestEndedScanRun(readOnlyTables(tables).scans, now)).toMatchObject({ id: 'newest', state: 'failed' });
  });
});
