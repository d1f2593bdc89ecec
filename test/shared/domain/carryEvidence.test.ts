import { describe, expect, it } from 'vitest';
import { carryDecision, clusterFingerprint, HOUR_MS, servesRecordedCertificate, thresholdsOf, type CarrySettings, type RecordedEvidence } from '../../../shared/domain/carryEvidence.js';
import type { CertificateFacts, CertificateSource } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import { realCertificate } from '../../support/certificates.js';

const readAt = new Date('2026-11-20T00:00:00Z');
const now = new Date(readAt.getTime() + HOUR_MS);
const horizon = new Date(now.getTime() + 12 * HOUR_MS);
const settings: CarrySettings = { fullRefreshHours: 24, horizon, apiServerProbed: true };

const cluster = (extra: Partial<ClusterFacts> = {}): ClusterFacts => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks', subscriptionId: 's', resourceGroup: 'rg', name: 'aks',
  location: 'westeurope', tags: {}, enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded', kubernetesVersion: '1.30.4',
  currentKubernetesVersion: '1.30.4', createdAt: new Date('2025-01-01T00:00:00Z'), lastModifiedAt: new Date('2026-10-01T00:00:00Z'), fqdn: 'aks.hcp.westeurope.azmk8s.io',
  disableLocalAccounts: false, agentPools: [{ name: 'system', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202410.15.0' }], customCaTrustCertificates: [], ...extra,
});

/** Certificate facts with the dates given: the decision reads only the source and the validity. */
const certificate = (source: CertificateSource, notBefore: Date, notAfter: Date): CertificateFacts => ({
  source, subject: 'CN=x', issuer: 'CN=ca', serialNumber: '01', notBefore, notAfter, sha256: `${source}-${notBefore.getTime()}`,
});
/** Issued `ageDays` before `readAt`, living `lifetimeDays`. */
const issued = (source: CertificateSource, ageDays: number, lifetimeDays = 730) => {
  const notBefore = new Date(readAt.getTime() - ageDays * DAY_MS);
  return certificate(source, notBefore, new Date(notBefore.getTime() + lifetimeDays * DAY_MS));
};

const recorded = (extra: Partial<RecordedEvidence> = {}): RecordedEvidence => ({
  fingerprint: clusterFingerprint(cluster()), readAt, apiServerProbed: true,
  certificates: [issued('cluster-ca', 10, 10_950), issued('client', 10), issued('apiserver', 10)], unavailable: [], ...extra,
});

describe('carryDecision: what the recorded evidence needs to be carried', () => {
  it('carries the evidence of an unchanged cluster read an hour ago, far from every threshold', () => {
    expect(carryDecision(cluster(), recorded(), DEFAULT_POLICY, settings, now)).toBe('carry');
  });

  it('reads a cluster with no recorded evidence', () => {
    expect(carryDecision(cluster(), undefined, DEFAULT_POLICY, settings, now)).toBe('not-recorded');
  });

  it('reads evidence exactly FULL_REFRESH_HOURS old, and carries it a millisecond younger', () => {
    const at = (ms: number) => carryDecision(cluster(), recorded(), DEFAULT_POLICY, { ...settings, horizon: new Date(readAt.getTime() + 36 * HOUR_MS) }, new Date(readAt.getTime() + ms));
    expect(at(24 * HOUR_MS - 1)).toBe('carry');
    expect(at(24 * HOUR_MS)).toBe('refresh-due');
  });

  it('carries evidence read at the very instant of the scan, but not evidence dated after it', () => {
    expect(carryDecision(cluster(), recorded(), DEFAULT_POLICY, settings, readAt)).toBe('carry');
    expect(carryDecision(cluster(), recorded(), DEFAULT_POLICY, settings, new Date(readAt.getTime() - 1))).toBe('refresh-due');
  });

  it('carries nothing with FULL_REFRESH_HOURS=0', () => {
    expect(carryDecision(cluster(), recorded(), DEFAULT_POLICY, { ...settings, fullRefreshHours: 0 }, readAt)).toBe('refresh-due');
  });

  describe('a cluster without lastModifiedAt', () => {
    const undated = cluster({ lastModifiedAt: undefined });
    const recordedUndated = (extra: Partial<RecordedEvidence> = {}) => recorded({ fingerprint: clusterFingerprint(undated), ...extra });

    it('is carried only once its API server is seen serving the recorded certificate', () => {
      expect(carryDecision(undated, recordedUndated(), DEFAULT_POLICY, settings, now)).toBe('confirm-apiserver');
    });

    it('is read when the scan does not probe, or nothing was recorded from its API server (a private cluster)', () => {
      const unprobed = recordedUndated({ apiServerProbed: false });
      expect(carryDecision(undated, unprobed, DEFAULT_POLICY, { ...settings, apiServerProbed: false }, now)).toBe('no-last-modified');
      const privateCluster = recordedUndated({ certificates: recorded().certificates.filter((c) => c.source !== 'apiserver'),
        unavailable: [{ source: 'apiserver', reason: 'private_cluster', message: 'API server certificate unavailable' }] });
      expect(carryDecision(undated, privateCluster, DEFAULT_POLICY, settings, now)).toBe('no-last-modified');
    });

    it('is read, not confirmed, for every reason a dated cluster is read', () => {
      expect(carryDecision(undated, recordedUndated(), DEFAULT_POLICY, settings, new Date(readAt.getTime() + 24 * HOUR_MS))).toBe('refresh-due');
      expect(carryDecision(cluster({ lastModifiedAt: undefined, powerState: 'Stopped' }), recordedUndated(), DEFAULT_POLICY, settings, now)).toBe('cluster-changed');
      expect(carryDecision(undated, recordedUndated({ certificates: [issued('client', 10), issued('apiserver', 60)] }), DEFAULT_POLICY, settings, now)).toBe('threshold-near');
    });

    it('is a change when ARM starts or stops giving lastModifiedAt', () => {
      expect(carryDecision(undated, recorded(), DEFAULT_POLICY, settings, now)).toBe('cluster-changed');
      expect(carryDecision(cluster(), recordedUndated(), DEFAULT_POLICY, settings, now)).toBe('cluster-changed');
      expect(JSON.parse(clusterFingerprint(undated))[0]).toBeNull();
    });
  });

  it.each<[string, Partial<ClusterFacts>]>([
    ['lastModifiedAt', { lastModifiedAt: new Date('2026-10-01T00:00:00.001Z') }],
    ['the provisioning state', { provisioningState: 'Updating' }],
    ['the power state', { powerState: 'Stopped' }],
    ['the Kubernetes version', { kubernetesVersion: '1.31.1' }],
    ['the current Kubernetes version', { currentKubernetesVersion: '1.31.1' }],
    ['a node image', { agentPools: [{ name: 'system', osType: 'Linux', nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202411.01.0' }] }],
    ['a pool added', { agentPools: [...cluster().agentPools, { name: 'user' }] }],
    ['a pool\'s custom CA trust', { agentPools: [{ ...cluster().agentPools[0]!, enableCustomCATrust: true }] }],
    ['a pool\'s OS', { agentPools: [{ ...cluster().agentPools[0]!, osType: 'Windows' }] }],
    ['the FQDN', { fqdn: 'other.hcp.westeurope.azmk8s.io' }],
    ['the private FQDN', { privateFqdn: 'aks.privatelink.westeurope.azmk8s.io' }],
    ['RBAC', { enableRbac: false }],
    ['local accounts', { disableLocalAccounts: true }],
    ['the creation date', { createdAt: new Date('2025-01-02T00:00:00Z') }],
    ['the custom CA trust certificates', { customCaTrustCertificates: [new Uint8Array([1, 2, 3])] }],
  ])('reads a cluster whose %s changed', (_, change) => {
    expect(carryDecision(cluster(change), recorded(), DEFAULT_POLICY, settings, now)).toBe('cluster-changed');
  });

  it('reads a cluster whose custom CA bytes changed, the count unchanged', () => {
    const before = recorded({ fingerprint: clusterFingerprint(cluster({ customCaTrustCertificates: [new Uint8Array([1])] })) });
    expect(carryDecision(cluster({ customCaTrustCertificates: [new Uint8Array([1])] }), before, DEFAULT_POLICY, settings, now)).toBe('carry');
    expect(carryDecision(cluster({ customCaTrustCertificates: [new Uint8Array([2])] }), before, DEFAULT_POLICY, settings, now)).toBe('cluster-changed');
  });

  it('tells absent facts from present ones in the fingerprint', () => {
    const bare: ClusterFacts = { ...cluster(), enableRbac: undefined, powerState: undefined, provisioningState: undefined, kubernetesVersion: undefined,
      currentKubernetesVersion: undefined, fqdn: undefined, disableLocalAccounts: undefined, createdAt: undefined, agentPools: [{ name: 'system' }] };
    expect(JSON.parse(clusterFingerprint(bare))).toEqual(['2026-10-01T00:00:00.000Z', null, null, null, null, [['system', null, null, false]], null, null, null, null, null, []]);
    expect(JSON.parse(clusterFingerprint(cluster({ customCaTrustCertificates: [new Uint8Array([1])] }))).at(-1)).toEqual(['4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a']);
  });

  it('tells a fact set to true from one absent', () => {
    const fingerprint = JSON.parse(clusterFingerprint(cluster({ enableRbac: true, disableLocalAccounts: true }))) as unknown[];
    expect(fingerprint.slice(8, 10)).toEqual([true, true]);
    expect(clusterFingerprint(cluster({ disableLocalAccounts: true }))).not.toBe(clusterFingerprint(cluster({ disableLocalAccounts: undefined })));
  });

  it('reads again when the API server probe was off for the recorded read and is on now, or the reverse', () => {
    expect(carryDecision(cluster(), recorded({ apiServerProbed: false }), DEFAULT_POLICY, settings, now)).toBe('probe-changed');
    expect(carryDecision(cluster(), recorded(), DEFAULT_POLICY, { ...settings, apiServerProbed: false }, now)).toBe('probe-changed');
    expect(carryDecision(cluster(), recorded({ apiServerProbed: false }), DEFAULT_POLICY, { ...settings, apiServerProbed: false }, now)).toBe('carry');
  });

  it('reads again a cluster a source of which could not be read, or whose read found no certificate', () => {
    const forbidden = recorded({ unavailable: [{ source: 'kubeconfig', reason: 'forbidden', message: 'HTTP 403' }] });
    expect(carryDecision(cluster(), forbidden, DEFAULT_POLICY, settings, now)).toBe('source-unavailable');
    expect(carryDecision(cluster(), recorded({ certificates: [] }), DEFAULT_POLICY, settings, now)).toBe('source-unavailable');
    const unreachable = recorded({ unavailable: [{ source: 'apiserver', reason: 'unreachable', message: 'TLS handshake failed' }] });
    expect(carryDecision(cluster(), unreachable, DEFAULT_POLICY, settings, now)).toBe('source-unavailable');
    const kubeconfigWithout = recorded({ unavailable: [{ source: 'kubeconfig', reason: 'no_certificate', message: 'no certificate' }] });
    expect(carryDecision(cluster(), kubeconfigWithout, DEFAULT_POLICY, settings, now)).toBe('source-unavailable');
  });

  it('carries a cluster whose API server has no public FQDN: ARM says so, no read failed', () => {
    for (const reason of ['private_cluster', 'no_certificate'] as const) {
      const privateCluster = recorded({ unavailable: [{ source: 'apiserver', reason, message: 'API server certificate unavailable' }] });
      expect(carryDecision(cluster(), privateCluster, DEFAULT_POLICY, settings, now), reason).toBe('carry');
    }
  });
});

describe('carryDecision: thresholds between the read and the horizon', () => {
  /** The decision for one recorded certificate of `source`; the threshold at `at` lies this far from the read. */
  const decide = (certificates: CertificateFacts[], policy = DEFAULT_POLICY) => carryDecision(cluster(), recorded({ certificates }), policy, settings, now);

  it.each<[string, CertificateSource, (t: number) => [Date, Date]]>([
    ['expiry', 'client', (t) => [new Date(t - 730 * DAY_MS), new Date(t)]],
    ['the critical expiry days', 'client', (t) => [new Date(t + 7 * DAY_MS - 400 * DAY_MS), new Date(t + 7 * DAY_MS)]],
    ['the warning expiry days', 'cluster-ca', (t) => [new Date(t + 30 * DAY_MS - 10_950 * DAY_MS), new Date(t + 30 * DAY_MS)]],
    ['not-yet-valid', 'cluster-ca', (t) => [new Date(t), new Date(t + 10_950 * DAY_MS)]],
    ['the maximum age', 'cluster-ca', (t) => [new Date(t - 90 * DAY_MS), new Date(t - 90 * DAY_MS + 10_950 * DAY_MS)]],
    ['the near-age warning', 'apiserver', (t) => [new Date(t - 60 * DAY_MS), new Date(t - 60 * DAY_MS + 730 * DAY_MS)]],
    ['the 80% auto-rotation point', 'client', (t) => [new Date(t - 0.8 * 100 * DAY_MS), new Date(t + 0.2 * 100 * DAY_MS)]],
  ])('reads a certificate that reaches %s at the read or the horizon, and carries it a millisecond outside', (_, source, dates) => {
    const at = (t: number) => certificate(source, ...dates(t));
    expect(decide([at(readAt.getTime())])).toBe('threshold-near');
    expect(decide([at(horizon.getTime())])).toBe('threshold-near');
    expect(decide([at(readAt.getTime() - 1)])).toBe('carry');
    expect(decide([at(horizon.getTime() + 1)])).toBe('carry');
  });

  it('applies the maximum age only to the certificates a rotation renews, and the 80% point only to the client and API server certificates', () => {
    const t = now.getTime();
    // A custom CA 90 days old: no maximum age. A Cluster CA at 80% of a 100-day life: not auto-rotated.
    expect(thresholdsOf(certificate('custom-ca', new Date(t - 90 * DAY_MS), new Date(t + 900 * DAY_MS)), DEFAULT_POLICY)).not.toContain(t);
    expect(thresholdsOf(certificate('cluster-ca', new Date(t - 80 * DAY_MS), new Date(t + 20 * DAY_MS)), DEFAULT_POLICY)).not.toContain(t);
    expect(thresholdsOf(certificate('apiserver', new Date(t - 80 * DAY_MS), new Date(t + 20 * DAY_MS)), DEFAULT_POLICY)).toContain(t);
  });

  it('takes the days from the policy', () => {
    const policy = parsePolicy({ maxAgeDays: 30, warningDays: 10, criticalDays: 3 });
    const t = now.getTime();
    expect(thresholdsOf(certificate('client', new Date(t - 1000 * DAY_MS), new Date(t + 5000 * DAY_MS)), policy).sort((a, b) => a - b)).toEqual([
      t - 1000 * DAY_MS, t - 970 * DAY_MS, t - 980 * DAY_MS, t - 1000 * DAY_MS + 0.8 * (6000 * DAY_MS), t + 4990 * DAY_MS, t + 4997 * DAY_MS, t + 5000 * DAY_MS,
    ].sort((a, b) => a - b));
  });

  it('reads a cluster whose custom CA trust certificate reaches its warning days before the horizon', async () => {
    const notAfter = new Date(horizon.getTime() + 30 * DAY_MS - 60_000);
    const ca = await realCertificate(new Date('2026-01-01T00:00:00Z'), notAfter, 'CN=corp-root');
    const withCa = cluster({ customCaTrustCertificates: [new TextEncoder().encode(ca.pem)] });
    const evidence = recorded({ fingerprint: clusterFingerprint(withCa) });
    expect(carryDecision(withCa, evidence, DEFAULT_POLICY, settings, now)).toBe('threshold-near');
    expect(carryDecision(withCa, evidence, DEFAULT_POLICY, { ...settings, horizon: new Date(horizon.getTime() - 120_000) }, now)).toBe('carry');
  });
});

describe('servesRecordedCertificate: what confirms the evidence of a cluster without lastModifiedAt', () => {
  const apiserver = issued('apiserver', 10);
  const served = (...certificates: CertificateFacts[]) => ({ certificates, unavailable: [] });

  it('confirms when the API server serves exactly the certificate recorded from it', () => {
    expect(servesRecordedCertificate(recorded({ certificates: [issued('cluster-ca', 10, 10_950), apiserver] }), served({ ...apiserver }))).toBe(true);
  });

  it('compares the certificates as a set: their order does not matter', () => {
    const other = issued('apiserver', 5);
    expect(servesRecordedCertificate(recorded({ certificates: [apiserver, other] }), served(other, apiserver))).toBe(true);
  });

  it('does not confirm another certificate, an extra one, none, or a failed handshake', () => {
    const evidence = recorded({ certificates: [issued('client', 10), apiserver] });
    expect(servesRecordedCertificate(evidence, served(issued('apiserver', 0)))).toBe(false);
    expect(servesRecordedCertificate(evidence, served(apiserver, issued('apiserver', 0)))).toBe(false);
    expect(servesRecordedCertificate(evidence, served())).toBe(false);
    expect(servesRecordedCertificate(recorded({ certificates: [issued('client', 10)] }), served())).toBe(false);
    expect(servesRecordedCertificate(evidence, { certificates: [apiserver], unavailable: [{ source: 'apiserver', reason: 'unreachable', message: 'TLS handshake failed' }] })).toBe(false);
  });

  it('compares only the API server\'s certificates: a kubeconfig certificate with the same fingerprint counts for nothing', () => {
    const client = issued('client', 10);
    expect(servesRecordedCertificate(recorded({ certificates: [client] }), served({ ...client, source: 'apiserver' }))).toBe(false);
    expect(servesRecordedCertificate(recorded({ certificates: [client, apiserver] }), served(apiserver, { ...client, source: 'client' }))).toBe(true);
  });
});
