import { describe, expect, it } from 'vitest';
import { toClusterFacts } from '../../../shared/azure/clusterFacts.js';

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
