import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import type { Finding, FindingCode, Severity } from '../../../shared/domain/findings.js';
import { planAction, rotationModeFor } from '../../../shared/domain/planAction.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const cluster: ClusterFacts = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  subscriptionId: 's', resourceGroup: 'rg', name: 'c', location: 'westeurope', tags: {},
  enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded',
  agentPools: [], customCaTrustCertificates: [],
};
const auto = parsePolicy({ rotation: { mode: 'auto' } });
const alertOnly = parsePolicy({ rotation: { mode: 'alert-only' } });
const off = parsePolicy({ rotation: { mode: 'off' } });

let clusterCa: CertificateFacts;
let client: CertificateFacts;
let apiServer: CertificateFacts;
let customCa: CertificateFacts;
beforeAll(async () => {
  clusterCa = await certificateFacts('cluster-ca', now, 10, 365 * 30);
  client = await certificateFacts('client', now, 100, 730);
  apiServer = await certificateFacts('apiserver', now, 100, 730);
  customCa = await certificateFacts('custom-ca', now, 400, 399);
});

const about = (code: FindingCode, certificate?: CertificateFacts, severity: Severity = 'violation'): Finding =>
  ({ code, severity, message: code, ...(certificate ? { certificate: certificate.sha256 } : {}) });
/** A verdict in violation over these findings, with all four kinds of certificate. */
const violation = (...findings: Finding[]): Pick<ClusterVerdict, 'status' | 'findings' | 'certificates'> =>
  ({ status: 'violation', findings, certificates: [clusterCa, client, apiServer, customCa] });

describe('planAction: rotation only where it cures the violation', () => {
  it.each<[FindingCode, () => CertificateFacts]>([
    ['CERT_EXPIRED', () => client],
    ['CERT_EXPIRING_CRITICAL', () => apiServer],
    ['CERT_AGE_EXCEEDS_POLICY', () => clusterCa],
    ['AUTO_ROTATION_OVERDUE', () => client],
  ])('rotates a cluster in violation for %s about a certificate rotate-certs renews', (code, certificate) => {
    expect(planAction(cluster, violation(about(code, certificate())), auto)).toBe('rotate');
  });

  it('does not rotate for an expired custom CA trust certificate: rotation does not renew it', () => {
    expect(planAction(cluster, violation(about('CERT_EXPIRED', customCa)), auto)).toBe('alert');
    expect(planAction(cluster, violation(about('CERT_EXPIRING_CRITICAL', customCa)), auto)).toBe('alert');
  });

  it('does not rotate for a finding about a certificate the verdict does not hold', async () => {
    const elsewhere = await certificateFacts('client', now, 100, 730);
    expect(planAction(cluster, violation(about('CERT_AGE_EXCEEDS_POLICY', elsewhere)), auto)).toBe('alert');
  });

  it.each<[string, Finding[]]>([
    ['an invalid custom CA entry', [about('CUSTOM_CA_INVALID')]],
    ['too many custom CA entries', [about('CUSTOM_CA_LIMIT_EXCEEDED')]],
    ['an invalid entry beside warnings about rotated certificates',
      [about('LEGACY_TWO_YEAR_CA', clusterCa, 'warning'), about('CERT_AGE_NEAR_POLICY', client, 'warning'), about('CUSTOM_CA_INVALID')]],
  ])('alerts about a violation rotation cannot cure: %s', (_why, findings) => {
    expect(planAction(cluster, violation(...findings), auto)).toBe('alert');
  });

  it('rotates when one finding rotation cures stands among others it does not cure, in any order', () => {
    const curable = about('CERT_AGE_EXCEEDS_POLICY', client);
    const others = [about('CUSTOM_CA_INVALID'), about('CERT_EXPIRED', customCa), about('LEGACY_TWO_YEAR_CA', clusterCa, 'warning')];
    expect(planAction(cluster, violation(curable, ...others), auto)).toBe('rotate');
    expect(planAction(cluster, violation(...others, curable), auto)).toBe('rotate');
  });

  it('does nothing about a cluster that is not in violation', () => {
    const warning = { status: 'warning' as const, findings: [about('CERT_AGE_NEAR_POLICY', client, 'warning')], certificates: [client] };
    expect(planAction(cluster, warning, auto)).toBe('none');
    expect(planAction(cluster, { status: 'unknown', findings: [], certificates: [] }, auto)).toBe('none');
    expect(planAction(cluster, { status: 'compliant', findings: [], certificates: [client] }, alertOnly)).toBe('none');
  });

  it('alerts instead of rotating when the mode is alert-only', () => {
    expect(planAction(cluster, violation(about('CERT_AGE_EXCEEDS_POLICY', client)), alertOnly)).toBe('alert');
    expect(planAction(cluster, violation(about('CERT_AGE_EXCEEDS_POLICY', client)), DEFAULT_POLICY)).toBe('alert');
  });

  it('does nothing at all, not even alert, when the mode is off', () => {
    expect(planAction(cluster, violation(about('CERT_AGE_EXCEEDS_POLICY', client)), off)).toBe('none');
    expect(planAction(cluster, violation(about('CUSTOM_CA_INVALID')), off)).toBe('none');
  });

  it('alerts instead of rotating a stopped cluster or one not provisioned; a cluster without a provisioning state can take it', () => {
    const curable = violation(about('CERT_AGE_EXCEEDS_POLICY', client));
    expect(planAction({ ...cluster, powerState: 'Stopped' }, curable, auto)).toBe('alert');
    expect(planAction({ ...cluster, provisioningState: 'Updating' }, curable, auto)).toBe('alert');
    expect(planAction({ ...cluster, provisioningState: undefined, powerState: undefined }, curable, auto)).toBe('rotate');
  });
});

describe('rotationModeFor: the cluster tag aks-cert-compliance/rotation', () => {
  const tagged = (tags: Record<string, string>) => ({ ...cluster, tags });

  it('overrides the policy with auto or off, whatever the case of the key and the value', () => {
    expect(rotationModeFor(tagged({ 'aks-cert-compliance/rotation': 'auto' }), alertOnly)).toBe('auto');
    expect(rotationModeFor(tagged({ 'AKS-Cert-Compliance/Rotation': ' Off ' }), auto)).toBe('off');
    expect(rotationModeFor(tagged({ 'aks-cert-compliance/ROTATION': 'AUTO' }), off)).toBe('auto');
  });

  it("leaves the policy's mode when the tag is absent or holds another value", () => {
    expect(rotationModeFor(tagged({}), auto)).toBe('auto');
    expect(rotationModeFor(tagged({}), off)).toBe('off');
    expect(rotationModeFor(tagged({ 'aks-cert-compliance/rotation': 'alert-only' }), auto)).toBe('auto');
    expect(rotationModeFor(tagged({ 'aks-cert-compliance/rotation': 'sometimes' }), off)).toBe('off');
  });

  it("reads no other tag's value as a mode", () => {
    expect(rotationModeFor(tagged({ env: 'auto' }), alertOnly)).toBe('alert-only');
    expect(rotationModeFor(tagged({ env: 'off', 'aks-cert-compliance/rotation': 'auto' }), alertOnly)).toBe('auto');
    expect(planAction(tagged({ env: 'auto' }), violation(about('CERT_AGE_EXCEEDS_POLICY', client)), alertOnly)).toBe('alert');
  });
});
