import { describe, expect, it } from 'vitest';
import { ResourceGraphFleet } from '../../../shared/azure/resourceGraphFleet.js';
import { VmssNodeProbe } from '../../../shared/azure/nodeProbe.js';
import { createApiServerProbe, createFleetDiscovery, scanSources } from '../../../shared/wiring/adapters.js';
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

describe('createFleetDiscovery', () => {
  it('discovers through Resource Graph by default, falling back to the per-subscription listing', () => {
    const discovery = createFleetDiscovery(loadConfig({ AZURE_STATIC_TOKEN: 't' }));
    expect(discovery?.source).toBeInstanceOf(ResourceGraphFleet);
    expect(discovery?.fallBack).toBe(true);
    expect(scanSources(loadConfig({ AZURE_STATIC_TOKEN: 't' })).discovery?.source).toBeInstanceOf(ResourceGraphFleet);
  });

  it('follows DISCOVERY: the graph without fall-back, or the per-subscription listing only', () => {
    expect(createFleetDiscovery(loadConfig({ AZURE_STATIC_TOKEN: 't', DISCOVERY: 'resource-graph' }))?.fallBack).toBe(false);
    expect(createFleetDiscovery(loadConfig({ AZURE_STATIC_TOKEN: 't', DISCOVERY: 'arm' }))).toBeUndefined();
    expect(() => loadConfig({ DISCOVERY: 'graph' })).toThrow(/DISCOVERY/);
  });
});

describe('scanSources: the node probe', () => {
  const sources = (settings: Record<string, string>, overrides: Parameters<typeof scanSources>[1] = {}) =>
    scanSources(loadConfig(settings), overrides).evidenceSources.filter((source) => source instanceof VmssNodeProbe);

  it('is off by default, on with NODE_PROBE=on or --node-probe', () => {
    expect(sources({})).toEqual([]);
    expect(sources({ NODE_PROBE: 'on' })).toEqual([expect.any(VmssNodeProbe)]);
    expect(sources({}, { nodeProbe: true })).toEqual([expect.any(VmssNodeProbe)]);
    expect(sources({ NODE_PROBE: 'on' }, { nodeProbe: false })).toEqual([]);
  });
});
