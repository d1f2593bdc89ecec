import { createCaCertificate, createLeafCertificate, generateKey, type CertificateAuthority } from '../../dev/certificates.js';
import { certificateFactsFromDer, type CertificateFacts, type CertificateSource } from '../../shared/domain/certificate.js';
import { DAY_MS } from '../../shared/domain/time.js';

let sharedCa: Promise<CertificateAuthority> | undefined;

/** One EC CA for a test file: generating keys is the slow part. */
export function testCa(): Promise<CertificateAuthority> {
  sharedCa ??= generateKey('ec').then((key) =>
    createCaCertificate({ key, subject: 'CN=ca', notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2050-01-01T00:00:00Z') }),
  );
  return sharedCa;
}

/** A real certificate signed by the test CA, valid between the two instants. */
export async function realCertificate(notBefore: Date, notAfter: Date, subject = 'CN=masterclient, O=system:masters') {
  const ca = await testCa();
  return createLeafCertificate({ key: ca.key, issuer: ca, subject, notBefore, notAfter, usage: 'client' });
}

/** Facts of a real certificate issued `ageDays` ago and living `lifetimeDays`. */
export async function certificateFacts(source: CertificateSource, now: Date, ageDays: number, lifetimeDays: number): Promise<CertificateFacts> {
  const notBefore = new Date(now.getTime() - ageDays * DAY_MS);
  const issued = await realCertificate(notBefore, new Date(notBefore.getTime() + lifetimeDays * DAY_MS));
  return certificateFactsFromDer(issued.der, source);
}
