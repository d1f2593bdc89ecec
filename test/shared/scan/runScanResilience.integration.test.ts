import { afterEach, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { buildScaleFleet } from '../../../dev/demoFleet/index.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { runScan } from '../../../shared/scan/runScan.js';
import { ComplianceStore } from '../../../shared/store/complianceStore.js';
import { azuriteTables, fleetReaderFor, simulatorFor } from '../../support/environment.js';

const now = new Date();
const fastRetry = { retries: 8, baseDelayMs: 50, maxDelayMs: 2_000 };
let simulator: ArmSimulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

const readAll = (report: Awaited<ReturnType<typeof runScan>>['report']) =>
  report.clusters.every((v) => v.certificates.some((c) => c.source === 'client') && v.status !== 'unknown');

describe('runScan against a difficult ARM', () => {
  it('scans a throttled, many-paged subscription completely', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 1, clustersPerSubscription: 45 });
    // Tiny buckets: the first page's credential calls outrun the write bucket before any ARM answer
    // says how little is left, so some meet 429s; the rest are paced to ARM's remaining-writes count.
    simulator = await simulatorFor(fleet, {
      pageSize: 10,
      throttle: { reads: { capacity: 2, refillPerSecond: 20 }, writes: { capacity: 2, refillPerSecond: 20 } },
    });
    const { report } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), now: () => now });
    expect(report.clusters).toHaveLength(45);
    expect(report.scan.errors).toEqual([]);
    expect(readAll(report)).toBe(true);
    expect(simulator.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });

  it('resumes a cluster listing after a page fails, instead of ending it early', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 1, clustersPerSubscription: 12 });
    simulator = await simulatorFor(fleet, { pageSize: 3 });
    simulator.injectFault({ method: 'GET', pathIncludes: 'skiptoken', status: 503, times: 5 });
    const { report } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), now: () => now });
    expect(report.clusters).toHaveLength(12);
    expect(simulator.requests.filter((r) => r.status === 503)).toHaveLength(5);
  });

  it('reports a cluster whose credential listing is forbidden as unknown, with the HTTP status and ARM code', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 1, clustersPerSubscription: 3 });
    simulator = await simulatorFor(fleet);
    const victim = fleet.clusters[1]!.resource.name;
    simulator.injectFault({ method: 'POST', pathIncludes: `/managedClusters/${victim}/listClusterMonitoringUserCredential`, status: 403, code: 'AuthorizationFailed', times: 1 });
    simulator.injectFault({ method: 'POST', pathIncludes: `/managedClusters/${victim}/listClusterUserCredential`, status: 403, code: 'AuthorizationFailed', times: 1 });
    const { report } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), now: () => now });
    const verdict = report.clusters.find((v) => v.name === victim)!;
    expect(verdict.status).toBe('unknown');
    expect(verdict.findings).toEqual([expect.objectContaining({
      code: 'CERT_SOURCE_UNAVAILABLE', reason: 'forbidden',
      message: expect.stringMatching(/listClusterMonitoringUserCredential answered HTTP 403 AuthorizationFailed.*listClusterUserCredential answered HTTP 403 AuthorizationFailed/),
    })]);
    expect(report.clusters.filter((v) => v.status === 'unknown')).toHaveLength(1);
  });

  it('falls back to the user credentials when the monitoring user is forbidden', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 1, clustersPerSubscription: 2 });
    simulator = await simulatorFor(fleet);
    simulator.injectFault({ method: 'POST', pathIncludes: 'listClusterMonitoringUserCredential', status: 403, code: 'AuthorizationFailed', times: 2 });
    const { report } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), now: () => now });
    expect(readAll(report)).toBe(true);
    expect(simulator.requests.filter((r) => r.path.endsWith('listClusterUserCredential'))).toHaveLength(2);
  });

  it('retries throttling without Retry-After and server errors on credential calls', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 1, clustersPerSubscription: 2 });
    simulator = await simulatorFor(fleet);
    simulator.injectFault({ method: 'POST', pathIncludes: 'listClusterMonitoringUserCredential', status: 429, times: 3 });
    simulator.injectFault({ method: 'POST', pathIncludes: 'listClusterMonitoringUserCredential', status: 500, times: 2 });
    const { report } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), now: () => now });
    expect(readAll(report)).toBe(true);
  });

  it('still judges every cluster when the store is down, and says the verdicts were not recorded', async () => {
    const fleet = await buildScaleFleet({ now, subscriptions: 2, clustersPerSubscription: 3 });
    simulator = await simulatorFor(fleet);
    const deadStore = ComplianceStore.open(azuriteTables(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
    ));
    const { report, storeError } = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator, fastRetry), store: deadStore, now: () => now });
    expect(report.clusters).toHaveLength(6);
    expect(readAll(report)).toBe(true);
    expect(storeError?.message).toMatch(/cannot reach the compliance tables/);
  });
});
