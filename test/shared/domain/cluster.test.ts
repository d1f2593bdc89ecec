import { describe, expect, it } from 'vitest';
import { isProvisioned, isStopped, type ClusterFacts } from '../../../shared/domain/cluster.js';

const cluster: ClusterFacts = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  subscriptionId: 's', resourceGroup: 'rg', name: 'c', location: 'westeurope', tags: {}, agentPools: [], customCaTrustCertificates: [],
};

describe('cluster state', () => {
  it('is stopped only when ARM says Stopped, in any case', () => {
    expect(isStopped({ ...cluster, powerState: 'Stopped' })).toBe(true);
    expect(isStopped({ ...cluster, powerState: 'STOPPED' })).toBe(true);
    expect(isStopped({ ...cluster, powerState: 'Running' })).toBe(false);
    expect(isStopped({ ...cluster, powerState: undefined })).toBe(false);
  });

  it('is provisioned when ARM says Succeeded, in any case, or says nothing', () => {
    expect(isProvisioned({ ...cluster, provisioningState: 'Succeeded' })).toBe(true);
    expect(isProvisioned({ ...cluster, provisioningState: 'succeeded' })).toBe(true);
    expect(isProvisioned({ ...cluster, provisioningState: undefined })).toBe(true);
    expect(isProvisioned({ ...cluster, provisioningState: 'Updating' })).toBe(false);
    expect(isProvisioned({ ...cluster, provisioningState: 'Failed' })).toBe(false);
  });
});
