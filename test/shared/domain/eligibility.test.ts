import { describe, expect, it } from 'vitest';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { evaluateAutoRotation, nodePoolsPredatingTlsBootstrap } from '../../../shared/domain/eligibility.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';

const modern: ClusterFacts = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  subscriptionId: 's', resourceGroup: 'rg', name: 'c', location: 'westeurope', tags: {},
  enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded',
  kubernetesVersion: '1.30.4', currentKubernetesVersion: '1.30.4', createdAt: new Date('2024-06-01T00:00:00Z'),
  agentPools: [{ name: 'system', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202405.03.0' }],
  customCaTrustCertificates: [],
};
const reasons = (cluster: Partial<ClusterFacts>, policy = DEFAULT_POLICY) => evaluateAutoRotation({ ...modern, ...cluster }, policy).reasons;

describe('evaluateAutoRotation (AKS certificate rotation, docs/rules.md 001)', () => {
  it('finds a modern RBAC cluster eligible', () => {
    expect(evaluateAutoRotation(modern, DEFAULT_POLICY)).toEqual({ eligible: true, reasons: [] });
  });

  it('refuses clusters without RBAC, unless the policy follows the TLS-bootstrap-only reading', () => {
    expect(reasons({ enableRbac: false })).toEqual(['RBAC_DISABLED']);
    expect(reasons({ enableRbac: false }, parsePolicy({ requireRbacForAutoRotation: false }))).toEqual([]);
  });

  it('does not count an RBAC setting ARM did not report as disabled', () => {
    expect(reasons({ enableRbac: undefined })).toEqual([]);
  });

  it('treats creation on 2022-03-01 as after the cut-off and the day before as before it', () => {
    expect(reasons({ createdAt: new Date('2022-03-01T00:00:00Z'), currentKubernetesVersion: '1.22.6' })).toEqual([]);
    expect(reasons({ createdAt: new Date('2022-02-28T23:59:59Z'), currentKubernetesVersion: '1.22.6' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
  });

  it('accepts a Kubernetes version released after March 2022 as proof of an upgrade', () => {
    const created2021 = { createdAt: new Date('2021-05-10T00:00:00Z') };
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.29.2' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.22.8' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.22.7' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.23.4' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
    expect(reasons({ ...created2021, currentKubernetesVersion: undefined, kubernetesVersion: '1.21.2' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
  });

  it('takes 1.24.0 (and a version without a patch) as released after March 2022, 1.21.11 too', () => {
    const created2021 = { createdAt: new Date('2021-05-10T00:00:00Z') };
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.24.0' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.29' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.21.11' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.21.10' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
  });

  it('reads the current version before the requested one, and takes an unreadable version as no proof of an upgrade', () => {
    const created2021 = { createdAt: new Date('2021-05-10T00:00:00Z') };
    expect(reasons({ ...created2021, currentKubernetesVersion: '1.21.2', kubernetesVersion: '1.29.2' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
    expect(reasons({ ...created2021, currentKubernetesVersion: undefined, kubernetesVersion: '1.29.2' })).toEqual([]);
    expect(reasons({ ...created2021, currentKubernetesVersion: 'latest' })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
    expect(reasons({ ...created2021, currentKubernetesVersion: undefined, kubernetesVersion: undefined })).toEqual(['PREDATES_TLS_BOOTSTRAP']);
  });

  it('names the node pools whose image predates TLS bootstrapping, and only those', () => {
    const agentPools = [
      { name: 'old', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.01.19' },
      { name: 'new', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202405.03.0' },
      { name: 'undated', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-latest' },
      { name: 'unknown' },
      { name: 'older', nodeImageVersion: 'AKSWindows-2019-17763.2565.220211' },
    ];
    expect(nodePoolsPredatingTlsBootstrap({ ...modern, agentPools })).toEqual(['old', 'older']);
  });

  it('says when the node probe found TLS bootstrapping disabled', () => {
    expect(evaluateAutoRotation(modern, DEFAULT_POLICY, true)).toEqual({ eligible: false, reasons: ['TLS_BOOTSTRAP_DISABLED'] });
  });

  it('never assumes age when systemData.createdAt is missing', () => {
    expect(reasons({ createdAt: undefined, currentKubernetesVersion: '1.20.9' })).toEqual([]);
  });

  it('flags a node pool whose image is dated before March 2022, in every format', () => {
    for (const nodeImageVersion of ['AKSUbuntu-1804gen2containerd-2022.01.19', 'AKSUbuntu-1804gen2containerd-202202.28.0', 'AKSWindows-2019-17763.2565.220211']) {
      expect(reasons({ agentPools: [...modern.agentPools, { name: 'old', nodeImageVersion }] })).toEqual(['NODE_IMAGE_PREDATES_TLS_BOOTSTRAP']);
    }
    expect(reasons({ agentPools: [{ name: 'p', nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.03.01' }] })).toEqual([]);
  });

  it('does not treat an undatable node image as old', () => {
    expect(reasons({ agentPools: [{ name: 'p', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-latest' }] })).toEqual([]);
  });

  it('refuses stopped clusters, whatever the case of the power state', () => {
    expect(reasons({ powerState: 'Stopped' })).toEqual(['CLUSTER_STOPPED']);
    expect(reasons({ powerState: 'stopped' })).toEqual(['CLUSTER_STOPPED']);
  });

  it('lists every reason that applies', () => {
    expect(reasons({ enableRbac: false, powerState: 'Stopped', createdAt: new Date('2020-01-01T00:00:00Z'), currentKubernetesVersion: '1.19.0',
      agentPools: [{ name: 'p', nodeImageVersion: 'AKSUbuntu-1804-2021.03.16' }] }))
      .toEqual(['RBAC_DISABLED', 'PREDATES_TLS_BOOTSTRAP', 'NODE_IMAGE_PREDATES_TLS_BOOTSTRAP', 'CLUSTER_STOPPED']);
  });
});
