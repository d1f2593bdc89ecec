import type { SimulatedFleet } from './armSimulator/fleet.js';
import { startArmSimulator } from './armSimulator/server.js';
import type { DevTls } from './devTls.js';
import { DEMO_TOKEN } from './demoEnvironment.js';
import { fleetAsOf } from './fleetAsOf.js';
import { openComplianceStore, scanSources } from '../shared/wiring/adapters.js';
import { loadConfig } from '../shared/config.js';
import { DEFAULT_POLICY } from '../shared/domain/policy.js';
import { DAY_MS } from '../shared/domain/time.js';
import { runScan } from '../shared/scan/runScan.js';

export interface SeedDemoHistoryOptions {
  storage: string;
  tls: DevTls;
  now: Date;
  /** The fleet the demo scans now (as built): its certificates are the ones scanned at past instants. */
  fleet: SimulatedFleet;
  daysAgo?: number[];
}

/**
 * Gives a fresh demo store a past to show: the demo fleet's own certificates, scanned as they stood
 * 14 and 7 days ago (each scan judging at that instant), so that serials and dates stay what they
 * are and the verdicts of the past differ only because time does: ages and days since rotation are
 * 14 and 7 days less, expiries further away. Clusters created or rotated after an instant are absent
 * from its scan (see fleetAsOf.ts): their earlier certificates do not exist to be scanned.
 *
 * Only for an empty store, so that a second `npm start` against the same Azurite does not invent a
 * second past.
 */
export async function seedDemoHistory(options: SeedDemoHistoryOptions): Promise<number> {
  const store = await openComplianceStore(loadConfig({ COMPLIANCE_STORAGE: options.storage }));
  if (await store.hasScans()) return 0;
  const { fleet } = options;
  let seeded = 0;
  for (const days of [...(options.daysAgo ?? [14, 7])].sort((a, b) => b - a)) {
    const then = new Date(options.now.getTime() - days * DAY_MS);
    const simulator = await startArmSimulator({ fleet: fleetAsOf(fleet, then), tls: options.tls, throttle: false });
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
