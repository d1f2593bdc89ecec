import { describe, expect, it } from 'vitest';
import { CLUSTER_ROTATED_SOURCES, PARSED_CERTIFICATES_HELD, certificateFactsFromDer, readCertificates } from '../../../shared/domain/certificate.js';
import { realCertificate } from '../../support/certificates.js';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2028-01-01T00:00:00Z');
const read = (text: string) => readCertificates(Buffer.from(text), 'custom-ca');
/** The base64 body of a one-block PEM, on one line. */
const bodyOf = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const pemOf = (body: string) => `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

describe('readCertificates', () => {
  it('reads a PEM certificate: subject, issuer, serial, validity and SHA-256 of the DER', async () => {
    const issued = await realCertificate(notBefore, notAfter, 'CN=clusterMonitoringUser');
    const reading = readCertificates(Buffer.from(issued.pem), 'client');
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    const [facts] = reading.certificates;
    expect(facts).toMatchObject({ source: 'client', subject: 'CN=clusterMonitoringUser', issuer: 'CN=ca', notBefore, notAfter });
    expect(facts!.serialNumber).toBe(issued.certificate.serialNumber.toLowerCase());
    expect(facts!.sha256).toBe(Buffer.from(await issued.certificate.getThumbprint('SHA-256')).toString('hex'));
  });

  it('reads DER bytes and every block of a PEM bundle, text around the blocks included', async () => {
    const a = await realCertificate(notBefore, notAfter, 'CN=a');
    const b = await realCertificate(notBefore, notAfter, 'CN=b');
    expect(readCertificates(a.der, 'custom-ca')).toMatchObject({ ok: true, certificates: [{ subject: 'CN=a' }] });
    const bundle = read(`${a.pem}\n${b.pem}`);
    expect(bundle.ok && bundle.certificates.map((c) => c.subject)).toEqual(['CN=a', 'CN=b']);
    const annotated = read(`# Contoso proxy CA\n${a.pem}\n\nsecond one:\n${b.pem}\n\n`);
    expect(annotated.ok && annotated.certificates.map((c) => c.subject)).toEqual(['CN=a', 'CN=b']);
  });

  it('reads a body with two, one or no padding characters', async () => {
    const paddings = new Map<number, string>();
    for (let n = 1; paddings.size < 3 && n <= 30; n++) {
      const pem = (await realCertificate(notBefore, notAfter, `CN=${'x'.repeat(n)}`)).pem;
      paddings.set(bodyOf(pem).match(/=*$/)![0].length, pem);
    }
    expect([...paddings.keys()].sort()).toEqual([0, 1, 2]);
    for (const pem of paddings.values()) expect(read(pem)).toMatchObject({ ok: true, certificates: [{ issuer: 'CN=ca' }] });
  });

  it('refuses PEM with CRLF line breaks, which AKS does not accept (AKS custom CA, docs/rules.md 000)', async () => {
    const issued = await realCertificate(notBefore, notAfter);
    expect(read(issued.pem.replace(/\n/g, '\r\n'))).toEqual({ ok: false, problem: 'the PEM has CRLF line breaks, which AKS does not accept' });
  });

  describe('a PEM cut short', () => {
    it('refuses a bundle whose last block lost its end, instead of reading the blocks before it', async () => {
      const a = await realCertificate(notBefore, notAfter, 'CN=a');
      const b = await realCertificate(notBefore, notAfter, 'CN=b');
      expect(read(`${a.pem}\n${b.pem.slice(0, 200)}`)).toEqual({ ok: false, problem: 'PEM block 2 is incomplete: it has no END CERTIFICATE line' });
      expect(read(`${a.pem}\n${b.pem.replace('-----END CERTIFICATE-----', '')}`)).toEqual({ ok: false, problem: 'PEM block 2 is incomplete: it has no END CERTIFICATE line' });
    });

    it('refuses a single block cut in its middle or missing its END line', async () => {
      const { pem } = await realCertificate(notBefore, notAfter);
      expect(read(pem.slice(0, pem.length / 2))).toEqual({ ok: false, problem: 'PEM block 1 is incomplete: it has no END CERTIFICATE line' });
      expect(read(pem.slice(0, -10))).toEqual({ ok: false, problem: 'PEM block 1 is incomplete: it has no END CERTIFICATE line' });
      expect(read('-----BEGIN CERTIFICATE-----\n')).toEqual({ ok: false, problem: 'PEM block 1 is incomplete: it has no END CERTIFICATE line' });
    });

    it('refuses a block whose END line went to the next block', async () => {
      const a = await realCertificate(notBefore, notAfter, 'CN=a');
      const b = await realCertificate(notBefore, notAfter, 'CN=b');
      expect(read(`${a.pem.replace('-----END CERTIFICATE-----', '')}${b.pem}`)).toEqual({ ok: false, problem: 'PEM block 1 is incomplete: it has no END CERTIFICATE line' });
    });
  });

  it('refuses a PEM that holds no certificate block', () => {
    expect(read('-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n')).toEqual({ ok: false, problem: 'the PEM holds no CERTIFICATE block' });
  });

  it('refuses a body with a character that is not base64, though Node would skip it and find the certificate', async () => {
    const { pem, der } = await realCertificate(notBefore, notAfter);
    const body = bodyOf(pem);
    for (const damaged of [`*${body}`, `${body.slice(0, 40)}*${body.slice(40)}`, `${body}*`]) {
      expect(Buffer.from(damaged, 'base64')).toEqual(Buffer.from(der));
      expect(read(pemOf(damaged))).toEqual({ ok: false, problem: 'PEM block 1 is not a valid certificate' });
    }
  });

  it('refuses a base64 body that is not a certificate, naming the block', async () => {
    const { pem } = await realCertificate(notBefore, notAfter);
    expect(read('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toEqual({ ok: false, problem: 'PEM block 1 is not a valid certificate' });
    expect(read(`${pem}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`)).toEqual({ ok: false, problem: 'PEM block 2 is not a valid certificate' });
    expect(read('-----BEGIN CERTIFICATE----------END CERTIFICATE-----')).toEqual({ ok: false, problem: 'PEM block 1 is not a valid certificate' });
  });

  it('recognises base64 of a PEM given where the PEM itself belongs, on one line or wrapped', async () => {
    const issued = await realCertificate(notBefore, notAfter);
    const base64 = Buffer.from(issued.pem).toString('base64');
    const problem = 'the certificate is base64-encoded PEM text; AKS expects the PEM itself, not base64 of it';
    expect(read(base64)).toEqual({ ok: false, problem });
    expect(read(`${base64.replace(/(.{76})/g, '$1\n')}\n`)).toEqual({ ok: false, problem });
  });

  it('calls text base64 of a PEM only when all of it is base64', async () => {
    const issued = await realCertificate(notBefore, notAfter);
    const base64 = Buffer.from(issued.pem).toString('base64');
    for (const text of [`*${base64}`, `${base64}*`]) {
      expect(read(text)).toEqual({ ok: false, problem: `the ${text.length} bytes are neither a PEM nor a DER certificate` });
    }
  });

  it('refuses bytes that are not a certificate, saying how many, without echoing them', () => {
    const garbage = read('dummyExampleTestValueForCertificateToBeAdded');
    expect(garbage).toEqual({ ok: false, problem: 'the 44 bytes are neither a PEM nor a DER certificate' });
    expect(JSON.stringify(garbage)).not.toContain('dummyExample');
  });

  it('names the certificates rotate-certs renews: Cluster CA, client and API server, not custom CAs', () => {
    expect([...CLUSTER_ROTATED_SOURCES].sort()).toEqual(['apiserver', 'client', 'cluster-ca']);
  });
});

describe('certificateFactsFromDer, remembering what it parsed', () => {
  it('answers the same facts for the same bytes read again, under the source asked for', async () => {
    const issued = await realCertificate(notBefore, notAfter, 'CN=shared-ca');
    const first = certificateFactsFromDer(issued.der, 'cluster-ca');
    const again = certificateFactsFromDer(new Uint8Array(issued.der), 'custom-ca');
    expect(again).toEqual({ ...first, source: 'custom-ca' });
    expect(first.source).toBe('cluster-ca');
  });

  it('tells different certificates apart', async () => {
    const a = await realCertificate(notBefore, notAfter, 'CN=a');
    const b = await realCertificate(notBefore, notAfter, 'CN=b');
    expect(certificateFactsFromDer(a.der, 'client').subject).toBe('CN=a');
    expect(certificateFactsFromDer(b.der, 'client').subject).toBe('CN=b');
    expect(certificateFactsFromDer(a.der, 'client').sha256).not.toBe(certificateFactsFromDer(b.der, 'client').sha256);
  });

  it('hands out dates of its own each time: changing one changes no later reading', async () => {
    const issued = await realCertificate(notBefore, notAfter, 'CN=dates');
    const first = certificateFactsFromDer(issued.der, 'client');
    first.notBefore.setTime(0);
    first.notAfter.setTime(0);
    const again = certificateFactsFromDer(issued.der, 'client');
    expect(again.notBefore).toEqual(notBefore);
    expect(again.notAfter).toEqual(notAfter);
  });

  it('still refuses bytes that are not a certificate, every time', () => {
    const bytes = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);
    expect(() => certificateFactsFromDer(bytes, 'apiserver')).toThrow();
    expect(() => certificateFactsFromDer(bytes, 'apiserver')).toThrow();
  });

  it('holds a few thousand distinct certificates: a fleet\'s shared ones, not the fleet', () => {
    expect(PARSED_CERTIFICATES_HELD).toBe(4096);
  });
});
