import { describe, expect, it } from 'vitest';
import { judgeCertificate, pastAutoRotationPoint } from '../../../shared/domain/certificateRules.js';
import { DEFAULT_POLICY, parsePolicy } from '../../../shared/domain/policy.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const codes = async (source: Parameters<typeof certificateFacts>[0], ageDays: number, lifetimeDays: number, policy = DEFAULT_POLICY) =>
  judgeCertificate(await certificateFacts(source, now, ageDays, lifetimeDays), policy, now).map((f) => f.code);

describe('judgeCertificate: maximum age (policy: rotate every 90 days)', () => {
  it('lets a client certificate exactly 90 days old pass with a warning, and one a second older violate', async () => {
    expect(await codes('client', 90, 730)).toEqual(['CERT_AGE_NEAR_POLICY']);
    expect(await codes('client', 90 + 1 / 86_400, 730)).toEqual(['CERT_AGE_EXCEEDS_POLICY']);
  });

  it('warns after maxAgeDays - warningDays and not at it', async () => {
    expect(await codes('client', 60, 730)).toEqual([]);
    expect(await codes('client', 60 + 1 / 86_400, 730)).toEqual(['CERT_AGE_NEAR_POLICY']);
  });

  it('applies to the Cluster CA and the API server certificate, never to custom CA trust certificates', async () => {
    expect(await codes('cluster-ca', 400, 365 * 30)).toEqual(['CERT_AGE_EXCEEDS_POLICY']);
    expect(await codes('apiserver', 100, 730)).toEqual(['CERT_AGE_EXCEEDS_POLICY']);
    expect(await codes('custom-ca', 1000, 3650)).toEqual([]);
  });

  it('follows a custom maxAgeDays', async () => {
    const policy = parsePolicy({ maxAgeDays: 365, warningDays: 30 });
    expect(await codes('client', 300, 730, policy)).toEqual([]);
    expect(await codes('client', 340, 730, policy)).toEqual(['CERT_AGE_NEAR_POLICY']);
  });
});

describe('judgeCertificate: expiry', () => {
  it('reports an expired certificate once, as a violation', async () => {
    const findings = judgeCertificate(await certificateFacts('custom-ca', now, 400, 399), DEFAULT_POLICY, now);
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['CERT_EXPIRED', 'violation']]);
    expect(findings[0]!.message).toMatch(/expired 1 day ago/);
  });

  it('counts a certificate expiring exactly now as expired', async () => {
    expect(await codes('custom-ca', 10, 10)).toEqual(['CERT_EXPIRED']);
  });

  it('is critical within criticalDays (7) and soon within warningDays (30), boundaries included', async () => {
    expect(await codes('custom-ca', 10, 10 + 7)).toEqual(['CERT_EXPIRING_CRITICAL']);
    expect(await codes('custom-ca', 10, 10 + 7 + 1 / 86_400)).toEqual(['CERT_EXPIRING_SOON']);
    expect(await codes('custom-ca', 10, 10 + 30)).toEqual(['CERT_EXPIRING_SOON']);
    expect(await codes('custom-ca', 10, 10 + 30 + 1 / 86_400)).toEqual([]);
  });

  it('reports both the expiry and the age of an old client certificate', async () => {
    expect(await codes('client', 725, 730)).toEqual(['CERT_EXPIRING_CRITICAL', 'CERT_AGE_EXCEEDS_POLICY']);
  });

  it('warns about a certificate not yet valid and gives it no age finding', async () => {
    expect(await codes('client', -2, 730)).toEqual(['CERT_NOT_YET_VALID']);
  });

  it('counts days across a leap day exactly', async () => {
    const leapNow = new Date('2024-03-01T00:00:00Z');
    const facts = await certificateFacts('custom-ca', leapNow, 30, 31); // notAfter 2024-03-02
    const [finding] = judgeCertificate(facts, DEFAULT_POLICY, leapNow);
    expect(finding?.message).toMatch(/expires in 1 day, on 2024-03-02/);
    const febFacts = { ...facts, notAfter: new Date('2024-03-01T00:00:00Z') };
    expect(judgeCertificate(febFacts, DEFAULT_POLICY, new Date('2024-02-28T00:00:00Z'))[0]?.message).toMatch(/expires in 2 days/);
  });
});

describe('pastAutoRotationPoint (AKS rotates at 80% of validity, reference/001)', () => {
  it('is false at 80% and true just after', async () => {
    const facts = await certificateFacts('client', now, 0, 100);
    expect(pastAutoRotationPoint(facts, new Date(facts.notBefore.getTime() + 80 * DAY_MS))).toBe(false);
    expect(pastAutoRotationPoint(facts, new Date(facts.notBefore.getTime() + 80 * DAY_MS + 1))).toBe(true);
  });
});
