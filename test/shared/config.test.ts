import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { ConfigError } from '../../shared/domain/errors.js';

describe('loadConfig', () => {
  it.each([[''], ['   ']])('refuses an AZURE_STATIC_TOKEN that is set but empty (%j), naming the setting', (token) => {
    expect(() => loadConfig({ AZURE_STATIC_TOKEN: token })).toThrow(ConfigError);
    expect(() => loadConfig({ AZURE_STATIC_TOKEN: token })).toThrow(/^invalid configuration: AZURE_STATIC_TOKEN: is set but empty/);
  });

  it('takes a static token as given, and no token when the setting is absent', () => {
    expect(loadConfig({ AZURE_STATIC_TOKEN: 'a-token' }).AZURE_STATIC_TOKEN).toBe('a-token');
    expect(loadConfig({}).AZURE_STATIC_TOKEN).toBeUndefined();
  });

  it('still counts an empty value of the other settings as unset: their defaults apply', () => {
    const empty = Object.fromEntries(
      ['COMPLIANCE_STORAGE', 'AZURE_SUBSCRIPTION_IDS', 'AZURE_CLOUD', 'ARM_ENDPOINT', 'SCAN_SCHEDULE', 'POLICY_FILE', 'POLICY_JSON',
        'SCAN_CONCURRENCY', 'RESCAN_DEBOUNCE_SECONDS', 'APISERVER_PROBE', 'APISERVER_CONNECT_TO'].map((name) => [name, '']),
    );
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });
});
