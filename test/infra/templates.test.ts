import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bicepFiles, declaredParams, infraDir, localModulePaths, moduleCalls, readInfra, registryModules, repositoryRoot, requiredParams, withoutComments } from './bicep.js';

/** The least-privilege roles (infra/roles/): defined once from rbac.bicep, then granted at each monitored subscription. */
const COMPLIANCE_ROLES_MODULE = '../roles/complianceRoles.bicep';
const COMPLIANCE_GRANT_MODULE = '../roles/complianceRoleGrant.bicep';

describe('azure.yaml', () => {
  const manifest = parse(readFileSync(join(repositoryRoot, 'azure.yaml'), 'utf8')) as {
    name?: string;
    services?: Record<string, { project?: string; language?: string; host?: string }>;
    hooks?: Record<string, Record<string, { shell?: string; run?: string }>>;
  };

  it('deploys the repository root as the TypeScript Functions service api', () => {
    expect(manifest.name).toBe('aks-cert-compliance');
    expect(manifest.services?.['api']).toMatchObject({ project: '.', language: 'ts', host: 'function' });
  });

  it('runs a postdeploy hook on posix (sh) and windows (pwsh) whose scripts exist', () => {
    const hook = manifest.hooks?.['postdeploy'];
    expect(hook?.['posix']?.shell).toBe('sh');
    expect(hook?.['windows']?.shell).toBe('pwsh');
    for (const run of [hook?.['posix']?.run, hook?.['windows']?.run]) {
      expect(run).toMatch(/^\.\/infra\/hooks\/postdeploy\.(sh|ps1)$/);
      expect(existsSync(join(repositoryRoot, run!)), run).toBe(true);
    }
  });
});

describe('infra/main.parameters.json', () => {
  const parameters = Object.keys((JSON.parse(readInfra('main.parameters.json')) as { parameters: Record<string, unknown> }).parameters);

  it('gives only parameters main.bicep declares', () => {
    const declared = new Set(declaredParams(readInfra('main.bicep')));
    expect(parameters.length).toBeGreaterThan(0);
    expect(parameters.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('takes the environment name and location from azd', () => {
    const values = (JSON.parse(readInfra('main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;
    expect(values['environmentName']?.value).toBe('${AZURE_ENV_NAME}');
    expect(values['location']?.value).toBe('${AZURE_LOCATION}');
  });
});

describe('infra/*.bicep', () => {
  const files = bicepFiles();

  it('deploys main.bicep at subscription scope', () => {
    expect(readInfra('main.bicep')).toMatch(/^targetScope = 'subscription'$/m);
  });

  it('references only module files that exist', () => {
    const missing = files.flatMap((file) =>
      localModulePaths(readInfra(file))
        .map((path) => join(dirname(join(infraDir, file)), path))
        .filter((path) => !existsSync(path))
        .map((path) => `${file} -> ${path.slice(infraDir.length + 1)}`),
    );
    expect(missing).toEqual([]);
  });

  it('defines the compliance roles once, assignable at every monitored subscription, and grants one at each, from rbac.bicep', () => {
    const rbac = withoutComments(readInfra('app/rbac.bicep'));
    expect(localModulePaths(rbac)).toEqual(expect.arrayContaining([COMPLIANCE_ROLES_MODULE, COMPLIANCE_GRANT_MODULE]));
    // A role name is unique in the tenant: one definition, never one per subscription.
    expect(rbac).toMatch(new RegExp(`^module \\w+ '${COMPLIANCE_ROLES_MODULE.replace(/[./]/g, '\\$&')}' = \\{\\n\\s+name: [^\\n]+\\n\\s+scope: subscription\\(\\)\\n`, 'm'));
    expect(rbac).toContain('assignableSubscriptionIds: monitoredSubscriptionIds');
    expect(rbac).toMatch(new RegExp(`^module \\w+ '${COMPLIANCE_GRANT_MODULE.replace(/[./]/g, '\\$&')}' = \\[for subscriptionId in monitoredSubscriptionIds: \\{\\n[^\\n]+\\n\\s+scope: subscription\\(subscriptionId\\)\\n`, 'm'));
    expect(rbac).toContain("roleDefinitionName: scanRoleName == 'operator' ? complianceRoleDefinitions.outputs.operatorRoleDefinitionName : complianceRoleDefinitions.outputs.readerRoleDefinitionName");
  });

  it('makes every role assignment in app/rbac.bicep', () => {
    const assigning = files.filter((file) => /Microsoft\.Authorization\/roleAssignments@/.test(readInfra(file)) || readInfra(file).includes(COMPLIANCE_GRANT_MODULE));
    expect(assigning.filter((file) => file !== join('app', 'rbac.bicep') && !file.startsWith('roles'))).toEqual([]);
  });

  it('passes each local module the params it declares, the required ones included', () => {
    const calls = files.flatMap((file) => moduleCalls(readInfra(file)).map((call) => ({ file, ...call, target: join(dirname(join(infraDir, file)), call.path) })));
    expect(calls.map((call) => call.path).sort()).toEqual(expect.arrayContaining(['./app/api.bicep', 'app/rbac.bicep', COMPLIANCE_ROLES_MODULE, COMPLIANCE_GRANT_MODULE, 'complianceRoleGrant.bicep']));
    const problems = calls
      .filter((call) => existsSync(call.target)) // a missing file is the tests above
      .flatMap((call) => {
        const target = readFileSync(call.target, 'utf8');
        const declared = new Set(declaredParams(target));
        return [
          ...call.params.filter((name) => !declared.has(name)).map((name) => `${call.file} gives ${call.path} the undeclared param ${name}`),
          ...requiredParams(target).filter((name) => !call.params.includes(name)).map((name) => `${call.file} does not give ${call.path} its required param ${name}`),
        ];
      });
    expect(problems).toEqual([]);
  });

  it('pins every registry module by version', () => {
    const modules = files.flatMap((file) => registryModules(readInfra(file)));
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((module) => !/^br\/public:avm\/res\/[a-z-]+\/[a-z-]+:\d+\.\d+\.\d+$/.test(module))).toEqual([]);
  });

  it('uses only the Azure Verified Module versions whose parameters and outputs were read against the templates', () => {
    // Each read at its release tag in Azure/bicep-registry-modules (avm/res/<path>/<version>): a new
    // version is read again (parameter names, types, allowed values, the outputs used) before it is listed.
    const verified = [
      'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1', // f5819aad32eb1cf23b6ce7e4bd5393cf75016c6b
      'br/public:avm/res/web/serverfarm:0.1.1', // 0f9eba44ac1c105bf64901b633099f7a9cb75eaf
      'br/public:avm/res/storage/storage-account:0.8.3', // 6e086ba1bd31e3199954fbead329cf88d621a2ca
      'br/public:avm/res/operational-insights/workspace:0.11.1', // bde8696c73baafa96f4afe05b69c0e49e7a5ec71
      'br/public:avm/res/insights/component:0.6.0', // 3f909897b257ce7f27e49e9460d43d69e6e34481
      'br/public:avm/res/key-vault/vault:0.13.3', // 579eb412504f107edb8b0fbd875764e4cdc256af
      'br/public:avm/res/web/site:0.15.1', // 1ace7f5ebc092cf17af4f822d7807cdd4bddd79a
    ];
    expect([...new Set(files.flatMap((file) => registryModules(readInfra(file))))].sort()).toEqual([...verified].sort());
  });

  it('runs the app on the Node.js major version CI tests (package.json engines)', () => {
    const engines = (JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(readInfra('main.bicep')).toMatch(new RegExp(`runtimeVersion: '${/\d+/.exec(engines)![0]}'`));
  });

  it('runs the app on Flex Consumption (FC1), Node 20, with storage reached by identity only', () => {
    const main = readInfra('main.bicep');
    expect(main).toMatch(/name: 'FC1'/);
    expect(main).toMatch(/runtimeVersion: '20'/);
    expect(main).toMatch(/allowSharedKeyAccess: false/);
    expect(main).toMatch(/disableLocalAuth: true/);
  });
});
