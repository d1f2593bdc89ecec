import { describe, expect, it } from 'vitest';
import { toClusterFacts, wireClusterFacts } from '../../../shared/azure/clusterFacts.js';

/** The SDK model of a sanitized live GET managedClusters response (`resourcegroups` lower case, no systemData). */
const liveModel = {
  id: '/subscriptions/azure_subscription_id/resourcegroups/myjstest/providers/Microsoft.ContainerService/managedClusters/myreourcexyz',
  location: 'eastus', name: 'myreourcexyz', type: 'Microsoft.ContainerService/ManagedClusters',
  provisioningState: 'Succeeded', powerState: { code: 'Running' }, kubernetesVersion: '1.23.8', currentKubernetesVersion: '1.23.8',
  fqdn: 'aksjssdk-c6e0e310.hcp.eastus.azmk8s.io', enableRbac: true, securityProfile: {},
  agentPoolProfiles: [{ name: 'aksagent', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.08.10', count: 1 }],
};

describe('toClusterFacts', () => {
  it('reads a live response without systemData and with a lower-case resourcegroups id', () => {
    const facts = toClusterFacts(liveModel);
    expect(facts).toMatchObject({
      subscriptionId: 'azure_subscription_id', resourceGroup: 'myjstest', name: 'myreourcexyz', location: 'eastus',
      enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded', currentKubernetesVersion: '1.23.8',
      agentPools: [{ name: 'aksagent', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.08.10' }],
      customCaTrustCertificates: [], tags: {},
    });
    expect(facts.createdAt).toBeUndefined();
    expect(facts.id).toBe(liveModel.id);
  });

  it('keeps creation dates and custom CA bytes as the SDK gives them', () => {
    const createdAt = new Date('2021-04-01T10:00:00Z');
    const bytes = new Uint8Array([1, 2, 3]);
    const facts = toClusterFacts({ ...liveModel, systemData: { createdAt }, securityProfile: { customCATrustCertificates: [bytes] } });
    expect(facts.createdAt).toEqual(createdAt);
    expect(facts.customCaTrustCertificates).toEqual([bytes]);
  });

  it('names the field when the shape is wrong', () => {
    expect(() => toClusterFacts({ ...liveModel, id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm' }))
      .toThrow(/"id" not a managed cluster resource id/);
    expect(() => toClusterFacts({ ...liveModel, enableRbac: 'yes' })).toThrow(/myreourcexyz: "enableRbac"/);
  });
});

/** The same cluster as it travels on the wire (a GET body, a Resource Graph row): nested, ARM's own names, base64 and ISO text. */
const wireCluster = {
  id: '/subscriptions/azure_subscription_id/resourcegroups/myjstest/providers/Microsoft.ContainerService/managedClusters/myreourcexyz',
  name: 'myreourcexyz', type: 'microsoft.containerservice/managedclusters', location: 'eastus', tags: { team: 'payments' },
  subscriptionId: 'azure_subscription_id', resourceGroup: 'myjstest',
  systemData: { createdAt: '2021-04-01T10:00:00.1234567Z', createdByType: 'User' },
  properties: {
    provisioningState: 'Succeeded', powerState: { code: 'Running' }, kubernetesVersion: '1.23.8', currentKubernetesVersion: '1.23.8',
    fqdn: 'aksjssdk-c6e0e310.hcp.eastus.azmk8s.io', privateFQDN: 'aksjssdk.privatelink.eastus.azmk8s.io', enableRBAC: true, disableLocalAccounts: false,
    securityProfile: { customCATrustCertificates: [Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')] },
    agentPoolProfiles: [
      { name: 'aksagent', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.08.10', count: 1, enableCustomCATrust: true },
      { name: 'win', osType: 'Windows', enableCustomCATrust: false },
    ],
  },
};

describe('wireClusterFacts', () => {
  it('reads the wire shape into the facts the SDK model of the same cluster gives', () => {
    const p = wireCluster.properties;
    const model = {
      id: wireCluster.id, name: wireCluster.name, location: wireCluster.location, tags: wireCluster.tags,
      systemData: { createdAt: new Date(wireCluster.systemData.createdAt) },
      provisioningState: p.provisioningState, powerState: p.powerState, kubernetesVersion: p.kubernetesVersion, currentKubernetesVersion: p.currentKubernetesVersion,
      fqdn: p.fqdn, privateFqdn: p.privateFQDN, enableRbac: true, disableLocalAccounts: false,
      securityProfile: { customCATrustCertificates: [Buffer.from('-----BEGIN CERTIFICATE-----')] },
      agentPoolProfiles: p.agentPoolProfiles.map(({ enableCustomCATrust: _, ...pool }) => pool),
    };
    const facts = wireClusterFacts(wireCluster);
    expect(facts).toEqual(toClusterFacts(model, new Set(['aksagent'])));
    expect(facts).toMatchObject({ enableRbac: true, privateFqdn: 'aksjssdk.privatelink.eastus.azmk8s.io', disableLocalAccounts: false, tags: { team: 'payments' } });
    expect(facts.createdAt?.toISOString()).toBe('2021-04-01T10:00:00.123Z');
    expect(facts.agentPools).toEqual([
      { name: 'aksagent', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.08.10', enableCustomCATrust: true },
      { name: 'win', osType: 'Windows', nodeImageVersion: undefined },
    ]);
    expect(Buffer.from(facts.customCaTrustCertificates[0]!).toString()).toBe('-----BEGIN CERTIFICATE-----');
  });

  it('reads a row without properties, systemData or tags (nulls, as a projection gives them) as the bare cluster', () => {
    const facts = wireClusterFacts({ id: wireCluster.id, location: 'eastus', tags: null, systemData: null, properties: null });
    expect(facts).toEqual({
      subscriptionId: 'azure_subscription_id', resourceGroup: 'myjstest', name: 'myreourcexyz', id: wireCluster.id, location: 'eastus', tags: {},
      enableRbac: undefined, powerState: undefined, provisioningState: undefined, kubernetesVersion: undefined, currentKubernetesVersion: undefined,
      createdAt: undefined, fqdn: undefined, privateFqdn: undefined, disableLocalAccounts: undefined, agentPools: [], customCaTrustCertificates: [],
    });
    expect(wireClusterFacts({ id: wireCluster.id, systemData: {} }).createdAt).toBeUndefined();
  });

  it('names the cluster and the field when the wire shape is wrong', () => {
    expect(() => wireClusterFacts({ ...wireCluster, properties: { ...wireCluster.properties, enableRBAC: 'yes' } })).toThrow(/myreourcexyz: "properties\.enableRBAC"/);
    expect(() => wireClusterFacts({ ...wireCluster, systemData: { createdAt: 'yesterday' } })).toThrow(/"systemData\.createdAt"/);
    expect(() => wireClusterFacts({ ...wireCluster, properties: { securityProfile: { customCATrustCertificates: ['not base64!'] } } })).toThrow(/customCATrustCertificates\.0/);
    expect(() => wireClusterFacts({ name: 'x' })).toThrow(/managed cluster \(no id\): "id"/);
  });
});
