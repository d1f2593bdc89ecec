import { inject } from 'vitest';
import { startArmSimulator, type ArmSimulator, type ArmSimulatorOptions } from '../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../dev/armSimulator/fleet.js';
import { startAzurite, type RunningAzurite } from '../../dev/azurite.js';
import { TlsApiServerProbe } from '../../shared/azure/apiServerProbe.js';
import { ArmClients } from '../../shared/azure/armClients.js';
import { ArcFleet } from '../../shared/azure/arcFleet.js';
import { ArmFleet } from '../../shared/azure/armFleet.js';
import { armTarget } from '../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../shared/azure/credential.js';
import { ResourceGraphFleet } from '../../shared/azure/resourceGraphFleet.js';
import type { RetryOptions } from '../../shared/azure/retry.js';
import { ArmVersionSupport, RegionVersionCache } from '../../shared/azure/versionSupport.js';
import { TableClient } from '@azure/data-tables';
import { PlatformFleet } from '../../shared/wiring/platformFleet.js';
import { ComplianceStore, complianceTables, type ComplianceTables } from '../../shared/store/complianceStore.js';

export const TEST_TOKEN = 'test-static-token';

/** The ARM simulator on a free port, with the dev certificate the test workers trust. */
export function simulatorFor(fleet: SimulatedFleet, options: Partial<ArmSimulatorOptions> = {}): Promise<ArmSimulator> {
  const tls = inject('devTls');
  return startArmSimulator({ fleet, tls: { certPem: tls.certPem, keyPem: tls.keyPem }, ...options });
}

/** The real ARM adapter, through the real SDKs, pointed at a simulator. */
export function fleetReaderFor(simulator: ArmSimulator, retry?: RetryOptions): ArmFleet {
  const target = armTarget('AzureCloud', simulator.url);
  return new ArmFleet(new ArmClients(target, new StaticTokenCredential(TEST_TOKEN)), retry);
}

/** AKS and AKS enabled by Azure Arc as the product reads them (wiring/adapters.ts): one set of clients, pointed at a simulator. */
export function platformFleetFor(simulator: ArmSimulator, retry?: RetryOptions): PlatformFleet {
  const clients = new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN));
  return new PlatformFleet(new ArmFleet(clients, retry), new ArcFleet(clients, retry));
}

/** The version-support source through the real SDK to the simulator, with a fresh region cache (one scan's). */
export function versionSupportFor(simulator: ArmSimulator, retry?: RetryOptions): ArmVersionSupport {
  const target = armTarget('AzureCloud', simulator.url);
  return new ArmVersionSupport(new ArmClients(target, new StaticTokenCredential(TEST_TOKEN)), new RegionVersionCache(), retry);
}

/** Resource Graph discovery through the real SDK, pointed at a simulator (its own clients: its own quota). */
export function resourceGraphFor(simulator: ArmSimulator, retry?: RetryOptions): ResourceGraphFleet {
  const target = armTarget('AzureCloud', simulator.url);
  return new ResourceGraphFleet(new ArmClients(target, new StaticTokenCredential(TEST_TOKEN)), retry);
}

/** The real TLS probe, pointed at the simulator's API-server endpoint (SNI picks the cluster). */
export function apiServerProbeFor(simulator: ArmSimulator): TlsApiServerProbe {
  return new TlsApiServerProbe({ connectTo: { host: '127.0.0.1', port: simulator.apiServer.port }, timeoutMs: 5_000 });
}

/** The trail's tables in an Azurite, as the SDK clients tests read (and tamper with) directly. */
export function azuriteTables(connectionString: string): ComplianceTables {
  return complianceTables((name) => TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true }));
}

/** Azurite, the store writing to it, and its tables. */
export async function azuriteStore(): Promise<{ azurite: RunningAzurite; store: ComplianceStore; tables: ComplianceTables }> {
  const azurite = await startAzurite();
  const tables = azuriteTables(azurite.connectionString);
  return { azurite, store: await ComplianceStore.open(tables), tables };
}

/** Every entity of every compliance table, as JSON text: what a leak search reads. */
export async function allStoredText(tables: ComplianceTables): Promise<string> {
  const chunks: string[] = [];
  for (const table of Object.values(tables)) {
    for await (const entity of table.listEntities()) chunks.push(JSON.stringify(entity));
  }
  return chunks.join('\n');
}
