import { describe, expect, it } from 'vitest';
import { CONFIG_SETTING_NAMES, loadConfig, STORAGE_SERVICE_URI } from '../../shared/config.js';
import { objectKeys, readInfra, varBlock } from './bicep.js';

/**
 * Never set by the templates: empty is an error for both (shared/config.ts EMPTY_IS_AN_ERROR), and
 * neither belongs on a deployed app (a static token would bypass the managed identity; the local
 * host's master key is not the Functions host's).
 */
const LOCAL_ONLY = ['AZURE_STATIC_TOKEN', 'LOCAL_HOST_MASTER_KEY'];

const main = readInfra('main.bicep');
const api = readInfra('app/api.bicep');
const keyVaultSettings = [...varBlock(main, 'keyVaultSettings').matchAll(/setting: '([A-Z0-9_]+)'/g)].map((m) => m[1]!);
/** Every app setting name the templates set: main.bicep's appSettings, the Key Vault references, api.bicep's connections. */
const settingNames = new Set([...objectKeys(varBlock(main, 'appSettings')), ...keyVaultSettings, ...objectKeys(varBlock(api, 'connectionSettings'))]);
/** A setting as the templates give it: COMPLIANCE_STORAGE in the host's identity-based form, the others by name. */
const isSet = (name: string) => settingNames.has(name === 'COMPLIANCE_STORAGE' ? STORAGE_SERVICE_URI : name);

describe('the app settings of infra/', () => {
  it('set every setting loadConfig reads, except the local-only ones', () => {
    expect(CONFIG_SETTING_NAMES.length).toBeGreaterThan(20);
    expect(CONFIG_SETTING_NAMES.filter((name) => !LOCAL_ONLY.includes(name) && !isSet(name))).toEqual([]);
  });

  it('never set the local-only settings, whose empty value is an error', () => {
    expect(LOCAL_ONLY.every((name) => CONFIG_SETTING_NAMES.includes(name as (typeof CONFIG_SETTING_NAMES)[number]))).toBe(true);
    expect([...settingNames].filter((name) => LOCAL_ONLY.includes(name))).toEqual([]);
  });

  it('keep the alert channels\' secrets in the Key Vault, never as plain values', () => {
    expect(keyVaultSettings.sort()).toEqual(
      ['ALERT_EVENTGRID_TOPIC_KEY', 'ALERT_PAGERDUTY_ROUTING_KEY', 'ALERT_SLACK_WEBHOOK_URL', 'ALERT_TEAMS_WEBHOOK_URL', 'ALERT_WEBHOOK_SECRET', 'ALERT_WEBHOOK_URL'],
    );
    const plain = objectKeys(varBlock(main, 'appSettings'));
    expect(plain.filter((name) => keyVaultSettings.includes(name))).toEqual([]);
    expect(main).toContain("'@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${s.secret}/)'");
  });

  it('reach the compliance store by its account URL with the managed identity, for the code and the queue triggers', () => {
    for (const name of [STORAGE_SERVICE_URI, 'COMPLIANCE_STORAGE__queueServiceUri', 'COMPLIANCE_STORAGE__credential', 'COMPLIANCE_STORAGE__clientId', 'AzureWebJobsStorage__credential', 'AzureWebJobsStorage__blobServiceUri', 'AZURE_CLIENT_ID', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING']) {
      expect(settingNames.has(name), name).toBe(true);
    }
    expect(api).toMatch(/^\s+COMPLIANCE_STORAGE__tableServiceUri: stg\.properties\.primaryEndpoints\.table$/m);
    // No plain value beside the identity-based form: the host would take it for a connection string.
    expect(settingNames.has('COMPLIANCE_STORAGE')).toBe(false);
    // What the templates set is what the code reads: the account URL, with the managed identity.
    const config = loadConfig({ [STORAGE_SERVICE_URI]: 'https://stcompliance.table.core.windows.net/', COMPLIANCE_STORAGE__queueServiceUri: 'https://stcompliance.queue.core.windows.net/' });
    expect(config.COMPLIANCE_STORAGE).toEqual({ kind: 'accountUrl', tableEndpoint: 'https://stcompliance.table.core.windows.net', queueEndpoint: 'https://stcompliance.queue.core.windows.net' });
  });

  it('give each default loadConfig would take', () => {
    // A wrong literal default in the Bicep would change behaviour silently: compare with the schema's.
    const literal = (name: string) => new RegExp(`^\\s+${name}: '([^']*)'$`, 'm').exec(varBlock(main, 'appSettings'))?.[1];
    const defaults = loadConfig({}) as Record<string, unknown>;
    for (const name of ['SCAN_SCHEDULE', 'SCAN_CONCURRENCY', 'RESCAN_DEBOUNCE_SECONDS', 'APISERVER_PROBE', 'ROTATION_ACTOR', 'ALERT_PAGERDUTY_URL', 'ALERT_MIN_SEVERITY', 'ALERT_REPEAT_HOURS']) {
      expect(literal(name), name).toBe(String(defaults[name]));
    }
  });
});
