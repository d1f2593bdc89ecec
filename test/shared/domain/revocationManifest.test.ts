import { parse, stringify } from 'yaml';
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
    [{ kind: 'DNS', dns: 'Kubernetes.Default.SVC' }, 'dns'],
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
    [{ kind: 'serialnumber', serialNumber: 'zz00' }, /revocations\.0\.serialNumber must be the serial number in lower-case hex/],
    [{ kind: 'serialnumber', serialNumber: '00zz' }, /revocations\.0\.serialNumber must be the serial number in lower-case hex/],
    [{ kind: 'DNS', dns: 'x.-bad' }, /revocations\.0\.dns must be a DNS name/],
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
    const nameOf = (clusterName: string) => buildRevocationManifest({ clusterName, target: { kind: 'serialnumber', serialNumber: 'ab' }, issuedAt }).manifest.metadata.name;
    expect([nameOf('--x'), nameOf('x--'), nameOf('a__b')]).toEqual(['revocation-x-20261123123456', 'revocation-x-20261123123456', 'revocation-a-b-20261123123456']);
  });
});

/** The YAML with its document changed by `change`. */
function withDocument(yaml: string, change: (document: any) => unknown): string {
  const document = parse(yaml);
  change(document);
  return stringify(document);
}

describe('validateRevocationManifest', () => {
  // Built inside each test, never while the file loads: a mutant must meet it in a test.
  const good = () => buildRevocationManifest({ clusterName: 'a', target: { kind: 'IP', ip: '10.0.0.1' }, notBefore, issuedAt }).yaml;

  it('accepts what buildRevocationManifest writes', () => {
    expect(validateRevocationManifest(good()).kind).toBe('RenewRevocation');
  });

  it.each<[string, (yaml: string) => string, RegExp]>([
    ['another apiVersion', (g) => g.replace('certificates.microsoft.com/v1', 'v1'), /apiVersion/],
    ['another kind', (g) => g.replace('kind: RenewRevocation', 'kind: Revocation'), /^the manifest's kind/],
    ['another namespace', (g) => g.replace('namespace: kube-system', 'namespace: default'), /metadata\.namespace/],
    ['an unknown field', (g) => g.replace('notBefore:', 'notbefore:'), /revocations\.0/],
    ['a date without a time', (g) => g.replace(/notBefore: .*/, 'notBefore: "2026-11-20"'), /notBefore must be a UTC instant to the second/],
    ['text before the instant', (g) => g.replace(/notBefore: .*/, 'notBefore: "x2026-11-20T08:00:00Z"'), /notBefore must be a UTC instant to the second/],
    ['text after the instant', (g) => g.replace(/notBefore: .*/, 'notBefore: "2026-11-20T08:00:00Zx"'), /notBefore must be a UTC instant to the second/],
    ['an instant that is no day', (g) => g.replace(/notBefore: .*/, 'notBefore: "2026-13-40T00:00:00Z"'), /notBefore is not a real instant/],
    ['an object name with capitals', (g) => g.replace(/name: .*/, 'name: Not_A_Name'), /metadata\.name must be a Kubernetes object name/],
    ['an object name with an underscore after a letter', (g) => g.replace(/name: .*/, 'name: a_b'), /metadata\.name must be a Kubernetes object name/],
    ['an object name ending in a dash', (g) => g.replace(/name: .*/, 'name: ab-'), /metadata\.name must be a Kubernetes object name/],
    ['an empty description', (g) => g.replace(/^  description: .*/m, '  description: ""'), /spec\.description/],
    ['an entry without a description', (g) => withDocument(g, (d) => delete d.spec.revocations[0].description), /revocations\.0\.description/],
    ['no revocations', (g) => g.replace(/revocations:[\s\S]*$/, 'revocations: []\n'), /spec\.revocations/],
    ['not YAML', () => 'spec: [', /^the manifest is not YAML/],
    ['nothing', () => '', /^the manifest's document/],
  ])('refuses %s, naming where', (_what, edit, message) => {
    const text = edit(good());
    expect(() => validateRevocationManifest(text)).toThrow(RevocationError);
    expect(() => validateRevocationManifest(text)).toThrow(message);
  });

  it('keeps the YAML parser\'s error as the cause', () => {
    const error = (() => { try { validateRevocationManifest('spec: ['); } catch (e) { return e as Error; } })();
    expect(error).toBeInstanceOf(RevocationError);
    expect(error?.cause).toBeInstanceOf(Error);
  });

  it('accepts two entries, and UTC instants of every digit', () => {
    const two = good().replace(/revocations:\n/, 'revocations:\n    - description: second\n      kind: Group\n      group: system:masters\n      notBefore: "1999-12-31T23:59:59Z"\n');
    expect(validateRevocationManifest(two).spec.revocations.map((r) => r.kind)).toEqual(['Group', 'IP']);
    expect(validateRevocationManifest(withDocument(good(), (d) => (d.metadata.name = 'a'))).metadata.name).toBe('a');
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

  it('strips only leading zeros, and keeps a serial of zero', () => {
    const similar = [certificate('a0b1'), certificate('ab1'), certificate('0', 'cluster-ca')];
    expect(recordedCertificateBySerial(similar, 'ab1')).toBe(similar[1]);
    expect(recordedCertificateBySerial(similar, '00')).toBe(similar[2]);
  });

  it('refuses a serial that is not hexadecimal', () => {
    expect(() => recordedCertificateBySerial(recorded, 'zz1')).toThrow('--serial "zz1" is not a hexadecimal serial number');
    expect(() => recordedCertificateBySerial(recorded, '1zz')).toThrow('--serial "1zz" is not a hexadecimal serial number');
    expect(() => recordedCertificateBySerial(recorded, 'zz')).toThrow('--serial "zz" is not a hexadecimal serial number');
    expect(() => recordedCertificateBySerial(recorded, '')).toThrow(RevocationError);
  });
});
