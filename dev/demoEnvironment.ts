import { join } from 'node:path';
import { startArmSimulator, type ArmSimulator } from './armSimulator/server.js';
import type { SimulatedFleet } from './armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from './azurite.js';
import { buildDemoFleet } from './demoFleet/index.js';
import { ensureDevTls } from './devTls.js';
import { isPortFree } from './freePort.js';

/** The bearer token the demo's ARM simulator accepts (it accepts any; this one names itself). */
export const DEMO_TOKEN = 'demo-static-token-not-a-secret';

export interface DemoEnvironment {
  fleet: SimulatedFleet;
  simulator: ArmSimulator;
  /** Azurite's connection string: COMPLIANCE_STORAGE for the scan. */
  storage: string;
  /** `127.0.0.1:<port>` of the simulator's API-server endpoint: APISERVER_CONNECT_TO for the scan. */
  apiServerAddress: string;
  /** A cluster of the demo fleet whose certificates are over age: the one to rotate in the demo. */
  exampleClusterId: string;
  /** True when an Azurite that was already running is used (it is left running on stop). */
  reusedAzurite: boolean;
  stop(): Promise<void>;
}

export interface DemoEnvironmentOptions {
  /** The folder holding `.dev/tls` (the project root). */
  root: string;
  now?: Date;
  latencyMs?: number;
  /** Azurite's well-known ports (10000-10002) unless told otherwise; 0 picks free ones. */
  azuritePorts?: { blob: number; queue: number; table: number };
  /** Where Azurite keeps the demo's store; default in memory. */
  azuriteLocation?: string;
}

const WELL_KNOWN_PORTS = { blob: 10000, queue: 10001, table: 10002 };
const RUNNING_AZURITE = 'UseDevelopmentStorage=true';

/**
 * The embedded default: Azurite on its usual ports (or the one already running there) and the ARM
 * simulator serving the demo fleet over HTTPS with the dev certificate.
 */
export async function startDemoEnvironment(options: DemoEnvironmentOptions): Promise<DemoEnvironment> {
  const tls = await ensureDevTls(join(options.root, '.dev', 'tls'));
  const ports = options.azuritePorts ?? WELL_KNOWN_PORTS;
  const reuse = ports.table === WELL_KNOWN_PORTS.table && !(await isPortFree(ports.table));
  let azurite: RunningAzurite | undefined;
  if (!reuse) azurite = await startAzurite({ blobPort: ports.blob, queuePort: ports.queue, tablePort: ports.table, location: options.azuriteLocation });
  try {
    // With the nodes the node probe reads: the demo runs with it on.
    const fleet = await buildDemoFleet({ now: options.now ?? new Date(), nodes: true });
    const simulator = await startArmSimulator({ fleet, tls, latencyMs: options.latencyMs ?? 20 });
    return {
      fleet,
      simulator,
      storage: azurite?.connectionString ?? RUNNING_AZURITE,
      apiServerAddress: `127.0.0.1:${simulator.apiServer.port}`,
      exampleClusterId: (fleet.clusters.find((c) => c.expected?.findingCodes.join() === 'CERT_AGE_EXCEEDS_POLICY') ?? fleet.clusters[0]!).resource.id,
      reusedAzurite: reuse,
      async stop() {
        await simulator.close();
        await azurite?.stop();
      },
    };
  } catch (error) {
    await azurite?.stop();
    throw error;
  }
}
