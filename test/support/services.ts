import type { ArmSimulator } from '../../dev/armSimulator/server.js';
import { startAzurite, type RunningAzurite } from '../../dev/azurite.js';
import { loadConfig } from '../../shared/config.js';
import { createServices, type Services } from '../../shared/wiring/services.js';
import { TEST_TOKEN } from './environment.js';

/** The services the Functions share, wired to a simulator and a fresh Azurite, as the app settings would. */
export async function servicesFor(simulator: ArmSimulator, settings: Record<string, string> = {}): Promise<{ services: Services; azurite: RunningAzurite }> {
  const azurite = await startAzurite();
  const config = loadConfig({
    COMPLIANCE_STORAGE: azurite.connectionString,
    ARM_ENDPOINT: simulator.url,
    AZURE_STATIC_TOKEN: TEST_TOKEN,
    APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}`,
    ...settings,
  });
  return { services: createServices(config), azurite };
}
