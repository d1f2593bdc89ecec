import { describe, expect, it } from 'vitest';
import { createApiServerProbe } from '../../../shared/wiring/adapters.js';
import { loadConfig } from '../../../shared/config.js';

const probes = (settings: Record<string, string>, armEndpoint?: string) => createApiServerProbe(loadConfig(settings), { armEndpoint }) !== undefined;

describe('createApiServerProbe', () => {
  it('probes by default against the cloud\'s own Resource Manager', () => {
    expect(probes({})).toBe(true);
    expect(probes({ AZURE_CLOUD: 'AzureChinaCloud' })).toBe(true);
  });

  it('does not probe the made-up FQDNs of another ARM endpoint, unless told where its API servers are', () => {
    expect(probes({}, 'https://127.0.0.1:8443')).toBe(false);
    expect(probes({ ARM_ENDPOINT: 'https://127.0.0.1:8443' })).toBe(false);
    expect(probes({ APISERVER_CONNECT_TO: '127.0.0.1:9443' }, 'https://127.0.0.1:8443')).toBe(true);
  });

  it('follows an explicit on or off', () => {
    expect(probes({ APISERVER_PROBE: 'on' }, 'https://127.0.0.1:8443')).toBe(true);
    expect(probes({ APISERVER_PROBE: 'off' })).toBe(false);
  });
});
