import { describe, expect, it } from 'vitest';
import { certificateFactsFromDer, type CertificateFacts, type CertificateSource } from '../../../shared/domain/certificate.js';
import { judgeCertificate, pastAutoRotationPoint } from '../../../shared/domain/certificateRules.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import { certificateFacts, realCertificate } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const SUBJECT = 'CN=masterclient, O=system:masters';
/** Each finding as [code, severity]: a rule is its finding and how bad it is. */
const judged = async (source: CertificateSource, ageDays: number, lifetimeDays: number, policy = DEFAULT_POLICY) =>
  judgeCertificate(await certificateFacts(source, now, ageDays, lifetimeDays), policy, now).map((f) => [f.code, f.severity]);
/** A real certificate valid between two instants. */
const between = async (source: CertificateSource, notBefore: string | Date, notAfter: string | Date): Promise<CertificateFacts> =>
  certificateFactsFromDer((await realCertificate(new Date(notBefore), new Date(notAfter))).der, source);
const messages = (certificate: CertificateFacts, at = now, policy = DEFAULT_POLICY) => judgeCertificate(certificate, policy, at).map((f) => f.message);

describe('judgeCertificate: maximum age (policy: rotate every 90 days)', () => {
  it('lets a client certificate exactly 90 days old pass with a warning, and one a second older violate', async () => {
    expect(await judged('client', 90, 730)).toEqual([['CERT_AGE_NEAR_POLICY', 'warning']]);
    expect(await judged('client', 90 + 1 / 86_400, 730)).toEqual([['CERT_AGE_EXCEEDS_POLICY', 'violation']]);
  });

  it('warns after maxAgeDays - warningDays and not at it', async () => {
    expect(await judged('client', 60, 730)).toEqual([]);
    expect(await judged('client', 60 + 1 / 86_400, 730)).toEqual([['CERT_AGE_NEAR_POLICY', 'warning']]);
  });

  it('judges nothing about a certificate issued exactly now', async () => {
    expect(await judged('client', 0, 730)).toEqual([]);
  });

  it('applies to the Cluster CA and the API server certificate, never to custom CA trust certificates', async () => {
    expect(await judged('cluster-ca', 400, 365 * 30)).toEqual([['CERT_AGE_EXCEEDS_POLICY', 'violation']]);
    expect(await judged('apiserver', 100, 730)).toEqual([['CERT_AGE_EXCEEDS_POLICY', 'violation']]);
    expect(await judged('custom-ca', 1000, 3650)).toEqual([]);
  });

  it('follows a custom maxAgeDays', async () => {
    const policy = parsePolicy({ maxAgeDays: 365, warningDays: 30 });
    expect(await judged('client', 300, 730, policy)).toEqual([]);
    expect(await judged('client', 340, 730, policy)).toEqual([['CERT_AGE_NEAR_POLICY', 'warning']]);
  });

  it('says how old the certificate is, the policy, and how long is left before it is over age', async () => {
    expect(messages(await certificateFacts('client', now, 100, 730))).toEqual([
      `Client certificate (${SUBJECT}) is 100 days old, over the 90 days policy: rotate the cluster certificates (az aks rotate-certs).`,
    ]);
    expect(messages(await certificateFacts('apiserver', now, 70.5, 730))).toEqual([
      `API server certificate (${SUBJECT}) is 70 days old; the 90 days policy requires rotation within 20 days.`,
    ]);
    expect(messages(await certificateFacts('cluster-ca', now, 89, 365 * 30))).toEqual([
      `Cluster CA certificate (${SUBJECT}) is 89 days old; the 90 days policy requires rotation within 1 day.`,
    ]);
  });
});

describe('judgeCertificate: expiry', () => {
  it('reports an expired certificate once, as a violation', async () => {
    expect(await judged('custom-ca', 400, 399)).toEqual([['CERT_EXPIRED', 'violation']]);
  });

  it('counts a certificate expiring exactly now as expired', async () => {
    expect(await judged('custom-ca', 10, 10)).toEqual([['CERT_EXPIRED', 'violation']]);
  });

  it('is critical within criticalDays (7) and soon within warningDays (30), boundaries included', async () => {
    expect(await judged('custom-ca', 10, 10 + 7)).toEqual([['CERT_EXPIRING_CRITICAL', 'violation']]);
    expect(await judged('custom-ca', 10, 10 + 7 + 1 / 86_400)).toEqual([['CERT_EXPIRING_SOON', 'warning']]);
    expect(await judged('custom-ca', 10, 10 + 30)).toEqual([['CERT_EXPIRING_SOON', 'warning']]);
    expect(await judged('custom-ca', 10, 10 + 30 + 1 / 86_400)).toEqual([]);
  });

  it('reports both the expiry and the age of an old client certificate', async () => {
    expect(await judged('client', 725, 730)).toEqual([['CERT_EXPIRING_CRITICAL', 'violation'], ['CERT_AGE_EXCEEDS_POLICY', 'violation']]);
  });

  it('warns about a certificate not yet valid, says from when, and gives it no age finding', async () => {
    expect(await judged('client', -2, 730)).toEqual([['CERT_NOT_YET_VALID', 'warning']]);
    expect(messages(await between('client', '2026-11-25T12:00:00Z', '2028-11-25T12:00:00Z'))).toEqual([
      `Client certificate (${SUBJECT}) is not valid before 2026-11-25T12:00:00.000Z: check the issuer's clock.`,
    ]);
  });
});

describe('judgeCertificate: the days in an expiry message agree with the date printed (UTC calendar days)', () => {
  const label = `Custom CA trust certificate (${SUBJECT})`;
  const expiringAt = async (notAfter: Date, at = now) => messages(await between('custom-ca', '2026-01-01T00:00:00Z', notAfter), at);

  it('says "expired today" for a certificate that expired minutes ago', async () => {
    expect(await expiringAt(new Date(now.getTime() - 10 * 60_000))).toEqual([`${label} expired today, on 2026-11-23.`]);
  });

  it('says "expired 1 day ago" exactly a day after expiry, and counts whole calendar days after that', async () => {
    expect(await expiringAt(new Date(now.getTime() - DAY_MS))).toEqual([`${label} expired 1 day ago, on 2026-11-22.`]);
    expect(await expiringAt(new Date(now.getTime() - 2.5 * DAY_MS))).toEqual([`${label} expired 2 days ago, on 2026-11-21.`]);
  });

  it('says "expired 1 day ago" across midnight, as the date printed is yesterday', async () => {
    expect(await expiringAt(new Date('2026-11-23T23:55:00Z'), new Date('2026-11-24T00:05:00Z'))).toEqual([`${label} expired 1 day ago, on 2026-11-23.`]);
  });

  it('says "expires in 5 days" with 4.99 and with 5.01 days left, both on the fifth day from today', async () => {
    expect(await expiringAt(new Date(now.getTime() + 4.99 * DAY_MS))).toEqual([`${label} expires in 5 days, on 2026-11-28 (critical within 7 days).`]);
    expect(await expiringAt(new Date(now.getTime() + 5.01 * DAY_MS))).toEqual([`${label} expires in 5 days, on 2026-11-28 (critical within 7 days).`]);
  });

  it('says "expires today", "in 1 day" and "in N days" by the date of expiry', async () => {
    expect(await expiringAt(new Date('2026-11-23T18:00:00Z'))).toEqual([`${label} expires today, on 2026-11-23 (critical within 7 days).`]);
    expect(await expiringAt(new Date('2026-11-24T01:00:00Z'))).toEqual([`${label} expires in 1 day, on 2026-11-24 (critical within 7 days).`]);
    expect(await expiringAt(new Date(now.getTime() + 20 * DAY_MS))).toEqual([`${label} expires in 20 days, on 2026-12-13.`]);
  });

  it('names the critical window of the policy', async () => {
    const policy = parsePolicy({ criticalDays: 1 });
    expect(messages(await between('custom-ca', '2026-01-01T00:00:00Z', '2026-11-24T06:00:00Z'), now, policy))
      .toEqual([`${label} expires in 1 day, on 2026-11-24 (critical within 1 day).`]);
  });

  it('counts the leap day: from 28 February to 1 March is 2 days in 2024 and 1 day in 2023', async () => {
    const leap = await between('custom-ca', '2023-01-01T00:00:00Z', '2024-03-01T06:00:00Z');
    expect(messages(leap, new Date('2024-02-28T12:00:00Z'))[0]).toMatch(/expires in 2 days, on 2024-03-01/);
    const common = await between('custom-ca', '2022-01-01T00:00:00Z', '2023-03-01T06:00:00Z');
    expect(messages(common, new Date('2023-02-28T12:00:00Z'))[0]).toMatch(/expires in 1 day, on 2023-03-01/);
  });
});

describe('pastAutoRotationPoint (AKS rotates at 80% of validity, AKS certificate rotation, docs/rules.md 001)', () => {
  it('is false at 80% and true just after', async () => {
    const facts = await certificateFacts('client', now, 0, 100);
    expect(pastAutoRotationPoint(facts, new Date(facts.notBefore.getTime() + 80 * DAY_MS))).toBe(false);
    expect(pastAutoRotationPoint(facts, new Date(facts.notBefore.getTime() + 80 * DAY_MS + 1))).toBe(true);
  });
});
