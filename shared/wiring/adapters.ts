import { readFile } from 'node:fs/promises';
import { ArmClients } from '../azure/armClients.js';
import { TlsApiServerProbe } from '../azure/apiServerProbe.js';
import { ArmFleet } from '../azure/armFleet.js';
import { armTarget, type CloudName } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import type { Config } from '../config.js';
import { DEFAULT_POLICY, parsePolicyJson, PolicyError, type Policy } from '../domain/policy.js';
import { ComplianceStore } from '../store/complianceStore.js';
import { scanConcurrency } from '../scan/runScan.js';
import { storageTarget, type StorageTarget } from './storageTarget.js';

/** The wiring of real adapters from configuration: the one place that knows which adapter serves which port. */
export interface ArmOverrides {
  cloud?: CloudName;
  armEndpoint?: string;
}

export function createFleetReader(config: Config, overrides: ArmOverrides = {}): ArmFleet {
  const target = armTarget(overrides.cloud ?? config.AZURE_CLOUD, overrides.armEndpoint ?? config.ARM_ENDPOINT);
  return new ArmFleet(new ArmClients(target, createArmCredential(target, config.AZURE_STATIC_TOKEN)));
}

export function createApiServerProbe(config: Config, overrides: ArmOverrides = {}): TlsApiServerProbe | undefined {
  const customArm = (overrides.armEndpoint ?? config.ARM_ENDPOINT) !== undefined;
  const probe = config.APISERVER_PROBE === 'auto' ? !customArm || config.APISERVER_CONNECT_TO !== undefined : config.APISERVER_PROBE === 'on';
  return probe ? new TlsApiServerProbe({ connectTo: config.APISERVER_CONNECT_TO }) : undefined;
}

/** COMPLIANCE_STORAGE: a connection string, or an account URL reached with the managed identity (never the static ARM token). */
export function complianceStorage(config: Config): StorageTarget {
  return storageTarget(config.COMPLIANCE_STORAGE, () => createArmCredential(armTarget(config.AZURE_CLOUD, config.ARM_ENDPOINT)));
}

export async function openComplianceStore(config: Config): Promise<ComplianceStore> {
  return ComplianceStore.open(complianceStorage(config));
}

/** The policy from `--policy` or POLICY_FILE, else POLICY_JSON, else the defaults. */
export async function loadPolicy(config: Config, policyFile = config.POLICY_FILE): Promise<Policy> {
  if (policyFile) {
    let text: string;
    try {
      text = await readFile(policyFile, 'utf8');
    } catch (error) {
      throw new PolicyError(`policy file ${policyFile}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return parsePolicyJson(text, `policy file ${policyFile}`);
  }
  if (config.POLICY_JSON) return parsePolicyJson(config.POLICY_JSON, 'POLICY_JSON');
  return DEFAULT_POLICY;
}

/** What every scan reads through, from configuration: ARM, the API-server probe, and how many calls at once. */
export function scanSources(config: Config, overrides: ArmOverrides = {}) {
  return {
    fleet: createFleetReader(config, overrides),
    apiServerProbe: createApiServerProbe(config, overrides),
    concurrency: scanConcurrency(config.SCAN_CONCURRENCY),
  };
}
