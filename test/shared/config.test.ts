import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { ConfigError } from '../../shared/domain/errors.js';

const problemOf = (settings: Record<string, string>): string => {
  try {
    loadConfig(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the settings');
};

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

describe('LOCAL_HOST_MASTER_KEY', () => {
  it('is unset by default (the local host generates a master key)', () => {
    expect(loadConfig({}).LOCAL_HOST_MASTER_KEY).toBeUndefined();
  });

  it('sets the master key when given', () => {
    expect(loadConfig({ LOCAL_HOST_MASTER_KEY: 'a-master-key-of-the-engineer_01==' }).LOCAL_HOST_MASTER_KEY).toBe('a-master-key-of-the-engineer_01==');
  });

  it('is an error when empty (unlike the other settings, where empty counts as unset), naming it', () => {
    expect(problemOf({ LOCAL_HOST_MASTER_KEY: '' })).toMatch(/^invalid configuration: LOCAL_HOST_MASTER_KEY: is empty/);
    expect(problemOf({ LOCAL_HOST_MASTER_KEY: '   ' })).toMatch(/LOCAL_HOST_MASTER_KEY: is empty/);
  });

  it('refuses a key too short or with characters a URL or a shell would mangle, naming the setting but never echoing the key', () => {
    for (const key of ['short-key', 'a key with spaces in it', 'quote\'s-break-the-curl-line', 'amp&ersand-in-a-query-string']) {
      const message = problemOf({ LOCAL_HOST_MASTER_KEY: key });
      expect(message).toMatch(/LOCAL_HOST_MASTER_KEY: must be 16 to 512 characters/);
      expect(message).not.toContain(key);
    }
  });
});

describe('REMEDIATION and ROTATION_ACTOR', () => {
  it('leave the scheduled scan not acting, and name rotations after the app, by default', () => {
    expect(loadConfig({})).toMatchObject({ REMEDIATION: 'off', ROTATION_ACTOR: 'aks-cert-compliance' });
    expect(loadConfig({ REMEDIATION: 'on', ROTATION_ACTOR: ' ops-bot ' })).toMatchObject({ REMEDIATION: 'on', ROTATION_ACTOR: 'ops-bot' });
  });

  it('refuse a value that is not on or off, naming the setting', () => {
    expect(problemOf({ REMEDIATION: 'yes' })).toMatch(/^invalid configuration: REMEDIATION: /);
  });
});
