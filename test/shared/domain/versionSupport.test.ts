import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { judgeVersionSupport, versionSupportFindings, type RegionMinor, type VersionSupportEvidence } from '../../../shared/domain/versionSupport.js';

const DAY = 86_400_000;
const now = new Date('2026-08-01T00:00:00.000Z');
const region: RegionMinor[] = [
  { version: '1.28', isPreview: false, supportPlans: ['AKSLongTermSupport'] },
  { version: '1.29', isPreview: false, supportPlans: ['KubernetesOfficial', 'AKSLongTermSupport'] },
  { version: '1.30', isPreview: false, supportPlans: [] },
  { version: '1.31', isPreview: true, supportPlans: ['KubernetesOfficial'] },
];
const evidence = (upgrades?: Array<{ kubernetesVersion: string; isPreview: boolean }>): VersionSupportEvidence => ({ regionVersions: region, ...(upgrades ? { controlPlaneUpgrades: upgrades } : {}) });
const cert = (source: CertificateFacts['source'], notAfter: Date): CertificateFacts => ({
  source, subject: 'CN=x', issuer: 'CN=ca', serialNumber: '01', notBefore: new Date(notAfter.getTime() - 400 * DAY), notAfter, sha256: source,
});
const codes = (findings: { code: string }[]) => findings.map((f) => f.code);

describe('judgeVersionSupport', () => {
  it('says nothing without the region list or a readable version', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.22.6' }, undefined)).toEqual({ known: false });
    expect(judgeVersionSupport({ kubernetesVersion: 'latest' }, evidence())).toEqual({ known: false });
  });

  it('judges the current version before the requested one, under the cluster plan', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.29.9', currentKubernetesVersion: '1.22.6' }, evidence())).toMatchObject({ known: true, supported: false, version: '1.22.6' });
    expect(judgeVersionSupport({ kubernetesVersion: '1.29.9' }, evidence())).toMatchObject({ supported: true, plan: 'KubernetesOfficial' });
    expect(judgeVersionSupport({ kubernetesVersion: '1.28.5' }, evidence())).toMatchObject({ supported: false, longTermSupportAvailable: true });
    expect(judgeVersionSupport({ kubernetesVersion: '1.28.5', supportPlan: 'AKSLongTermSupport' }, evidence())).toMatchObject({ supported: true, longTermSupportAvailable: false });
  });

  it('counts a minor that names no plan as official, and a listed preview minor as supported', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.30.6' }, evidence())).toMatchObject({ supported: true });
    expect(judgeVersionSupport({ kubernetesVersion: '1.30.6', supportPlan: 'AKSLongTermSupport' }, evidence())).toMatchObject({ supported: false });
    expect(judgeVersionSupport({ kubernetesVersion: '1.31.0' }, evidence())).toMatchObject({ supported: true });
  });

  it('picks the lowest non-preview upgrade above the version that lands on a supported minor', () => {
    const support = judgeVersionSupport({ kubernetesVersion: '1.27.9' }, evidence([
      { kubernetesVersion: '1.31.1', isPreview: true },
      { kubernetesVersion: '1.30.7', isPreview: false },
      { kubernetesVersion: '1.28.15', isPreview: false },
      { kubernetesVersion: '1.29.11', isPreview: false },
      { kubernetesVersion: '1.27.8', isPreview: false },
    ]));
    expect(support).toMatchObject({ upgradeTarget: '1.29.11', noUpgradePath: false });
  });

  it('orders upgrades by major, then minor, then patch, whichever part tells them apart', () => {
    const wide: RegionMinor[] = [
      { version: '1.29', isPreview: false, supportPlans: [] },
      { version: '1.30', isPreview: false, supportPlans: [] },
      { version: '2.0', isPreview: false, supportPlans: [] },
    ];
    const target = (version: string, upgrades: string[]) => {
      const support = judgeVersionSupport({ kubernetesVersion: version }, { regionVersions: wide, controlPlaneUpgrades: upgrades.map((kubernetesVersion) => ({ kubernetesVersion, isPreview: false })) });
      return support.known ? support.upgradeTarget : 'unknown';
    };
    // Only the patch differs.
    expect(target('1.29.1', ['1.29.12', '1.29.11'])).toBe('1.29.11');
    // The minor differs, and the higher minor has the lower patch.
    expect(target('1.28.9', ['1.30.1', '1.29.3'])).toBe('1.29.3');
    // The major differs, and the higher major has the lower minor.
    expect(target('1.28.9', ['2.0.0', '1.30.12'])).toBe('1.30.12');
    expect(target('1.29.5', ['2.0.0'])).toBe('2.0.0');
  });

  it('offers only upgrades above the current version, not the version itself or one below it on the same minor', () => {
    const support = judgeVersionSupport({ kubernetesVersion: '1.29.11' }, evidence([
      { kubernetesVersion: '1.29.10', isPreview: false },
      { kubernetesVersion: '1.29.11', isPreview: false },
      { kubernetesVersion: '1.29.12', isPreview: false },
    ]));
    expect(support).toMatchObject({ upgradeTarget: '1.29.12' });
    expect(judgeVersionSupport({ kubernetesVersion: '1.29.11' }, evidence([
      { kubernetesVersion: '1.29.10', isPreview: false },
      { kubernetesVersion: '1.29.11', isPreview: false },
    ]))).not.toHaveProperty('upgradeTarget');
  });

  it('has no upgrade target without an upgrade profile, nor from an empty one', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.27.9' }, evidence())).not.toHaveProperty('upgradeTarget');
    expect(judgeVersionSupport({ kubernetesVersion: '1.27.9' }, evidence([]))).not.toHaveProperty('upgradeTarget');
  });

  it('is not supported on a minor the region does not list', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.32.0' }, evidence())).toMatchObject({ known: true, supported: false, longTermSupportAvailable: false });
  });

  it('finds no upgrade path only when the profile was read, offers nothing supported, and long-term support does not help', () => {
    expect(judgeVersionSupport({ kubernetesVersion: '1.26.1' }, evidence([]))).toMatchObject({ noUpgradePath: true });
    expect(judgeVersionSupport({ kubernetesVersion: '1.26.1' }, evidence([{ kubernetesVersion: '1.31.1', isPreview: true }]))).toMatchObject({ noUpgradePath: true });
    expect(judgeVersionSupport({ kubernetesVersion: '1.26.1' }, evidence())).toMatchObject({ noUpgradePath: false });
    expect(judgeVersionSupport({ kubernetesVersion: '1.28.1' }, evidence([]))).toMatchObject({ noUpgradePath: false, longTermSupportAvailable: true });
  });
});

describe('versionSupportFindings', () => {
  // Judged inside each test, not while the file is collected: a throw there fails no test.
  const unsupported = () => judgeVersionSupport({ kubernetesVersion: '1.27.9' }, evidence([{ kubernetesVersion: '1.29.11', isPreview: false }]));
  const findings = (certificates: CertificateFacts[], support = unsupported()) => versionSupportFindings(support, certificates, DEFAULT_POLICY, now);

  it('finds nothing for a supported or unknown version', () => {
    expect(findings([cert('client', now)], judgeVersionSupport({ kubernetesVersion: '1.29.1' }, evidence()))).toEqual([]);
    expect(findings([cert('client', now)], { known: false })).toEqual([]);
  });

  it('warns of an unsupported version, naming it, while the certificates have more than warningDays left', () => {
    const result = findings([cert('client', new Date(now.getTime() + 30 * DAY + 1))]);
    expect(result).toEqual([expect.objectContaining({ code: 'KUBERNETES_VERSION_UNSUPPORTED', severity: 'warning', kubernetesVersion: '1.27.9' })]);
    expect(result[0]!.message).toContain('Kubernetes 1.27.9 is no longer supported');
  });

  it('sees the deadlock coming when a renewed certificate has exactly warningDays left, and names the way out in order', () => {
    const [, deadlock] = findings([cert('apiserver', new Date(now.getTime() + 30 * DAY))]);
    expect(deadlock).toMatchObject({ code: 'UPGRADE_ROTATION_DEADLOCK_RISK', severity: 'violation', cause: 'certificates_expiring', kubernetesVersion: '1.27.9' });
    expect(deadlock!.message).toContain('az aks upgrade --kubernetes-version 1.29.11 first, while the certificates are valid, then az aks rotate-certs');
    expect(deadlock!.message).not.toContain('support request');
  });

  it('ignores custom CA trust certificates, which rotate-certs does not renew', () => {
    expect(codes(findings([cert('custom-ca', now)]))).toEqual(['KUBERNETES_VERSION_UNSUPPORTED']);
  });

  it('calls an expired certificate a deadlock already reached, whose way out is Azure support', () => {
    const [, deadlock] = findings([cert('cluster-ca', now)]);
    expect(deadlock).toMatchObject({ cause: 'certificates_expired' });
    expect(deadlock!.message).toContain('open an Azure support request (Azure/AKS#2184)');
    expect(deadlock!.message).not.toContain('az aks upgrade');
    const [, justBefore] = findings([cert('cluster-ca', new Date(now.getTime() + 1))]);
    expect(justBefore).toMatchObject({ cause: 'certificates_expiring' });
  });

  it('offers long-term support first where it covers the minor', () => {
    const lts = judgeVersionSupport({ kubernetesVersion: '1.28.5' }, evidence([{ kubernetesVersion: '1.29.11', isPreview: false }]));
    const [, deadlock] = findings([cert('client', now)], lts);
    expect(deadlock!.message).toContain('move to long-term support (az aks update --tier premium --k8s-support-plan AKSLongTermSupport), then az aks rotate-certs; or open an Azure support request');
    const [first] = findings([], judgeVersionSupport({ kubernetesVersion: '1.28.5', supportPlan: 'Other' }, evidence()));
    expect(first!.message).toContain('under the Other plan');
  });

  it('words the warning without a plan on the official plan, and names any other plan', () => {
    const [official] = findings([]);
    expect(official!.message).toBe("Kubernetes 1.27.9 is no longer supported in the cluster's region: az aks rotate-certs fails on an unsupported version, so upgrade before the certificates need rotating.");
    const [other] = findings([], judgeVersionSupport({ kubernetesVersion: '1.28.5', supportPlan: 'Other' }, evidence()));
    expect(other!.message).toBe("Kubernetes 1.28.5 is no longer supported in the cluster's region under the Other plan: az aks rotate-certs fails on an unsupported version, so upgrade before the certificates need rotating.");
  });

  it('explains each deadlock cause in its own words', () => {
    const [, expired] = findings([cert('cluster-ca', now)]);
    expect(expired!.message).toBe('Upgrade/rotation deadlock (Azure/AKS#2184) on Kubernetes 1.27.9: a certificate az aks rotate-certs renews has expired, so AKS refuses the upgrade '
      + '("Current Certificates are expired, please rotate certificate") while the rotation fails on the unsupported version. Way out: open an Azure support request (Azure/AKS#2184).');
    const [, expiring] = findings([cert('apiserver', new Date(now.getTime() + DAY))]);
    expect(expiring!.message).toBe('Upgrade/rotation deadlock (Azure/AKS#2184) on Kubernetes 1.27.9: a certificate az aks rotate-certs renews expires soon, and once it has, AKS refuses the upgrade '
      + 'while the rotation fails on the unsupported version. Way out: az aks upgrade --kubernetes-version 1.29.11 first, while the certificates are valid, then az aks rotate-certs.');
    const [, stuck] = findings([], judgeVersionSupport({ kubernetesVersion: '1.26.15' }, evidence([])));
    expect(stuck!.message).toBe('Upgrade/rotation deadlock (Azure/AKS#2184) on Kubernetes 1.26.15: the upgrade profile offers no upgrade to a supported version. Way out: open an Azure support request (Azure/AKS#2184).');
  });

  it('flags no upgrade path even with fresh certificates', () => {
    const stuck = judgeVersionSupport({ kubernetesVersion: '1.26.15' }, evidence([]));
    const [, deadlock] = findings([cert('client', new Date(now.getTime() + 300 * DAY))], stuck);
    expect(deadlock).toMatchObject({ cause: 'no_upgrade_path' });
    expect(deadlock!.message).toContain('offers no upgrade to a supported version. Way out: open an Azure support request');
  });
});
