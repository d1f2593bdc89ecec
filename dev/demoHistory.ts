import { startArmSimulator } from './armSimulator/server.js';
import { buildDemoFleet } from './demoFleet/index.js';
import type { DevTls } from './devTls.js';
import { DEMO_TOKEN } from './demoEnvironment.js';
import { openComplianceStore, scanSources } from '../shared/wiring/adapters.js';
import { loadConfig } from '../shared/config.js';
import { DEFAULT_POLICY } from '../shared/domain/policy.js';
import { runScan } from '../shared/scan/runScan.js';

const DAY_MS = 86_400_000;

/**
 * Gives a fresh demo store a past to show: the demo fleet as it stood 14 and 7 days ago (its
 * certificates dated relative to then), scanned at those times. Only for an empty store, so that a
 * second `npm start` against the same Azurite does not invent a second past.
 */
export async function seedDemoHistory(options: { storage: string; tls: DevTls; now: Date; daysAgo?: number[] }): Promise<number> {
  const store = await openComplianceStore(loadConfig({ COMPLIANCE_STORAGE: options.storage }));
  if (await store.hasScans()) return 0;
  let seeded = 0;
  for (const days of options.daysAgo ?? [14, 7]) {
    const then = new Date(options.now.getTime() - days * DAY_MS);
    const simulator = await startArmSimulator({ fleet: await buildDemoFleet({ now: then }), tls: options.tls, throttle: false });
    try {
      const config = loadConfig({
        COMPLIANCE_STORAGE: options.storage, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: DEMO_TOKEN,
        APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`,
      });
      const { storeError } = await runScan(
        { policy: DEFAULT_POLICY },
        { ...scanSources(config), store, now: () => then },
      );
      if (storeError) throw storeError;
      seeded++;
    } finally {
      await simulator.close();
    }
  }
  return seeded;
}
