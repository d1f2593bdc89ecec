import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/domain/certificate.js';
import { realCertificate } from '../../support/certificates.js';

const notBefore = new Date('2026-01-01T00:00:00Z');
const notAfter = new Date('2028-01-01T00:00:00Z');

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

  it('reads DER bytes and every block of a PEM bundle', async () => {
    const a = await realCertificate(notBefore, notAfter, 'CN=a');
    const b = await realCertificate(notBefore, notAfter, 'CN=b');
    expect(readCertificates(a.der, 'custom-ca')).toMatchObject({ ok: true, certificates: [{ subject: 'CN=a' }] });
    const bundle = readCertificates(Buffer.from(`${a.pem}\n${b.pem}`), 'custom-ca');
    expect(bundle.ok && bundle.certificates.map((c) => c.subject)).toEqual(['CN=a', 'CN=b']);
  });

  it('refuses PEM with CRLF line breaks, which AKS does not accept (reference/000)', async () => {
    const issued = await realCertificate(notBefore, notAfter);
    const reading = readCertificates(Buffer.from(issued.pem.replace(/\n/g, '\r\n')), 'custom-ca');
    expect(reading).toEqual({ ok: false, problem: expect.stringMatching(/CRLF/) });
  });

  it('recognises base64 of a PEM, given where the PEM itself belongs', async () => {
    const issued = await realCertificate(notBefore, notAfter);
    const reading = readCertificates(Buffer.from(Buffer.from(issued.pem).toString('base64')), 'custom-ca');
    expect(reading).toEqual({ ok: false, problem: expect.stringMatching(/base64-encoded PEM/) });
  });

  it('refuses bytes that are not a certificate, and a damaged PEM body, without echoing them', () => {
    const garbage = readCertificates(Buffer.from('dummyExampleTestValueForCertificateToBeAdded'), 'custom-ca');
    expect(garbage).toEqual({ ok: false, problem: expect.stringMatching(/neither a PEM nor a DER/) });
    expect(JSON.stringify(garbage)).not.toContain('dummyExample');
    const damaged = readCertificates(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'custom-ca');
    expect(damaged).toEqual({ ok: false, problem: 'PEM block 1 is not a valid certificate' });
  });
});
