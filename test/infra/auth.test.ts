import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredParams, infraDir, localModulePaths, readInfra, withoutComments } from './bicep.js';

const AUTH_MODULE = './app/auth.bicep';

/** The `module <name> '<path>' ...` line of main.bicep that calls the auth module. */
function authModuleLine(main: string): string {
  const line = withoutComments(main).split('\n').find((l) => new RegExp(`^module\\s+\\w+\\s+'${AUTH_MODULE.replace(/[./]/g, '\\$&')}'`).test(l));
  if (!line) throw new Error(`main.bicep does not call ${AUTH_MODULE}`);
  return line;
}

describe('infra/app/auth.bicep (App Service Authentication on the API)', () => {
  const auth = withoutComments(readInfra(join('app', 'auth.bicep')));

  it('is a module of its own, called from main.bicep', () => {
    expect(existsSync(join(infraDir, 'app', 'auth.bicep'))).toBe(true);
    expect(localModulePaths(readInfra('main.bicep'))).toContain(AUTH_MODULE);
  });

  it('is deployed only when the app registration client id is given, so azd up works without one', () => {
    const main = readInfra('main.bicep');
    expect(declaredParams(main)).toEqual(expect.arrayContaining(['apiAuthClientId', 'apiAuthTenantId']));
    expect(main).toMatch(/^param apiAuthClientId string = ''$/m);
    expect(authModuleLine(main)).toMatch(/= if \(!empty\(apiAuthClientId\)\) \{$/);
  });

  it('takes the client id and tenant from the azd environment', () => {
    const values = (JSON.parse(readInfra('main.parameters.json')) as { parameters: Record<string, { value: string }> }).parameters;
    expect(values['apiAuthClientId']?.value).toBe('${API_AUTH_CLIENT_ID}');
    expect(values['apiAuthTenantId']?.value).toBe('${API_AUTH_TENANT_ID}');
  });

  it('configures Easy Auth v2 with the Entra ID provider for that client id', () => {
    expect(auth).toMatch(/'Microsoft\.Web\/sites\/config@\d{4}-\d{2}-\d{2}'/);
    expect(auth).toMatch(/name: 'authsettingsV2'/);
    expect(auth).toMatch(/azureActiveDirectory: \{\s+enabled: true/);
    expect(auth).toMatch(/clientId: clientId/);
    expect(auth).toContain("'api://${clientId}'");
  });

  it('requires authentication and answers 401 to an unauthenticated call', () => {
    expect(auth).toMatch(/requireAuthentication: true/);
    expect(auth).toMatch(/unauthenticatedClientAction: 'Return401'/);
  });

  it('excludes only the Event Grid webhook, which cannot sign in', () => {
    const excluded = /excludedPaths: \[\n([\s\S]*?)\]/.exec(auth)?.[1];
    expect(excluded?.split('\n').map((l) => l.trim()).filter(Boolean)).toEqual(["'/runtime/webhooks/eventgrid'"]);
  });

  it('keeps the function keys: the API routes stay authLevel function', () => {
    expect(readInfra(join('..', 'functions', 'auditApi.ts'))).toMatch(/authLevel: 'function'/);
  });
});
