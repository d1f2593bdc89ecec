import { describe, expect, it } from 'vitest';
import { certificateFactsFromDer, type CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { clusterStatus, evaluateCluster, unreadableClusterVerdict } from '../../../shared/domain/evaluateCluster.js';
import type { Finding, Severity } from '../../../shared/domain/findings.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import type { CertificateEvidence } from '../../../shared/domain/verdict.js';
import { certificateFacts, realCertificate } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const SUBJECT = 'CN=masterclient, O=system:masters';
const identity = {
  id: '/subscriptions/0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34/resourcegroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1',
  subscriptionId: '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34', resourceGroup: 'rg-prod', name: 'aks-1', location: 'westeurope',
};
const cluster: ClusterFacts = {
  ...identity, tags: {},
  enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded', currentKubernetesVersion: '1.30.4',
  createdAt: new Date('2025-01-10T00:00:00Z'),
  agentPools: [{ name: 'system', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.01.0' }],
  customCaTrustCertificates: [],
};
const evidenceOf = (...certificates: CertificateFacts[]): CertificateEvidence => ({ certificates, unavailable: [] });

/** A freshly rotated cluster: CA and client 10 days old. */
async function freshEvidence(): Promise<CertificateEvidence> {
  return evidenceOf(await certificateFacts('cluster-ca', now, 10, 365 * 30), await certificateFacts('client', now, 10, 730));
}
/** Each finding as [code, severity], sorted: a rule is its finding and how bad it is. */
const judged = (findings: Finding[]) => findings.map((f) => [f.code, f.severity]).sort();

describe('evaluateCluster', () => {
  it('finds a recently rotated, eligible cluster compliant with nothing to do, and names the cluster', async () => {
    const evidence = await freshEvidence();
    expect(evaluateCluster(cluster, evidence, DEFAULT_POLICY, now)).toEqual({
      ...identity, platform: 'aks', status: 'compliant', autoRotation: { eligible: true, reasons: [] },
      certificates: evidence.certificates, findings: [], action: 'none',
    });
  });

  it("carries the cluster's id, subscription, resource group, name and location into every verdict", async () => {
    const other = { id: '/subscriptions/9/resourcegroups/rg-x/providers/Microsoft.ContainerService/managedClusters/x', subscriptionId: '9', resourceGroup: 'rg-x', name: 'x', location: 'eastus' };
    const verdict = evaluateCluster({ ...cluster, ...other, powerState: 'Stopped' }, evidenceOf(), DEFAULT_POLICY, now);
    expect(verdict).toMatchObject(other);
  });

  it('judges a never-rotated cluster by the age of its CA and client certificate', async () => {
    const evidence = evidenceOf(await certificateFacts('cluster-ca', now, 300, 365 * 30), await certificateFacts('client', now, 300, 730));
    const verdict = evaluateCluster(cluster, evidence, DEFAULT_POLICY, now);
    expect(verdict.status).toBe('violation');
    expect(judged(verdict.findings)).toEqual([['CERT_AGE_EXCEEDS_POLICY', 'violation'], ['CERT_AGE_EXCEEDS_POLICY', 'violation']]);
    expect(verdict.findings.map((f) => f.certificate)).toEqual(evidence.certificates.map((c) => c.sha256));
    expect(verdict.action).toBe('alert');
  });

  it('is unknown when no certificate could be read and nothing else decides it, and says which source failed', () => {
    const evidence: CertificateEvidence = { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403 AuthorizationFailed' }] };
    const verdict = evaluateCluster(cluster, evidence, DEFAULT_POLICY, now);
    expect(verdict.status).toBe('unknown');
    expect(verdict.findings).toEqual([{ code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403 AuthorizationFailed' }]);
  });

  it('lets a warning decide the status even when no certificate could be read', () => {
    const evidence: CertificateEvidence = { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: '403' }] };
    expect(evaluateCluster({ ...cluster, powerState: 'Stopped' }, evidence, DEFAULT_POLICY, now).status).toBe('warning');
  });

  describe('auto-rotation (AKS certificate rotation, docs/rules.md 001: AKS rotates client and API server certificates at 80% of validity)', () => {
    const policy = parsePolicy({ maxAgeDays: 365 });
    const overdue = (label: string) => `${label} (${SUBJECT}) is past 80% of its validity but AKS has not rotated it, although the cluster is eligible for auto-rotation.`;

    it('flags an eligible cluster whose client certificate is past 80% of its validity as overdue', async () => {
      const client = await certificateFacts('client', now, 85, 100);
      const verdict = evaluateCluster(cluster, evidenceOf(await certificateFacts('cluster-ca', now, 10, 365 * 30), client), policy, now);
      expect(judged(verdict.findings)).toEqual([['AUTO_ROTATION_OVERDUE', 'violation'], ['CERT_EXPIRING_SOON', 'warning']]);
      expect(verdict.findings.find((f) => f.code === 'AUTO_ROTATION_OVERDUE')).toEqual({ code: 'AUTO_ROTATION_OVERDUE', severity: 'violation', certificate: client.sha256, message: overdue('Client certificate') });
    });

    it('flags an API server certificate past 80% of its validity as overdue', async () => {
      const apiServer = await certificateFacts('apiserver', now, 85, 100);
      const verdict = evaluateCluster(cluster, evidenceOf(apiServer), policy, now);
      expect(verdict.findings.filter((f) => f.code === 'AUTO_ROTATION_OVERDUE')).toEqual([
        { code: 'AUTO_ROTATION_OVERDUE', severity: 'violation', certificate: apiServer.sha256, message: overdue('API server certificate') },
      ]);
    });

    it('never calls rotation of the Cluster CA overdue: AKS does not auto-rotate the CA', async () => {
      const verdict = evaluateCluster(cluster, evidenceOf(await certificateFacts('cluster-ca', now, 85, 100)), policy, now);
      expect(judged(verdict.findings)).toEqual([['CERT_EXPIRING_SOON', 'warning'], ['LEGACY_TWO_YEAR_CA', 'warning']]);
    });

    it('does not call a client certificate at 79% of its validity overdue', async () => {
      const verdict = evaluateCluster(cluster, evidenceOf(await certificateFacts('client', now, 79, 100)), policy, now);
      expect(judged(verdict.findings)).toEqual([['CERT_EXPIRING_SOON', 'warning']]);
    });

    it('does not call rotation overdue on a cluster AKS will not rotate; says why instead, every reason named', async () => {
      const evidence = evidenceOf(await certificateFacts('client', now, 85, 100));
      const verdict = evaluateCluster({ ...cluster, enableRbac: false }, evidence, policy, now);
      expect(judged(verdict.findings)).toEqual([['AUTO_ROTATION_INELIGIBLE', 'warning'], ['CERT_EXPIRING_SOON', 'warning']]);
      expect(verdict.autoRotation).toEqual({ eligible: false, reasons: ['RBAC_DISABLED'] });
      const stopped = evaluateCluster({ ...cluster, enableRbac: false, powerState: 'Stopped' }, evidence, policy, now);
      expect(stopped.findings.find((f) => f.code === 'AUTO_ROTATION_INELIGIBLE')).toEqual({
        code: 'AUTO_ROTATION_INELIGIBLE', severity: 'warning',
        message: "AKS will not rotate this cluster's certificates by itself (RBAC_DISABLED, CLUSTER_STOPPED).",
      });
    });
  });

  describe('the two-year Cluster CA of clusters created before May 2019', () => {
    const issued = new Date(now.getTime() - 10 * DAY_MS);
    const caValidFor = async (ms: number) => certificateFactsFromDer((await realCertificate(issued, new Date(issued.getTime() + ms))).der, 'cluster-ca');

    it('is a Cluster CA valid for at most 3 years: exactly 3 years is, a second more is not', async () => {
      const threeYears = await caValidFor(3 * 365 * DAY_MS);
      const verdict = evaluateCluster(cluster, evidenceOf(threeYears), DEFAULT_POLICY, now);
      expect(verdict.findings.filter((f) => f.code === 'LEGACY_TWO_YEAR_CA')).toEqual([{
        code: 'LEGACY_TWO_YEAR_CA', severity: 'warning', certificate: threeYears.sha256,
        message: 'The Cluster CA is valid for only 3 years (clusters created before May 2019); rotating the certificates issues a 30-year CA.',
      }]);
      expect(evaluateCluster(cluster, evidenceOf(await caValidFor(3 * 365 * DAY_MS + 1000)), DEFAULT_POLICY, now).findings).toEqual([]);
    });

    it('says how long the CA is valid, to a tenth of a year', async () => {
      const [finding] = evaluateCluster(cluster, evidenceOf(await caValidFor(548 * DAY_MS)), DEFAULT_POLICY, now).findings;
      expect(finding?.message).toMatch(/^The Cluster CA is valid for only 1\.5 years /);
    });

    it('is about the Cluster CA only, never a client certificate as short-lived', async () => {
      expect(evaluateCluster(cluster, evidenceOf(await certificateFacts('client', now, 10, 730)), DEFAULT_POLICY, now).findings).toEqual([]);
    });
  });

  it('warns about stopped and not-ready clusters, saying what the state is', async () => {
    const stopped = evaluateCluster({ ...cluster, powerState: 'Stopped' }, await freshEvidence(), DEFAULT_POLICY, now);
    expect(judged(stopped.findings)).toEqual([['AUTO_ROTATION_INELIGIBLE', 'warning'], ['CLUSTER_STOPPED', 'warning']]);
    expect(stopped.findings.find((f) => f.code === 'CLUSTER_STOPPED')?.message)
      .toBe('The cluster is stopped: its certificates cannot be rotated, and after a rotation while stopped the node pools must be recreated.');
    const rotating = evaluateCluster({ ...cluster, provisioningState: 'RotatingClusterCertificates' }, await freshEvidence(), DEFAULT_POLICY, now);
    expect(rotating).toMatchObject({ status: 'warning', action: 'none' });
    expect(rotating.findings).toEqual([{ code: 'CLUSTER_NOT_READY', severity: 'warning', message: "The cluster's provisioning state is RotatingClusterCertificates, not Succeeded." }]);
  });

  describe('custom CA trust (AKS custom CA, docs/rules.md 000)', () => {
    const pem = async (ageDays: number, lifetimeDays: number) =>
      Buffer.from((await realCertificate(new Date(now.getTime() - ageDays * DAY_MS), new Date(now.getTime() + (lifetimeDays - ageDays) * DAY_MS), 'CN=Contoso Proxy CA')).pem);

    it('judges custom CA certificates by expiry only, never by age or auto-rotation', async () => {
      const verdict = evaluateCluster({ ...cluster, customCaTrustCertificates: [await pem(2000, 3650), await pem(700, 720), await pem(85, 100)] }, await freshEvidence(), DEFAULT_POLICY, now);
      expect(judged(verdict.findings)).toEqual([['CERT_EXPIRING_SOON', 'warning'], ['CERT_EXPIRING_SOON', 'warning']]);
      expect(verdict.certificates.filter((c) => c.source === 'custom-ca')).toHaveLength(3);
    });

    it('reports invalid entries, more than ten entries, and Windows pools with their severities', async () => {
      const good = await pem(10, 3650);
      const crlf = Buffer.from(good.toString().replace(/\n/g, '\r\n'));
      const windows = { ...cluster, customCaTrustCertificates: [...Array(10).fill(good), crlf], agentPools: [...cluster.agentPools, { name: 'win22', osType: 'Windows' }] };
      const verdict = evaluateCluster(windows, await freshEvidence(), DEFAULT_POLICY, now);
      expect(judged(verdict.findings)).toEqual([['CUSTOM_CA_INVALID', 'violation'], ['CUSTOM_CA_LIMIT_EXCEEDED', 'violation'], ['CUSTOM_CA_WINDOWS_POOL', 'warning']]);
      expect(verdict.status).toBe('violation');
    });

    it('accepts exactly ten certificates and a Windows pool without custom CAs', async () => {
      const good = await pem(10, 3650);
      const verdict = evaluateCluster({ ...cluster, customCaTrustCertificates: Array(10).fill(good), agentPools: [{ name: 'sys', osType: 'Linux' }] }, await freshEvidence(), DEFAULT_POLICY, now);
      expect(verdict.findings).toEqual([]);
      const windowsOnly = evaluateCluster({ ...cluster, agentPools: [{ name: 'win', osType: 'Windows' }] }, await freshEvidence(), DEFAULT_POLICY, now);
      expect(windowsOnly.findings).toEqual([]);
    });
  });

  describe('action', () => {
    const auto = parsePolicy({ rotation: { mode: 'auto' } });
    const oldEvidence = async () => evidenceOf(await certificateFacts('cluster-ca', now, 300, 365 * 30), await certificateFacts('client', now, 300, 730));

    it('plans a rotation in auto mode for a running cluster whose certificates are over age', async () => {
      expect(evaluateCluster(cluster, await oldEvidence(), auto, now).action).toBe('rotate');
    });

    it('alerts instead of rotating a cluster that cannot take it, or when rotation would not cure the violation', async () => {
      expect(evaluateCluster({ ...cluster, provisioningState: 'Failed' }, await oldEvidence(), auto, now).action).toBe('alert');
      const badCa = { ...cluster, customCaTrustCertificates: [Buffer.from('not a certificate')] };
      expect(evaluateCluster(badCa, await freshEvidence(), auto, now)).toMatchObject({ status: 'violation', action: 'alert' });
    });

    it('alerts, never rotates, for an expired custom CA trust certificate: rotation does not renew it', async () => {
      const expired = Buffer.from((await realCertificate(new Date('2016-01-01T00:00:00Z'), new Date('2026-11-20T00:00:00Z'), 'CN=Old Proxy CA')).pem);
      const verdict = evaluateCluster({ ...cluster, customCaTrustCertificates: [expired] }, await freshEvidence(), auto, now);
      expect(judged(verdict.findings)).toEqual([['CERT_EXPIRED', 'violation']]);
      expect(verdict).toMatchObject({ status: 'violation', action: 'alert' });
    });

    it('obeys the cluster tag over the policy', async () => {
      const tagged = (value: string) => ({ ...cluster, tags: { 'aks-cert-compliance/rotation': value } });
      expect(evaluateCluster(tagged('off'), await oldEvidence(), auto, now).action).toBe('none');
      expect(evaluateCluster(tagged('auto'), await oldEvidence(), DEFAULT_POLICY, now).action).toBe('rotate');
      expect(evaluateCluster(cluster, await oldEvidence(), parsePolicy({ rotation: { mode: 'off' } }), now).action).toBe('none');
    });
  });
});

describe('clusterStatus', () => {
  const finding = (severity: Severity): Finding => ({ code: 'CERT_SOURCE_UNAVAILABLE', severity, message: severity });

  it('is the worst severity among the findings, wherever it stands', async () => {
    const client = [await certificateFacts('client', now, 10, 730)];
    expect(clusterStatus([finding('warning'), finding('violation'), finding('info')], client)).toBe('violation');
    expect(clusterStatus([finding('info'), finding('warning')], client)).toBe('warning');
    expect(clusterStatus([finding('warning')], [])).toBe('warning');
    expect(clusterStatus([finding('violation')], [])).toBe('violation');
  });

  it('is compliant with only info findings or none, once a cluster certificate was read', async () => {
    expect(clusterStatus([finding('info')], [await certificateFacts('apiserver', now, 10, 730)])).toBe('compliant');
    expect(clusterStatus([], [await certificateFacts('cluster-ca', now, 10, 365 * 30)])).toBe('compliant');
  });

  it("is unknown when only custom CA trust certificates were read: they say nothing of the cluster's own certificates", async () => {
    expect(clusterStatus([finding('info')], [await certificateFacts('custom-ca', now, 10, 730)])).toBe('unknown');
    expect(clusterStatus([], [])).toBe('unknown');
  });
});

describe('unreadableClusterVerdict', () => {
  it('reports a cluster whose description could not be read as unknown, with the reason, never dropped', () => {
    expect(unreadableClusterVerdict(identity, 'HTTP 500 reading the cluster')).toEqual({
      ...identity, platform: 'aks', status: 'unknown', autoRotation: { eligible: false, reasons: [] }, certificates: [],
      findings: [{ code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', source: 'cluster', reason: 'error', message: 'HTTP 500 reading the cluster' }],
      action: 'none',
    });
  });
});

describe('evaluateCluster: the node probe\'s evidence (docs/rules.md "Node probe")', () => {
  const probedAt = new Date('2026-11-23T06:00:00Z');
  const withNodes = async (nodeCertificates: CertificateFacts[], pools = [{ pool: 'system', bootstrapKubeconfig: true }]): Promise<CertificateEvidence> => ({
    ...(await freshEvidence()), certificates: [...(await freshEvidence()).certificates, ...nodeCertificates], nodeProbe: { probedAt, pools },
  });

  it('judges node certificates by the expiry rules, and keeps what the probe saw in the verdict', async () => {
    const expired = await certificateFacts('kubelet-serving', now, 400, 399);
    const evidence = await withNodes([expired, await certificateFacts('node-apiserver', now, 10, 5)]);
    const verdict = evaluateCluster(cluster, evidence, DEFAULT_POLICY, now);
    expect(judged(verdict.findings)).toEqual([['CERT_EXPIRED', 'violation'], ['CERT_EXPIRED', 'violation']]);
    expect(verdict.findings[0]!.message).toBe(`Kubelet serving certificate (${SUBJECT}) expired 1 day ago, on 2026-11-22.`);
    expect(verdict.findings[1]!.message).toBe(`Node API server certificate (${SUBJECT}) expired 5 days ago, on 2026-11-18.`);
    expect(verdict.nodeProbe).toEqual({ probedAt, pools: [{ pool: 'system', bootstrapKubeconfig: true }] });
    expect(verdict.autoRotation).toEqual({ eligible: true, reasons: [] });
    // rotate-certs recreates the nodes, so their certificates are renewed: a violation about one is alerted (not auto-rotated).
    expect(verdict.action).toBe('alert');
  });

  it('leaves node certificates out of the maximum age rule: the kubelet renews its own, not rotate-certs', async () => {
    for (const source of ['kubelet-client', 'kubelet-serving', 'node-apiserver'] as const) {
      const old = await certificateFacts(source, now, 200, 3650);
      expect(evaluateCluster(cluster, await withNodes([old]), DEFAULT_POLICY, now).findings, source).toEqual([]);
    }
  });

  it('calls a kubelet client certificate past 80% of its validity overdue (TLS bootstrapping rotates it), never the serving or the node\'s API server certificate', async () => {
    const policy = parsePolicy({ maxAgeDays: 365 });
    const kubelet = await certificateFacts('kubelet-client', now, 85, 100);
    const verdict = evaluateCluster(cluster, await withNodes([kubelet, await certificateFacts('kubelet-serving', now, 85, 100), await certificateFacts('node-apiserver', now, 85, 100)]), policy, now);
    expect(verdict.findings.filter((f) => f.code === 'AUTO_ROTATION_OVERDUE')).toEqual([{
      code: 'AUTO_ROTATION_OVERDUE', severity: 'violation', certificate: kubelet.sha256,
      message: `Kubelet client certificate (${SUBJECT}) is past 80% of its validity but AKS has not rotated it, although the cluster is eligible for auto-rotation.`,
    }]);
  });

  it('gives TLS_BOOTSTRAP_DISABLED when a pool the probe read has no bootstrap kubeconfig, and not when every one has', async () => {
    const disabled = evaluateCluster(cluster, await withNodes([], [{ pool: 'system', bootstrapKubeconfig: true }, { pool: 'legacy', bootstrapKubeconfig: false }]), DEFAULT_POLICY, now);
    expect(disabled.autoRotation).toEqual({ eligible: false, reasons: ['TLS_BOOTSTRAP_DISABLED'] });
    expect(judged(disabled.findings)).toEqual([['AUTO_ROTATION_INELIGIBLE', 'warning']]);
    expect(evaluateCluster(cluster, await withNodes([], []), DEFAULT_POLICY, now).autoRotation.eligible).toBe(true);
    expect(evaluateCluster(cluster, await freshEvidence(), DEFAULT_POLICY, now)).not.toHaveProperty('nodeProbe');
  });

  it('does not call a cluster compliant on node certificates alone', async () => {
    const evidence: CertificateEvidence = { certificates: [await certificateFacts('kubelet-client', now, 10, 365)], unavailable: [], nodeProbe: { probedAt, pools: [] } };
    expect(evaluateCluster(cluster, evidence, DEFAULT_POLICY, now).status).toBe('unknown');
  });
});
