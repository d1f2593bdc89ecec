import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import { RevocationError } from '../../../shared/domain/errors.js';
import {
  buildRevocationManifest, recordedCertificateBySerial, revocationValue, validateRevocationManifest, type RevocationTarget,
} from '../../../shared/domain/revocationManifest.js';

const issuedAt = new Date('2026-11-23T12:34:56.789Z');
const notBefore = new Date('2026-11-20T08:00:00.500Z');

function certificate(serialNumber: string, source: CertificateFacts['source'] = 'client'): CertificateFacts {
  return { source, subject: 'CN=x', issuer: 'CN=ca', serialNumber, notBefore, notAfter: issuedAt, sha256: serialNumber.padEnd(64, '0') };
}

describe('buildRevocationManifest', () => {
  it('writes the RenewRevocation object of the AKS Arc document for a serial number, notBefore optional', () => {
    const { manifest, yaml } = buildRevocationManifest({ clusterName: 'arc-edge-01', target: { kind: 'serialnumber', serialNumber: '77fdf4b1033b387aaace6ce1c18710c2' }, issuedAt });
    expect(manifest).toEqual({
      apiVersion: 'certificates.microsoft.com/v1',
      kind: 'RenewRevocation',
      metadata: { name: 'revocation-arc-edge-01-20261123123456', namespace: 'kube-system' },
      spec: {
        description: 'Certificate revocations for arc-edge-01',
        revocations: [{ description: 'Revoked by aks-cert-compliance on 2026-11-23T12:34:56Z: serial number 77fdf4b1033b387aaace6ce1c18710c2', kind: 'serialnumber', serialNumber: '77fdf4b1033b387aaace6ce1c18710c2' }],
      },
    });
    expect(parse(yaml)).toEqual(manifest);
    expect(yaml).toContain('apiVersion: certificates.microsoft.com/v1\nkind: RenewRevocation\n');
  });

  it('writes notBefore to the second in UTC, quoted so that YAML keeps it a string', () => {
    const { manifest, yaml } = buildRevocationManifest({ clusterName: 'a', target: { kind: 'serialnumber', serialNumber: 'ab' }, notBefore, issuedAt });
    expect(manifest.spec.revocations[0]).toMatchObject({ notBefore: '2026-11-20T08:00:00Z' });
    expect(parse(yaml).spec.revocations[0].notBefore).toBe('2026-11-20T08:00:00Z');
  });

  it.each<[RevocationTarget, string]>([
    [{ kind: 'Group', group: 'system:nodes' }, 'group'],
    [{ kind: 'DNS', dns: 'kubernetes.default.svc.' }, 'dns'],
    [{ kind: 'DNS', dns: '.cluster.local' }, 'dns'],
    [{ kind: 'IP', ip: '170.63.128.124' }, 'ip'],
    [{ kind: 'IP', ip: 'fd00::1' }, 'ip'],
  ])('writes a %j entry with its notBefore', (target, field) => {
    const { manifest } = buildRevocationManifest({ clusterName: 'arc-edge-01', target, notBefore, issuedAt });
    expect(manifest.spec.revocations).toEqual([{ description: expect.stringContaining(revocationValue(target)), kind: target.kind, [field]: revocationValue(target), notBefore: '2026-11-20T08:00:00Z' }]);
  });

  it.each<RevocationTarget>([{ kind: 'Group', group: 'system:nodes' }, { kind: 'DNS', dns: '.cluster.local' }, { kind: 'IP', ip: '10.0.0.1' }])(
    'refuses %j without notBefore, which the AKS Arc document asks for every kind but a serial number', (target) => {
      expect(() => buildRevocationManifest({ clusterName: 'a', target, issuedAt })).toThrow(RevocationError);
      expect(() => buildRevocationManifest({ clusterName: 'a', target, issuedAt })).toThrow(/--not-before is required to revoke by (group|DNS name|IP address)/);
    });

  it.each<[RevocationTarget, RegExp]>([
    [{ kind: 'serialnumber', serialNumber: 'XYZ' }, /revocations\.0\.serialNumber must be the serial number in lower-case hex/],
    [{ kind: 'Group', group: 'two words' }, /revocations\.0\.group must be a group name without spaces/],
    [{ kind: 'DNS', dns: 'bad_name..x' }, /revocations\.0\.dns must be a DNS name/],
    [{ kind: 'DNS', dns: `${'a'.repeat(250)}.com` }, /revocations\.0\.dns/],
    [{ kind: 'IP', ip: '300.1.1.1' }, /revocations\.0\.ip must be an IPv4 or IPv6 address/],
  ])('refuses %j before printing anything, naming the field', (target, message) => {
    expect(() => buildRevocationManifest({ clusterName: 'a', target, notBefore, issuedAt })).toThrow(message);
  });

  it('refuses a notBefore that is not a date', () => {
    expect(() => buildRevocationManifest({ clusterName: 'a', target: { kind: 'serialnumber', serialNumber: 'ab' }, notBefore: new Date('x'), issuedAt })).toThrow('--not-before is not a date-time');
  });

  it('names the object after the cluster as a DNS label, cut to 63 characters', () => {
    const long = buildRevocationManifest({ clusterName: `Arc_Edge.${'x'.repeat(80)}`, target: { kind: 'serialnumber', serialNumber: 'ab' }, issuedAt }).manifest.metadata.name;
    expect(long).toMatch(/^revocation-arc-edge-x+-20261123123456$/);
    expect(long).toHaveLength(63);
    expect(buildRevocationManifest({ clusterName: '--', target: { kind: 'serialnumber', serialNumber: 'ab' }, issuedAt }).manifest.metadata.name).toBe('revocation-20261123123456');
  });
});

describe('validateRevocationManifest', () => {
  const good = buildRevocationManifest({ clusterName: 'a', target: { kind: 'IP', ip: '10.0.0.1' }, notBefore, issuedAt }).yaml;

  it('accepts what buildRevocationManifest writes', () => {
    expect(validateRevocationManifest(good).kind).toBe('RenewRevocation');
  });

  it.each([
    [good.replace('certificates.microsoft.com/v1', 'v1'), /apiVersion/],
    [good.replace('kind: RenewRevocation', 'kind: Revocation'), /^the manifest's kind/],
    [good.replace('namespace: kube-system', 'namespace: default'), /metadata\.namespace/],
    [good.replace('notBefore:', 'notbefore:'), /revocations\.0/],
    [good.replace(/notBefore: .*/, 'notBefore: "2026-11-20"'), /notBefore must be a UTC instant to the second/],
    [good.replace(/notBefore: .*/, 'notBefore: "2026-13-40T00:00:00Z"'), /notBefore is not a real instant/],
    [good.replace(/name: .*/, 'name: Not_A_Name'), /metadata\.name must be a Kubernetes object name/],
    ['spec: [', /^the manifest is not YAML/],
    ['', /^the manifest's document/],
  ])('refuses a manifest that is not the shape (%#), naming where', (text, message) => {
    expect(() => validateRevocationManifest(text)).toThrow(RevocationError);
    expect(() => validateRevocationManifest(text)).toThrow(message);
  });
});

describe('recordedCertificateBySerial', () => {
  const recorded = [certificate('0a1b2c', 'cluster-ca'), certificate('77fdf4b1033b387aaace6ce1c18710c2')];

  it('selects the recorded certificate by its serial number, in any case, with separators or leading zeros', () => {
    expect(recordedCertificateBySerial(recorded, '77FDF4B1033B387AAACE6CE1C18710C2')).toBe(recorded[1]);
    expect(recordedCertificateBySerial(recorded, '00:0a:1b:2c')).toBe(recorded[0]);
    expect(recordedCertificateBySerial(recorded, ' a1b2c ')).toBe(recorded[0]);
  });

  it('refuses a serial number the trail did not record, listing those it did', () => {
    expect(() => recordedCertificateBySerial(recorded, 'ff')).toThrow('--serial ff: no certificate of the cluster\'s latest record has this serial number (recorded: 0a1b2c (cluster-ca), 77fdf4b1033b387aaace6ce1c18710c2 (client))');
    expect(() => recordedCertificateBySerial([], 'ff')).toThrow('(recorded: none)');
  });

  it('refuses a serial that is not hexadecimal', () => {
    expect(() => recordedCertificateBySerial(recorded, 'zz')).toThrow('--serial "zz" is not a hexadecimal serial number');
    expect(() => recordedCertificateBySerial(recorded, '')).toThrow(RevocationError);
  });
});
