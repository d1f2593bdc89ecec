import { describe, expect, it } from 'vitest';
import type { AgentPoolFacts } from '../../../shared/domain/cluster.js';
import { kubeletServingRotationFindings, OPT_OUT_TAG_IGNORED_FROM, servingRotationCauses } from '../../../shared/domain/kubeletServingRotation.js';

const now = new Date('2026-08-01T00:00:00.000Z');
const SNAPSHOT = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/snapshots/snap';
const pool = (extra: Partial<AgentPoolFacts> = {}): AgentPoolFacts => ({ name: 'pool1', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.12.0', ...extra });
const causes = (extra: Partial<AgentPoolFacts>, at = now, cluster = { kubernetesVersion: '1.30.6' }) => servingRotationCauses(pool(extra), cluster, at);

describe('kubelet serving certificate rotation', () => {
  it('needs Kubernetes 1.27: the pool version first, else the control plane', () => {
    expect(causes({ currentOrchestratorVersion: '1.26.15', orchestratorVersion: '1.27.1' })).toEqual(['kubernetes_version']);
    expect(causes({ orchestratorVersion: '1.27.0' })).toEqual([]);
    expect(causes({}, now, { kubernetesVersion: '1.26.99' })).toEqual(['kubernetes_version']);
    expect(causes({}, now, { currentKubernetesVersion: '1.27.0', kubernetesVersion: '1.26.1' } as never)).toEqual([]);
    expect(causes({ orchestratorVersion: '0.99.0' })).toEqual(['kubernetes_version']);
    expect(causes({ orchestratorVersion: '2.0.0' })).toEqual([]);
    expect(causes({ orchestratorVersion: 'unknown' })).toEqual([]);
  });

  it('is not supported on a pool from a snapshot older than node image 202501.12.0', () => {
    expect(causes({ snapshotId: SNAPSHOT, nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.11.0' })).toEqual(['snapshot']);
    expect(causes({ snapshotId: SNAPSHOT, nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202501.12.0' })).toEqual([]);
    expect(causes({ nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202412.04.0' })).toEqual([]);
    expect(causes({ snapshotId: SNAPSHOT, nodeImageVersion: 'custom-image' })).toEqual([]);
  });

  it('does not call a snapshot pool old when its node image cannot be dated', () => {
    expect(causes({ snapshotId: SNAPSHOT, nodeImageVersion: undefined })).toEqual([]);
    expect(causes({ snapshotId: SNAPSHOT, nodeImageVersion: 'AKSUbuntu-2204gen2containerd-latest' })).toEqual([]);
  });

  it('honours the opt-out tag until 2027-04-01T00:00:00.000Z UTC, and not from that millisecond on', () => {
    const tagged = { tags: { 'AKS-Disable-Kubelet-Serving-Certificate-Rotation': ' TRUE ' } };
    expect(causes(tagged, new Date(OPT_OUT_TAG_IGNORED_FROM.getTime() - 1))).toEqual(['opt_out_tag']);
    expect(causes(tagged, OPT_OUT_TAG_IGNORED_FROM)).toEqual([]);
    expect(OPT_OUT_TAG_IGNORED_FROM.toISOString()).toBe('2027-04-01T00:00:00.000Z');
    expect(causes({ tags: { 'aks-disable-kubelet-serving-certificate-rotation': 'false' } })).toEqual([]);
    expect(causes({ tags: { other: 'true' } })).toEqual([]);
  });

  it('gives one warning per affected pool, naming the pool, its first cause and every reason', () => {
    const findings = kubeletServingRotationFindings({
      kubernetesVersion: '1.26.3',
      agentPools: [
        pool({ name: 'old', snapshotId: SNAPSHOT, nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202412.04.0', tags: { 'aks-disable-kubelet-serving-certificate-rotation': 'true' } }),
        pool({ name: 'fine', orchestratorVersion: '1.30.6' }),
      ],
    }, now);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'KUBELET_SERVING_ROTATION_DISABLED', severity: 'warning', nodePool: 'old', cause: 'kubernetes_version' });
    expect(findings[0]!.message).toBe('Node pool old does not rotate its kubelet serving certificates: it runs Kubernetes 1.26.3 (1.27 or later is needed); '
      + 'it was created from a snapshot with node image AKSUbuntu-2204gen2containerd-202412.04.0, older than 202501.12.0; '
      + 'it is tagged aks-disable-kubelet-serving-certificate-rotation=true, which AKS honours until 2027-04-01 and then turns rotation on.');
  });

  it('names the version a pool runs: its current one, else the one it asks for, else the control plane\'s current one, else its requested one', () => {
    const versionIn = (extra: Partial<AgentPoolFacts>, cluster: { currentKubernetesVersion?: string; kubernetesVersion?: string }) =>
      kubeletServingRotationFindings({ ...cluster, agentPools: [pool(extra)] }, now)[0]?.message;
    const words = (version: string) => `Node pool pool1 does not rotate its kubelet serving certificates: it runs Kubernetes ${version} (1.27 or later is needed).`;
    expect(versionIn({ currentOrchestratorVersion: '1.26.15' }, { currentKubernetesVersion: '1.30.6', kubernetesVersion: '1.30.6' })).toBe(words('1.26.15'));
    expect(versionIn({ currentOrchestratorVersion: '1.26.15', orchestratorVersion: '1.26.14' }, { kubernetesVersion: '1.30.6' })).toBe(words('1.26.15'));
    expect(versionIn({ orchestratorVersion: '1.26.14' }, { currentKubernetesVersion: '1.30.6', kubernetesVersion: '1.30.6' })).toBe(words('1.26.14'));
    expect(versionIn({ orchestratorVersion: '1.26.14' }, { kubernetesVersion: '1.30.6' })).toBe(words('1.26.14'));
    expect(versionIn({}, { currentKubernetesVersion: '1.26.3', kubernetesVersion: '1.30.6' })).toBe(words('1.26.3'));
    expect(versionIn({}, { kubernetesVersion: '1.26.2' })).toBe(words('1.26.2'));
  });
});
