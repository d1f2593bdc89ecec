import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { evaluateCluster } from '../../../shared/domain/evaluateCluster.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import type { CertificateEvidence } from '../../../shared/domain/verdict.js';
import { certificateFacts, realCertificate } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const cluster: ClusterFacts = {
  id: '/subscriptions/s/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1',
  subscriptionId: 's', resourceGroup: 'rg', name: 'aks-1', location: 'westeurope', tags: {},
  enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded', currentKubernetesVersion: '1.30.4',
  createdAt: new Date('2025-01-10T00:00:00Z'),
  agentPools: [{ name: 'system', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.01.0' }],
  customCaTrustCertificates: [],
};

/** A freshly rotated cluster: CA and client 10 days old. */
async function freshEvidence(): Promise<CertificateEvidence> {
  return { certificates: [await certificateFacts('cluster-ca', now, 10, 365 * 30), await certificateFacts('client', now, 10, 730)], unavailable: [] };
}
const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describe('evaluateCluster', () => {
  it('finds a recently rotated, eligible cluster compliant with nothing to do', async () => {
    const verdict = evaluateCluster(cluster, await freshEvidence(), DEFAULT_POLICY, now);
    expect(verdict).toMatchObject({ status: 'compliant', action: 'none', autoRotation: { eligible: true, reasons: [] }, findings: [] });
    expect(verdict.certificates.map((c) => c.source)).toEqual(['cluster-ca', 'client']);
  });

  it('judges a never-rotated cluster by the age of its CA and client certificate', async () => {
    const evidence = { certificates: [await certificateFacts('cluster-ca', now, 300, 365 * 30), await certificateFacts('client', now, 300, 730)], unavailable: [] };
    const verdict = evaluateCluster(cluster, evidence, DEFAULT_POLICY, now);
    expect(verdict.status).toBe('violation');
    expect(codes(verdict.findings)).toEqual(['CERT_AGE_EXCEEDS_POLICY', 'CERT_AGE_EXCEEDS_POLICY']);
    expect(verdict.findings.map((f) => f.certificate)).toEqual(evidence.certificates.map((c) => c.sha256));
    expect(verdict.action).toBe('alert');
  });

  it('is unknown when no certificate could be read and nothing else decides it', () => {
    const evidence: CertificateEvidence = { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403 AuthorizationFailed' }] };
    const verdict = evaluateCluster(cluster, evidence, DEFAULT_POLICY, now);
    expect(verdict.status).toBe('unknown');
    expect(verdict.findings).toEqual([{ code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403 AuthorizationFailed' }]);
  });

  it('lets a warning decide the status even when no certificate could be read', () => {
    const evidence: CertificateEvidence = { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: '403' }] };
    expect(evaluateCluster({ ...cluster, powerState: 'Stopped' }, evidence, DEFAULT_POLICY, now).status).toBe('warning');
  });

  it('flags an eligible cluster whose client certificate is past 80% of its validity as overdue', async () => {
    const evidence = { certificates: [await certificateFacts('cluster-ca', now, 10, 365 * 30), await certificateFacts('client', now, 85, 100)], unavailable: [] };
    const verdict = evaluateCluster(cluster, evidence, parsePolicy({ maxAgeDays: 365 }), now);
    expect(codes(verdict.findings)).toEqual(['AUTO_ROTATION_OVERDUE', 'CERT_EXPIRING_SOON']);
  });

  it('does not call rotation overdue on a cluster AKS will not rotate; says why instead', async () => {
    const evidence = { certificates: [await certificateFacts('client', now, 85, 100)], unavailable: [] };
    const verdict = evaluateCluster({ ...cluster, enableRbac: false }, evidence, parsePolicy({ maxAgeDays: 365 }), now);
    expect(codes(verdict.findings)).toEqual(['AUTO_ROTATION_INELIGIBLE', 'CERT_EXPIRING_SOON']);
    expect(verdict.autoRotation).toEqual({ eligible: false, reasons: ['RBAC_DISABLED'] });
  });

  it('recognises the two-year Cluster CA of clusters created before May 2019', async () => {
    const evidence = { certificates: [await certificateFacts('cluster-ca', now, 10, 730), await certificateFacts('client', now, 10, 730)], unavailable: [] };
    expect(codes(evaluateCluster(cluster, evidence, DEFAULT_POLICY, now).findings)).toEqual(['LEGACY_TWO_YEAR_CA']);
  });

  it('warns about stopped and not-ready clusters', async () => {
    const stopped = evaluateCluster({ ...cluster, powerState: 'Stopped' }, await freshEvidence(), DEFAULT_POLICY, now);
    expect(codes(stopped.findings)).toEqual(['AUTO_ROTATION_INELIGIBLE', 'CLUSTER_STOPPED']);
    const rotating = evaluateCluster({ ...cluster, provisioningState: 'RotatingClusterCertificates' }, await freshEvidence(), DEFAULT_POLICY, now);
    expect(rotating).toMatchObject({ status: 'warning', findings: [{ code: 'CLUSTER_NOT_READY', message: expect.stringContaining('RotatingClusterCertificates') }] });
  });

  describe('custom CA trust (reference/000)', () => {
    const pem = async (ageDays: number, lifetimeDays: number) =>
      Buffer.from((await realCertificate(new Date(now.getTime() - ageDays * 86_400_000), new Date(now.getTime() + (lifetimeDays - ageDays) * 86_400_000), 'CN=Contoso Proxy CA')).pem);

    it('judges custom CA certificates by expiry only', async () => {
      const verdict = evaluateCluster({ ...cluster, customCaTrustCertificates: [await pem(2000, 3650), await pem(700, 720)] }, await freshEvidence(), DEFAULT_POLICY, now);
      expect(codes(verdict.findings)).toEqual(['CERT_EXPIRING_SOON']);
      expect(verdict.certificates.filter((c: CertificateFacts) => c.source === 'custom-ca')).toHaveLength(2);
    });

    it('reports each invalid entry, more than ten entries, and Windows pools', async () => {
      const good = await pem(10, 3650);
      const crlf = Buffer.from(good.toString().replace(/\n/g, '\r\n'));
      const entries = [...Array(10).fill(good), crlf];
      const windows = { ...cluster, customCaTrustCertificates: entries, agentPools: [...cluster.agentPools, { name: 'win22', osType: 'Windows' }] };
      const verdict = evaluateCluster(windows, await freshEvidence(), DEFAULT_POLICY, now);
      expect(codes(verdict.findings)).toEqual(['CUSTOM_CA_INVALID', 'CUSTOM_CA_LIMIT_EXCEEDED', 'CUSTOM_CA_WINDOWS_POOL']);
      expect(verdict.findings.find((f) => f.code === 'CUSTOM_CA_INVALID')?.message).toMatch(/certificate 11 of 11 .*CRLF/);
      expect(verdict.findings.find((f) => f.code === 'CUSTOM_CA_WINDOWS_POOL')?.message).toMatch(/win22/);
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
    const oldEvidence = async () => ({ certificates: [await certificateFacts('cluster-ca', now, 300, 365 * 30), await certificateFacts('client', now, 300, 730)], unavailable: [] });

    it('plans a rotation in auto mode for a running cluster whose certificates are over age', async () => {
      expect(evaluateCluster(cluster, await oldEvidence(), parsePolicy({ rotation: { mode: 'auto' } }), now).action).toBe('rotate');
    });

    it('alerts instead of rotating a cluster that cannot take it, or when rotation would not cure the violation', async () => {
      const auto = parsePolicy({ rotation: { mode: 'auto' } });
      expect(evaluateCluster({ ...cluster, provisioningState: 'Failed' }, await oldEvidence(), auto, now).action).toBe('alert');
      const badCa = { ...cluster, customCaTrustCertificates: [Buffer.from('not a certificate')] };
      expect(evaluateCluster(badCa, await freshEvidence(), auto, now)).toMatchObject({ status: 'violation', action: 'alert' });
    });

    it('obeys the cluster tag over the policy', async () => {
      const tagged = (value: string) => ({ ...cluster, tags: { 'aks-cert-compliance/rotation': value } });
      expect(evaluateCluster(tagged('off'), await oldEvidence(), parsePolicy({ rotation: { mode: 'auto' } }), now).action).toBe('none');
      expect(evaluateCluster(tagged('auto'), await oldEvidence(), DEFAULT_POLICY, now).action).toBe('rotate');
      expect(evaluateCluster(cluster, await oldEvidence(), parsePolicy({ rotation: { mode: 'off' } }), now).action).toBe('none');
    });
  });
});
