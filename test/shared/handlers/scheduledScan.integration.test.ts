import { InvocationContext, type Timer } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet.js';
import { loadConfig } from '../../../shared/config.js';
import { makeScheduledScanHandler } from '../../../shared/handlers/scheduledScan.js';
import { scanFromConfig } from '../../../shared/scan/scanFromConfig.js';
import { ComplianceStore } from '../../../shared/store/complianceStore.js';
import { allStoredText, simulatorFor, TEST_TOKEN } from '../../support/environment.js';
import { startAzurite } from '../../../dev/azurite.js';

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let azurite: RunningAzurite;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet);
  azurite = await startAzurite();
});

afterAll(async () => {
  await simulator?.close();
  await azurite?.stop();
});

function capturingContext() {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName: 'scheduledScan',
    logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(' ')}`),
  });
  return { context, lines };
}

describe('scheduledScan (timer handler)', () => {
  it('scans the configured scope, records it in Table Storage and logs a summary without secrets', async () => {
    const config = loadConfig({
      COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN,
      APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`,
    });
    const { context, lines } = capturingContext();
    await makeScheduledScanHandler({ scan: () => scanFromConfig(config) })(timer, context);

    expect(lines.join('\n')).toMatch(/^information scan \S+: \d+ clusters in 4 subscriptions: \d+ violation, \d+ warning, 1 unknown, \d+ compliant$/m);
    expect(lines.join('\n')).toMatch(/^warning scan \S+: \/subscriptions\/\S+: AuthorizationFailed/m);
    const store = await ComplianceStore.open({ kind: 'connectionString', connectionString: azurite.connectionString });
    const stored = await allStoredText(store);
    const listed = fleet.clusters.filter((c) => !fleet.subscriptions.find((s) => s.subscriptionId === c.subscriptionId)?.listError);
    for (const cluster of listed) expect(stored).toContain(JSON.stringify(cluster.resource.id).slice(1, -1));
    for (const secret of fleet.secrets) {
      expect(stored.includes(secret)).toBe(false);
      expect(lines.join('\n').includes(secret)).toBe(false);
    }
  });

  it('fails the invocation when the verdicts could not be recorded', async () => {
    const config = loadConfig({
      COMPLIANCE_STORAGE: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN, AZURE_SUBSCRIPTION_IDS: fleet.subscriptions[0]!.subscriptionId,
    });
    const { context, lines } = capturingContext();
    await expect(makeScheduledScanHandler({ scan: () => scanFromConfig(config) })(timer, context)).rejects.toThrow(/cannot reach the compliance tables/);
    expect(lines.join('\n')).toMatch(/clusters in 1 subscriptions/);
  });
});
