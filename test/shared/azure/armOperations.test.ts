/**
 * The declaration of the ARM operations (shared/azure/armOperations.ts) against the code that calls
 * them: every `<operation group>.<method>` of the SDK clients that the product's sources name must be
 * declared with its actions, and every declared action must be needed by a call the code makes. The
 * operation groups and their methods are read from the real SDK clients the product builds
 * (ArmClients), so a call through any group of either client is found, not only the ones used today.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArmClients } from '../../../shared/azure/armClients.js';
import {
  ARM_SDK_PACKAGES,
  NODE_PROBE_ACTIONS,
  NODE_PROBER_ACTIONS,
  OPERATOR_ACTIONS,
  READER_ACTIONS,
  REST_CALL_ACTIONS,
  ROTATION_ACTIONS,
  SCAN_ACTIONS,
  SDK_CALL_ACTIONS,
  USER_CREDENTIAL_FALLBACK_ACTIONS,
} from '../../../shared/azure/armOperations.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';

const root = join(__dirname, '..', '..', '..');

function sourcesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const path = relative(root, join(entry.parentPath, entry.name));
      return { path, text: readFileSync(join(root, path), 'utf8') };
    });
}

const productSources = [...sourcesUnder('shared'), ...sourcesUnder('functions')];

/** `group -> its methods`, from the SDK clients as ArmClients builds them (nothing is sent). */
async function sdkOperationGroups(): Promise<Map<string, Set<string>>> {
  const clients = new ArmClients(armTarget('AzureCloud'), new StaticTokenCredential('never-sent'));
  const groups = new Map<string, Set<string>>();
  for (const client of [clients.subscriptions(), clients.containerServiceFor('00000000-0000-0000-0000-000000000000'), await clients.computeFor('00000000-0000-0000-0000-000000000000')]) {
    for (const [name, value] of Object.entries(client)) {
      if (typeof value !== 'object' || value === null || name.startsWith('_') || name === 'pipeline') continue;
      // Class-based groups (SubscriptionClient) carry methods on the prototype, newer ones as own functions.
      const names = [...Object.getOwnPropertyNames(value), ...Object.getOwnPropertyNames(Object.getPrototypeOf(value))];
      const methods = new Set(names.filter((m) => m !== 'constructor' && !m.startsWith('_') && typeof (value as Record<string, unknown>)[m] === 'function'));
      if (methods.size > 0) groups.set(name, new Set([...(groups.get(name) ?? []), ...methods]));
    }
  }
  // Resource Graph's client carries its operations itself; the product calls them on `resourceGraph`.
  const resourceGraph = clients.resourceGraph();
  const ownMethods = Object.getOwnPropertyNames(Object.getPrototypeOf(resourceGraph)).filter((m) => m !== 'constructor' && typeof (resourceGraph as unknown as Record<string, unknown>)[m] === 'function');
  groups.set('resourceGraph', new Set(ownMethods));
  return groups;
}

// The Compute client is built on first use (its SDK loads then): the groups are read once, before the tests.
let SDK_GROUPS: Map<string, Set<string>>;
beforeAll(async () => {
  SDK_GROUPS = await sdkOperationGroups();
});

/** Every `<group>.<method>` of the SDK that the product's sources name, with the files naming it. */
function sdkCallsInSources(): Map<string, string[]> {
  const groups = SDK_GROUPS;
  const calls = new Map<string, string[]>();
  for (const { path, text } of productSources) {
    for (const match of text.matchAll(/\b([a-zA-Z]+)\.([a-zA-Z]+)\b/g)) {
      const [, group, method] = match as unknown as [string, string, string];
      if (!groups.get(group)?.has(method)) continue;
      const call = `${group}.${method}`;
      calls.set(call, [...new Set([...(calls.get(call) ?? []), path])]);
    }
  }
  return calls;
}

/** Every REST call (`REST_CALL_ACTIONS`, named where it is made) that the product's sources make, with the files making it. */
function restCallsInSources(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  for (const { path, text } of productSources) {
    if (path.endsWith('armOperations.ts')) continue;
    for (const match of text.matchAll(/\barm(?:Get|Pages|LongRunningPost)\(\w+, '([a-zA-Z]+\.[a-zA-Z]+)'/g)) {
      calls.set(match[1]!, [...new Set([...(calls.get(match[1]!) ?? []), path])]);
    }
  }
  return calls;
}

describe('the declared ARM operations', () => {
  it('reads the SDK operation groups the product can call through (the scan would find nothing without them)', () => {
    const groups = SDK_GROUPS;
    expect(groups.get('managedClusters')).toContain('listClusterMonitoringUserCredentials');
    expect(groups.get('maintenanceConfigurations')).toContain('listByManagedCluster');
    expect(groups.get('subscriptions')).toContain('list');
  });

  it('declare every SDK call the product makes, with the actions it needs', () => {
    const calls = sdkCallsInSources();
    const undeclared = [...calls].filter(([call]) => !(call in SDK_CALL_ACTIONS)).map(([call, files]) => `${call} (${files.join(', ')})`);
    expect(undeclared).toEqual([]);
    expect([...calls.keys()].sort()).toEqual(Object.keys(SDK_CALL_ACTIONS).sort());
  });

  it('declare every REST call the product makes without an SDK, and nothing it does not make', () => {
    const calls = restCallsInSources();
    expect([...calls.keys()].sort()).toEqual(Object.keys(REST_CALL_ACTIONS).sort());
    expect(calls.get('provisionedClusterInstances.listUserKubeconfig')).toEqual(['shared/azure/arcFleet.ts']);
  });

  it('grant nothing no call needs: each action of the roles is needed by a call in the code', () => {
    const restNeeded = [...restCallsInSources().keys()].flatMap((call) => REST_CALL_ACTIONS[call as keyof typeof REST_CALL_ACTIONS] ?? []);
    const needed = new Set([...[...sdkCallsInSources().keys()].flatMap((call) => SDK_CALL_ACTIONS[call] ?? []), ...restNeeded]);
    const declared = [...SCAN_ACTIONS, ...USER_CREDENTIAL_FALLBACK_ACTIONS, ...ROTATION_ACTIONS, ...NODE_PROBE_ACTIONS];
    expect(declared.filter((action) => !needed.has(action))).toEqual([]);
    expect([...needed].filter((action) => !(declared as string[]).includes(action))).toEqual([]);
  });

  it('name every ARM SDK package the product imports', () => {
    const imported = new Set(productSources.flatMap(({ text }) => [...text.matchAll(/from '(@azure\/arm-[^']+)'/g)].map((m) => m[1]!)));
    expect([...imported].sort()).toEqual([...ARM_SDK_PACKAGES].sort());
  });

  it('make the operator the reader plus rotation, and the reader the scan without its optional fall-back', () => {
    expect(READER_ACTIONS).toEqual([...SCAN_ACTIONS]);
    expect(OPERATOR_ACTIONS).toEqual([...SCAN_ACTIONS, ...ROTATION_ACTIONS]);
    expect(READER_ACTIONS).not.toContain('Microsoft.ContainerService/managedClusters/rotateClusterCertificates/action');
  });

  it('keep run-command out of the Reader and the Operator: the node probe has its own role, the node prober', () => {
    expect(NODE_PROBER_ACTIONS).toEqual([...NODE_PROBE_ACTIONS]);
    expect([...READER_ACTIONS, ...OPERATOR_ACTIONS].filter((action) => action.startsWith('Microsoft.Compute/'))).toEqual([]);
    expect(SDK_GROUPS.get('virtualMachineScaleSetVMs')).toContain('runCommand');
  });

  it('never include the cluster admin credential, neither declared nor called by the ARM adapters', () => {
    const declared = [...SCAN_ACTIONS, ...USER_CREDENTIAL_FALLBACK_ACTIONS, ...ROTATION_ACTIONS, ...NODE_PROBE_ACTIONS, ...Object.values(SDK_CALL_ACTIONS).flat(), ...Object.values(REST_CALL_ACTIONS).flat()];
    expect(declared.filter((action) => /admin/i.test(action))).toEqual([]);
    const callers = sourcesUnder(join('shared', 'azure')).filter(({ text }) => /listClusterAdminCredential/i.test(text));
    expect(callers.map(({ path }) => path)).toEqual([]);
    expect([...sdkCallsInSources().keys()].filter((call) => /admin/i.test(call))).toEqual([]);
  });
});
