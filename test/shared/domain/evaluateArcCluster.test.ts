/**
 * AKS enabled by Azure Arc clusters through evaluateCluster, planAction, fixCommandFor and the rotation
 * guards: the Arc rules apply, the AKS-only ones do not misfire, and nothing ever plans a rotation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../../../shared/domain/evaluateCluster.js';
import type { Finding } from '../../../shared/domain/findings.js';
import { fixCommandFor } from '../../../shared/domain/fixCommand.js';
import { planAction } from '../../../shared/domain/planAction.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import { decideRotation } from '../../../shared/domain/rotationGuards.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import type { CertificateEvidence } from '../../../shared/domain/verdict.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const identity = {
  id: '/subscriptions/s/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-1',
  subscriptionId: 's', resourceGroup: 'rg-edge', name: 'arc-1', location: 'eastus',
};
const arc: ClusterFacts = {
  ...identity, tags: {}, provisioningState: 'Succeeded', kubernetesVersion: '1.30.4', agentPools: [], customCaTrustCertificates: [],
  connectedCluster: { connectivityStatus: 'Connected', managedIdentityCertificateExpirationTime: new Date(now.getTime() + 30 * DAY_MS) },
};
const auto = parsePolicy({ rotation: { mode: 'auto' } });
const recentlyUpdated = { kubernetesVersion: '1.30.4', provisioningState: 'Succeeded', currentState: 'Succeeded', lastUpdatedAt: new Date(now.getTime() - 10 * DAY_MS) };

let clusterCa: CertificateFacts;
let oldCa: CertificateFacts;
let client: CertificateFacts;
let expiredClient: CertificateFacts;
beforeAll(async () => {
  clusterCa = await certificateFacts('cluster-ca', now, 10, 3650);
  oldCa = await certificateFacts('cluster-ca', now, 400, 730); // a 2-year CA 400 days old: AKS would say LEGACY_TWO_YEAR_CA and too old
  client = await certificateFacts('client', now, 200, 365);
  expiredClient = await certificateFacts('client', now, 100, 90);
});
const evidence = (certificates: CertificateFacts[], arcInstance = recentlyUpdated): CertificateEvidence => ({ certificates, unavailable: [], arcInstance });
const codes = (findings: Finding[]) => findings.map((f) => `${f.code}:${f.severity}`).sort();

describe('evaluateCluster on an AKS enabled by Azure Arc cluster', () => {
  it('says its platform, and finds it compliant when updated lately and connected, whatever the age of its certificates', () => {
    const verdict = evaluateCluster(arc, evidence([oldCa, client]), DEFAULT_POLICY, now);
    expect(verdict).toEqual({
      ...identity, platform: 'aks-arc', status: 'compliant', autoRotation: { eligible: false, reasons: [] },
      certificates: [oldCa, client], findings: [], action: 'none',
    });
  });

  it('finds no maximum-age finding, near or over the policy', async () => {
    const nearPolicy = await certificateFacts('client', now, 70, 365);
    expect(evaluateCluster(arc, evidence([clusterCa, nearPolicy, client]), DEFAULT_POLICY, now).findings).toEqual([]);
  });

  it('applies the expiry rules to what the kubeconfig holds', () => {
    expect(codes(evaluateCluster(arc, evidence([clusterCa, expiredClient]), DEFAULT_POLICY, now).findings)).toEqual(['CERT_EXPIRED:violation']);
  });

  it('applies ARC_UPDATE_OVERDUE from the last update and ARC_CONNECTIVITY_EXPIRED from the connected cluster', () => {
    const stale = { ...recentlyUpdated, lastUpdatedAt: new Date(now.getTime() - 95 * DAY_MS) };
    const expired = { ...arc, connectedCluster: { connectivityStatus: 'Expired' } };
    const verdict = evaluateCluster(expired, evidence([clusterCa], stale), DEFAULT_POLICY, now);
    expect(codes(verdict.findings)).toEqual(['ARC_CONNECTIVITY_EXPIRED:violation', 'ARC_UPDATE_OVERDUE:violation']);
    expect(verdict.status).toBe('violation');
  });

  it('keeps the provisioning state and unreadable sources, and is unknown without a certificate', () => {
    const verdict = evaluateCluster({ ...arc, provisioningState: 'Failed' },
      { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403' }] }, DEFAULT_POLICY, now);
    expect(codes(verdict.findings)).toEqual(['CERT_SOURCE_UNAVAILABLE:info', 'CLUSTER_NOT_READY:warning']);
    expect(evaluateCluster(arc, { certificates: [], unavailable: [] }, DEFAULT_POLICY, now).status).toBe('unknown');
  });

  it('says the platform of an AKS cluster and of one that could not be read', () => {
    const aks = { ...arc, id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1' };
    expect(evaluateCluster(aks, evidence([clusterCa]), DEFAULT_POLICY, now).platform).toBe('aks');
    expect(unreadableClusterVerdict(identity, 'HTTP 500').platform).toBe('aks-arc');
  });
});

describe('what is done about an Arc cluster', () => {
  it('alerts, never rotates, even with rotation on auto and a finding rotation would cure on AKS', () => {
    const verdict = evaluateCluster(arc, evidence([clusterCa, expiredClient]), auto, now);
    expect(verdict.action).toBe('alert');
    expect(planAction(arc, verdict, auto)).toBe('alert');
    expect(planAction(arc, verdict, parsePolicy({ rotation: { mode: 'off' } }))).toBe('none');
  });

  it('is held as arc_cluster by the rotation guards, before anything else', () => {
    expect(decideRotation({ cluster: arc, policy: auto, trigger: 'manual', window: { open: true }, inFlight: { fleet: 0, subscription: 0 }, leaseHeld: true, now }))
      .toEqual({ go: false, reason: 'arc_cluster' });
  });

  it('tells on-call to update the cluster for its overdue update and expiring certificates, and nothing for the rest', () => {
    const upgrade = 'az aksarc upgrade --resource-group rg-edge --name arc-1 --kubernetes-version <a version az aksarc get-upgrades lists>';
    const verdict = { certificates: [expiredClient], findings: [] };
    for (const code of ['ARC_UPDATE_OVERDUE', 'CERT_EXPIRED', 'CERT_EXPIRING_CRITICAL', 'CERT_EXPIRING_SOON'] as const) {
      expect(fixCommandFor(arc, { code, severity: 'violation', message: code, certificate: expiredClient.sha256 }, verdict)).toBe(upgrade);
    }
    for (const code of ['ARC_CONNECTIVITY_EXPIRED', 'CLUSTER_NOT_READY', 'CERT_SOURCE_UNAVAILABLE', 'CERT_AGE_EXCEEDS_POLICY'] as const) {
      expect(fixCommandFor(arc, { code, severity: 'violation', message: code }, verdict)).toBeUndefined();
    }
  });
});
