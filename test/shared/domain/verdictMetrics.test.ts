import { beforeAll, describe, expect, it } from 'vitest';
import { certificateFactsFromDer, type CertificateFacts, type CertificateSource } from '../../../shared/domain/certificate.js';
import type { Finding, Severity } from '../../../shared/domain/findings.js';
import { countByStatus, STATUSES } from '../../../shared/domain/report.js';
import type { ClusterStatus, ClusterVerdict } from '../../../shared/domain/verdict.js';
import { byUrgency, daysSinceRotation, daysToExpiry, earliestExpiry, headlineFinding } from '../../../shared/domain/verdictMetrics.js';
import { realCertificate } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const certificate = async (source: CertificateSource, notBefore: string, notAfter: string): Promise<CertificateFacts> =>
  certificateFactsFromDer((await realCertificate(new Date(notBefore), new Date(notAfter))).der, source);
const verdict = (name: string, status: ClusterStatus, certificates: CertificateFacts[] = [], findings: Finding[] = []): ClusterVerdict => ({
  id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
  subscriptionId: 's', resourceGroup: 'rg', name, location: 'westeurope', status,
  autoRotation: { eligible: true, reasons: [] }, certificates, findings, action: 'none',
});
const finding = (severity: Severity, message: string): Finding => ({ code: 'CERT_SOURCE_UNAVAILABLE', severity, message });

let clusterCa: CertificateFacts; // issued 2025-01-10, expires 2055
let client: CertificateFacts; // issued 2026-11-13, expires 2028-10-22: 699 days left
let apiServer: CertificateFacts; // issued 2026-06-01, expires 2027-06-01
let expiredCustomCa: CertificateFacts; // issued 2016, expired 2026-11-20
beforeAll(async () => {
  clusterCa = await certificate('cluster-ca', '2025-01-10T00:00:00Z', '2055-01-10T00:00:00Z');
  client = await certificate('client', '2026-11-13T12:00:00Z', '2028-10-22T12:00:00Z');
  apiServer = await certificate('apiserver', '2026-06-01T00:00:00Z', '2027-06-01T00:00:00Z');
  expiredCustomCa = await certificate('custom-ca', '2016-01-01T00:00:00Z', '2026-11-20T08:00:00Z');
});

describe('daysToExpiry and earliestExpiry: the earliest expiry among all the certificates', () => {
  it('counts an expired custom CA trust certificate, not only the certificates rotate-certs renews', () => {
    const v = verdict('aks-1', 'violation', [clusterCa, client, expiredCustomCa]);
    expect(daysToExpiry(verdict('aks-1', 'compliant', [clusterCa, client]), now)).toBe(699);
    expect(daysToExpiry(v, now)).toBe(-3);
    expect(earliestExpiry(v)).toEqual(expiredCustomCa.notAfter);
  });

  it('takes the earliest wherever it stands in the list', () => {
    expect(earliestExpiry(verdict('a', 'compliant', [clusterCa, apiServer, client]))).toEqual(apiServer.notAfter);
    expect(daysToExpiry(verdict('a', 'compliant', [client, clusterCa, apiServer]), now)).toBe(190);
  });

  it('counts calendar days (UTC) as the expiry messages do: 0 on the day of expiry, 5 with 4.99 days left', async () => {
    const later = await certificate('client', '2026-01-01T00:00:00Z', '2026-11-28T11:45:36Z');
    expect(daysToExpiry(verdict('a', 'warning', [later]), now)).toBe(5);
    expect(daysToExpiry(verdict('a', 'warning', [later]), new Date('2026-11-28T11:00:00Z'))).toBe(0);
    expect(daysToExpiry(verdict('a', 'violation', [later]), new Date('2026-11-28T23:00:00Z'))).toBe(0);
    expect(daysToExpiry(verdict('a', 'violation', [later]), new Date('2026-11-29T00:30:00Z'))).toBe(-1);
  });

  it('is unknown without certificates', () => {
    expect(daysToExpiry(verdict('a', 'unknown'), now)).toBeUndefined();
    expect(earliestExpiry(verdict('a', 'unknown'))).toBeUndefined();
  });
});

describe('daysSinceRotation: the age of the oldest certificate rotate-certs renews', () => {
  it('is the age of the oldest of them, in whole days, whatever the order', () => {
    expect(daysSinceRotation(verdict('a', 'compliant', [client, clusterCa, apiServer]), now)).toBe(682);
    expect(daysSinceRotation(verdict('a', 'compliant', [apiServer, client]), now)).toBe(175);
  });

  it('leaves out custom CA trust certificates, which the customer renews', () => {
    expect(daysSinceRotation(verdict('a', 'compliant', [client, expiredCustomCa]), now)).toBe(10);
    expect(daysSinceRotation(verdict('a', 'compliant', [expiredCustomCa]), now)).toBeUndefined();
  });
});

describe('headlineFinding', () => {
  it('is the worst finding, the first of equals', () => {
    const findings = [finding('info', 'i'), finding('warning', 'w1'), finding('violation', 'v1'), finding('violation', 'v2'), finding('warning', 'w2')];
    expect(headlineFinding(verdict('a', 'violation', [], findings))?.message).toBe('v1');
    expect(headlineFinding(verdict('a', 'warning', [], [finding('info', 'i'), finding('warning', 'w')]))?.message).toBe('w');
  });

  it('is the first finding when all are info, and none without findings', () => {
    expect(headlineFinding(verdict('a', 'unknown', [], [finding('info', 'first'), finding('info', 'second')]))?.message).toBe('first');
    expect(headlineFinding(verdict('a', 'compliant'))).toBeUndefined();
  });
});

describe('byUrgency', () => {
  it('puts worse statuses first, then sooner expiries (custom CA included, unknown last), then names', () => {
    const clusters = [
      verdict('compliant-a', 'compliant', [clusterCa]),
      verdict('warning-late', 'warning', [client]),
      verdict('unknown', 'unknown'),
      verdict('violation-b', 'violation', [client]),
      verdict('violation-no-certificates', 'violation'),
      verdict('violation-custom-ca', 'violation', [client, expiredCustomCa]),
      verdict('warning-soon', 'warning', [apiServer]),
      verdict('violation-a', 'violation', [client]),
    ];
    expect([...clusters].sort(byUrgency(now)).map((v) => v.name)).toEqual([
      'violation-custom-ca', 'violation-a', 'violation-b', 'violation-no-certificates',
      'warning-soon', 'warning-late', 'unknown', 'compliant-a',
    ]);
    expect([...clusters].reverse().sort(byUrgency(now)).map((v) => v.name)).toEqual([...clusters].sort(byUrgency(now)).map((v) => v.name));
  });

  it('orders by expiry as of the given day', () => {
    const a = verdict('a', 'warning', [client]);
    const b = verdict('b', 'warning', [apiServer]);
    expect(byUrgency(now)(a, b)).toBeGreaterThan(0);
    expect(byUrgency(now)(b, a)).toBeLessThan(0);
    expect(byUrgency(now)(a, a)).toBe(0);
  });
});

describe('countByStatus', () => {
  it('counts every status, zero included', () => {
    expect(countByStatus([{ status: 'violation' }, { status: 'warning' }, { status: 'violation' }])).toEqual({ compliant: 0, warning: 1, violation: 2, unknown: 0 });
    expect(countByStatus([])).toEqual({ compliant: 0, warning: 0, violation: 0, unknown: 0 });
  });

  it('lists the statuses worst first, each once', () => {
    expect(STATUSES).toEqual(['violation', 'warning', 'unknown', 'compliant']);
  });
});
