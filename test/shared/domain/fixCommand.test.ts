import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { Finding, FindingCode } from '../../../shared/domain/findings.js';
import { certificateSourceOf, fixCommandFor } from '../../../shared/domain/fixCommand.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const cluster = { id: '/subscriptions/s/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1', subscriptionId: 's', resourceGroup: 'rg-prod', name: 'aks-1' };

let client: CertificateFacts;
let clusterCa: CertificateFacts;
let customCa: CertificateFacts;
beforeAll(async () => {
  client = await certificateFacts('client', now, 100, 730);
  clusterCa = await certificateFacts('cluster-ca', now, 100, 730);
  customCa = await certificateFacts('custom-ca', now, 400, 399);
});

const finding = (code: FindingCode, certificate?: CertificateFacts, extra: Partial<Finding> = {}): Finding =>
  ({ code, severity: 'violation', message: code, ...(certificate ? { certificate: certificate.sha256 } : {}), ...extra });
const verdictOf = (...findings: Finding[]) => ({ findings, certificates: [client, clusterCa, customCa] });
const fix = (f: Finding, ...others: Finding[]) => fixCommandFor(cluster, f, verdictOf(f, ...others));

describe('fixCommandFor: the command an alert tells on-call to run', () => {
  it.each<FindingCode>(['CERT_EXPIRED', 'CERT_EXPIRING_CRITICAL', 'CERT_EXPIRING_SOON', 'CERT_AGE_EXCEEDS_POLICY', 'CERT_AGE_NEAR_POLICY', 'AUTO_ROTATION_OVERDUE', 'LEGACY_TWO_YEAR_CA'])(
    'rotates the certificates for %s about a certificate AKS renews', (code) => {
      expect(fix(finding(code, client))).toBe('az aks rotate-certs -g rg-prod -n aks-1');
      expect(fix(finding(code, clusterCa))).toBe('az aks rotate-certs -g rg-prod -n aks-1');
      expect(fix(finding(code))).toBe('az aks rotate-certs -g rg-prod -n aks-1');
    });

  it('starts a stopped cluster before rotating (rotation is not supported on stopped clusters)', () => {
    expect(fix(finding('CERT_EXPIRED', client), finding('CLUSTER_STOPPED'))).toBe('az aks start -g rg-prod -n aks-1 && az aks rotate-certs -g rg-prod -n aks-1');
  });

  it.each<FindingCode>(['CUSTOM_CA_INVALID', 'CUSTOM_CA_LIMIT_EXCEEDED', 'CUSTOM_CA_WINDOWS_POOL'])('fixes the custom CA file for %s', (code) => {
    expect(fix(finding(code))).toMatch(/^az aks update -g rg-prod -n aks-1 --custom-ca-trust-certificates <fixed CA file: PEM, LF line breaks, at most 10 certificates>$/);
  });

  it('fixes the custom CA file, not the cluster, when the expiring certificate is a custom CA trust certificate', () => {
    expect(fix(finding('CERT_EXPIRED', customCa))).toMatch(/--custom-ca-trust-certificates/);
    expect(fix(finding('CERT_EXPIRING_SOON', undefined, { source: 'custom-ca' }))).toMatch(/--custom-ca-trust-certificates/);
  });

  it('upgrades for AUTO_ROTATION_INELIGIBLE, starts a stopped cluster, reconciles one not ready', () => {
    expect(fix(finding('AUTO_ROTATION_INELIGIBLE'))).toBe('az aks upgrade -g rg-prod -n aks-1 --kubernetes-version <a supported version>');
    expect(fix(finding('CLUSTER_STOPPED'))).toBe('az aks start -g rg-prod -n aks-1');
    expect(fix(finding('CLUSTER_NOT_READY'))).toBe('az aks update -g rg-prod -n aks-1');
  });

  it('has no command for what no command fixes', () => {
    expect(fix(finding('CERT_NOT_YET_VALID', client))).toBeUndefined();
    expect(fix(finding('CERT_SOURCE_UNAVAILABLE', undefined, { source: 'kubeconfig', reason: 'forbidden' }))).toBeUndefined();
  });

  it('reads the source of a finding from the certificate it names, else from its own source', () => {
    expect(certificateSourceOf(finding('CERT_EXPIRED', customCa), verdictOf())).toBe('custom-ca');
    expect(certificateSourceOf(finding('CERT_EXPIRED', undefined, { source: 'apiserver' }), verdictOf())).toBe('apiserver');
    expect(certificateSourceOf(finding('CERT_EXPIRED'), verdictOf())).toBeUndefined();
  });
});

describe('fixCommandFor the version and serving rotation findings', () => {
  const cluster = { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks', subscriptionId: 's', resourceGroup: 'rg', name: 'aks' };
  const fix = (finding: Finding) => fixCommandFor(cluster, finding, { certificates: [], findings: [finding] });
  const finding = (code: Finding['code'], extra: Partial<Finding> = {}): Finding => ({ code, severity: 'warning', message: 'm', ...extra });

  it('upgrades first and rotates after while the certificates are valid, and has no command once they expired or with no path', () => {
    expect(fix(finding('UPGRADE_ROTATION_DEADLOCK_RISK', { cause: 'certificates_expiring' }))).toBe('az aks upgrade -g rg -n aks --kubernetes-version <a supported version> && az aks rotate-certs -g rg -n aks');
    expect(fix(finding('UPGRADE_ROTATION_DEADLOCK_RISK', { cause: 'certificates_expired' }))).toBeUndefined();
    expect(fix(finding('UPGRADE_ROTATION_DEADLOCK_RISK', { cause: 'no_upgrade_path' }))).toBeUndefined();
    expect(fix(finding('KUBERNETES_VERSION_UNSUPPORTED'))).toBe('az aks upgrade -g rg -n aks --kubernetes-version <a supported version>');
  });

  it('fixes a pool by its cause', () => {
    expect(fix(finding('KUBELET_SERVING_ROTATION_DISABLED', { nodePool: 'p1', cause: 'kubernetes_version' }))).toBe('az aks upgrade -g rg -n aks --kubernetes-version <1.27 or later>');
    expect(fix(finding('KUBELET_SERVING_ROTATION_DISABLED', { nodePool: 'p1', cause: 'snapshot' }))).toBe('az aks nodepool upgrade -g rg --cluster-name aks -n p1 --node-image-only');
    expect(fix(finding('KUBELET_SERVING_ROTATION_DISABLED', { nodePool: 'p1', cause: 'opt_out_tag' }))).toBe("az aks nodepool update -g rg --cluster-name aks -n p1 --tags <the pool's tags without aks-disable-kubelet-serving-certificate-rotation>");
    expect(fix(finding('KUBELET_SERVING_ROTATION_DISABLED', { cause: 'snapshot' }))).toBe('az aks nodepool upgrade -g rg --cluster-name aks -n <pool> --node-image-only');
    expect(fix(finding('KUBELET_SERVING_ROTATION_DISABLED'))).toBeUndefined();
  });
});
