/** A cluster's last node probe as the trail in Azurite gives it back (audit/lastNodeProbe.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import { TrailNodeProbes } from '../../../shared/audit/lastNodeProbe.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { evaluateCluster } from '../../../shared/domain/evaluateCluster.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { CertificateEvidence, ClusterVerdict } from '../../../shared/domain/verdict.js';
import type { ComplianceStore, ComplianceTables } from '../../../shared/store/complianceStore.js';
import { certificateFacts } from '../../support/certificates.js';
import { azuriteStore } from '../../support/environment.js';

const now = new Date('2026-11-23T12:00:00Z');
const probedAt = new Date('2026-11-23T06:00:00Z');
const SUB = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const clusterNamed = (name: string): ClusterFacts => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`, subscriptionId: SUB, resourceGroup: 'rg', name,
  location: 'westeurope', tags: {}, enableRbac: true, agentPools: [{ name: 'system', osType: 'Linux' }], customCaTrustCertificates: [],
});

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
afterAll(async () => azurite?.stop());

const record = async (verdict: ClusterVerdict) => {
  await store.beginScan(`scan-${verdict.name}`, now);
  await store.recordVerdicts(`scan-${verdict.name}`, now, [verdict]);
};

describe('TrailNodeProbes', () => {
  it('gives back the node certificates, the node sources that could not be read and what the probe saw, dated when it read them', async () => {
    const cluster = clusterNamed('probed');
    const kubelet = await certificateFacts('kubelet-client', now, 10, 365);
    const evidence: CertificateEvidence = {
      certificates: [await certificateFacts('client', now, 10, 730), kubelet],
      unavailable: [
        { source: 'kubelet-serving', reason: 'no_certificate', message: 'Kubelet serving certificate is not on the node.' },
        { source: 'node-probe', reason: 'unreadable', message: 'Node probe of node pool apps: refused.' },
        { source: 'apiserver', reason: 'private_cluster', message: 'private' },
      ],
      nodeProbe: { probedAt, pools: [{ pool: 'system', bootstrapKubeconfig: false }] },
    };
    await record(evaluateCluster(cluster, evidence, DEFAULT_POLICY, now));
    expect(await new TrailNodeProbes(tables.state).lastNodeProbe(cluster)).toEqual({
      certificates: [kubelet],
      unavailable: evidence.unavailable.slice(0, 2),
      nodeProbe: { probedAt, pools: [{ pool: 'system', bootstrapKubeconfig: false }] },
    });
  });

  it('has none for a cluster never recorded, one recorded without the probe, or one whose recorded probe does not read as one', async () => {
    const history = new TrailNodeProbes(tables.state);
    expect(await history.lastNodeProbe(clusterNamed('never'))).toBeUndefined();
    const plain = clusterNamed('plain');
    await record(evaluateCluster(plain, { certificates: [await certificateFacts('client', now, 10, 730)], unavailable: [] }, DEFAULT_POLICY, now));
    expect(await history.lastNodeProbe(plain)).toBeUndefined();
    const odd = clusterNamed('odd');
    const verdict = evaluateCluster(odd, { certificates: [], unavailable: [] }, DEFAULT_POLICY, now);
    await record({ ...verdict, nodeProbe: { probedAt: 'yesterday', pools: [] } as never });
    expect(await history.lastNodeProbe(odd)).toBeUndefined();
  });
});
