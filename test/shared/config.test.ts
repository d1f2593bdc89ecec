import { describe, expect, it } from 'vitest';
import { configuredAlertChannels, loadConfig, PAGERDUTY_EVENTS_URL } from '../../shared/config.js';
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

describe('alert settings', () => {
  it('are off by default: no channel, warnings alert, reminders every 24 hours, PagerDuty at its public endpoint', () => {
    const config = loadConfig({});
    expect(configuredAlertChannels(config)).toEqual([]);
    expect(config).toMatchObject({ ALERT_MIN_SEVERITY: 'warning', ALERT_REPEAT_HOURS: 24, ALERT_PAGERDUTY_URL: PAGERDUTY_EVENTS_URL });
    expect(config.DASHBOARD_URL).toBeUndefined();
  });

  it('turn on each channel whose settings are given, named but never described by URL or key', () => {
    const config = loadConfig({
      ALERT_PAGERDUTY_ROUTING_KEY: 'R0UTINGKEY0123456789abcdef012345',
      ALERT_TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/workflows/abc?sig=secret-signature',
      ALERT_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET',
      ALERT_EVENTGRID_TOPIC_ENDPOINT: 'https://topic.westeurope-1.eventgrid.azure.net/api/events',
      ALERT_WEBHOOK_URL: 'http://127.0.0.1:9999/hook',
      ALERT_WEBHOOK_SECRET: 'a-webhook-secret',
      ALERT_MIN_SEVERITY: 'violation',
      ALERT_REPEAT_HOURS: '0.5',
      DASHBOARD_URL: 'https://app.azurewebsites.net/api/dashboard/',
    });
    expect(configuredAlertChannels(config)).toEqual(['pagerduty', 'teams', 'slack', 'eventgrid', 'webhook']);
    expect(config).toMatchObject({ ALERT_MIN_SEVERITY: 'violation', ALERT_REPEAT_HOURS: 0.5, DASHBOARD_URL: 'https://app.azurewebsites.net/api/dashboard' });
  });

  it.each(['ALERT_PAGERDUTY_URL', 'ALERT_TEAMS_WEBHOOK_URL', 'ALERT_SLACK_WEBHOOK_URL', 'ALERT_EVENTGRID_TOPIC_ENDPOINT', 'ALERT_WEBHOOK_URL', 'DASHBOARD_URL'])(
    '%s must be https, except to a loopback address; the error names the setting and never repeats the URL', (setting) => {
      for (const url of ['http://hooks.example.com/services/T0/B0/SECRETPATH', 'ftp://127.0.0.1/SECRETPATH', 'not a url SECRETPATH', 'http://10.0.0.1/SECRETPATH']) {
        const message = problemOf({ [setting]: url, ALERT_WEBHOOK_SECRET: 'a-webhook-secret' });
        expect(message).toMatch(new RegExp(`${setting}: must be an https:// URL`));
        expect(message).not.toContain('SECRETPATH');
      }
      for (const url of ['https://hooks.example.com/x', 'http://127.0.0.1:8080/x', 'http://localhost:8080/x', 'http://[::1]:8080/x']) {
        expect(() => loadConfig({ [setting]: url, ALERT_WEBHOOK_SECRET: 'a-webhook-secret', ...(setting === 'ALERT_WEBHOOK_URL' ? {} : { ALERT_WEBHOOK_URL: 'https://h.example/x' }) })).not.toThrow();
      }
    });

  it('refuses a bad severity or repeat interval, naming the setting', () => {
    expect(problemOf({ ALERT_MIN_SEVERITY: 'info' })).toMatch(/ALERT_MIN_SEVERITY: must be warning or violation/);
    expect(problemOf({ ALERT_REPEAT_HOURS: '0' })).toMatch(/ALERT_REPEAT_HOURS: must be more than 0 hours/);
    expect(problemOf({ ALERT_REPEAT_HOURS: 'daily' })).toMatch(/ALERT_REPEAT_HOURS: must be a number of hours/);
    expect(problemOf({ ALERT_REPEAT_HOURS: '1000' })).toMatch(/ALERT_REPEAT_HOURS: must be at most 720 hours/);
  });

  it('refuses a webhook without its secret, a secret without its webhook, and a topic key without its topic, never repeating a key', () => {
    expect(problemOf({ ALERT_WEBHOOK_URL: 'https://h.example/x' })).toMatch(/ALERT_WEBHOOK_URL: needs its secret to sign messages: set ALERT_WEBHOOK_SECRET too/);
    const secret = problemOf({ ALERT_WEBHOOK_SECRET: 'SECRET-VALUE-123' });
    expect(secret).toMatch(/ALERT_WEBHOOK_SECRET: signs the webhook's messages: set ALERT_WEBHOOK_URL too/);
    expect(secret).not.toContain('SECRET-VALUE-123');
    expect(problemOf({ ALERT_EVENTGRID_TOPIC_KEY: 'TOPIC-KEY-VALUE' })).toMatch(/ALERT_EVENTGRID_TOPIC_KEY: is the key of a topic: set ALERT_EVENTGRID_TOPIC_ENDPOINT too/);
    for (const [setting, value] of [['ALERT_PAGERDUTY_ROUTING_KEY', 'Zq7Kx'], ['ALERT_WEBHOOK_SECRET', 'Wv3Jp']] as const) {
      const message = problemOf({ [setting]: value, ALERT_WEBHOOK_URL: 'https://h.example/x' });
      expect(message).toMatch(new RegExp(`${setting}: is too short to be a key`));
      expect(message).not.toContain(value);
    }
  });
});

describe('COMPLIANCE_STORAGE in the Functions host\'s identity-based form', () => {
  it('is read from COMPLIANCE_STORAGE__tableServiceUri when COMPLIANCE_STORAGE itself is not set, and the plain setting wins when both are', () => {
    expect(loadConfig({ COMPLIANCE_STORAGE__tableServiceUri: 'https://stcompliance.table.core.windows.net' }).COMPLIANCE_STORAGE)
      .toEqual({ kind: 'accountUrl', tableEndpoint: 'https://stcompliance.table.core.windows.net', queueEndpoint: 'https://stcompliance.queue.core.windows.net' });
    expect(loadConfig({ COMPLIANCE_STORAGE: 'UseDevelopmentStorage=true', COMPLIANCE_STORAGE__tableServiceUri: 'https://stcompliance.table.core.windows.net' }).COMPLIANCE_STORAGE)
      .toMatchObject({ kind: 'connectionString' });
    expect(problemOf({ COMPLIANCE_STORAGE__tableServiceUri: 'https://example.com/tables' })).toMatch(/COMPLIANCE_STORAGE: is a URL but not a storage account URL/);
  });
});

describe('FULL_REFRESH_HOURS', () => {
  it('carries recorded evidence for 24 hours by default, and takes 0 (never carry) or a number of hours', () => {
    expect(loadConfig({}).FULL_REFRESH_HOURS).toBe(24);
    expect(loadConfig({ FULL_REFRESH_HOURS: '0' }).FULL_REFRESH_HOURS).toBe(0);
    expect(loadConfig({ FULL_REFRESH_HOURS: '1.5' }).FULL_REFRESH_HOURS).toBe(1.5);
  });

  it.each([['-1', /FULL_REFRESH_HOURS: must be 0/], ['721', /FULL_REFRESH_HOURS: must be at most 720 hours/], ['soon', /FULL_REFRESH_HOURS: must be a number of hours/]])('refuses %j, naming the setting', (value, message) => {
    expect(problemOf({ FULL_REFRESH_HOURS: value })).toMatch(message);
  });
});

describe('NODE_PROBE and NODE_PROBE_HOURS', () => {
  it('leave the node probe off, probing every 24 hours when on', () => {
    expect(loadConfig({})).toMatchObject({ NODE_PROBE: 'off', NODE_PROBE_HOURS: 24 });
    expect(loadConfig({ NODE_PROBE: 'on', NODE_PROBE_HOURS: '6' })).toMatchObject({ NODE_PROBE: 'on', NODE_PROBE_HOURS: 6 });
    expect(loadConfig({ NODE_PROBE_HOURS: '720' }).NODE_PROBE_HOURS).toBe(720);
  });

  it('name the setting when its value is wrong', () => {
    expect(problemOf({ NODE_PROBE: 'yes' })).toMatch(/^invalid configuration: NODE_PROBE: must be on or off/);
    expect(problemOf({ NODE_PROBE_HOURS: '0' })).toMatch(/NODE_PROBE_HOURS: must be more than 0 hours/);
    expect(problemOf({ NODE_PROBE_HOURS: 'daily' })).toMatch(/NODE_PROBE_HOURS: must be a number of hours/);
    expect(problemOf({ NODE_PROBE_HOURS: '721' })).toMatch(/NODE_PROBE_HOURS: must be at most 720 hours/);
  });
});
