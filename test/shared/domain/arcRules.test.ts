import { describe, expect, it } from 'vitest';
import { ARC_CREDENTIAL_VALIDITY_DAYS, ARC_UPDATE_RECOMMENDED_DAYS, judgeArcConnectivity, judgeArcUpdate } from '../../../shared/domain/arcRules.js';
import { DAY_MS } from '../../../shared/domain/time.js';

const now = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number, extraMs = 0) => new Date(now.getTime() - days * DAY_MS - extraMs);

describe('ARC_UPDATE_OVERDUE', () => {
  it('takes its limits from the AKS Arc document: an update within 60 days, certificates and tokens valid 90 days', () => {
    expect([ARC_UPDATE_RECOMMENDED_DAYS, ARC_CREDENTIAL_VALIDITY_DAYS]).toEqual([60, 90]);
  });

  it('finds nothing up to exactly 60 days after the last update, and a warning a millisecond later', () => {
    expect(judgeArcUpdate({ lastUpdatedAt: daysAgo(60) }, now)).toEqual([]);
    const [warning, ...rest] = judgeArcUpdate({ lastUpdatedAt: daysAgo(60, 1) }, now);
    expect(rest).toEqual([]);
    expect(warning).toEqual({
      code: 'ARC_UPDATE_OVERDUE', severity: 'warning',
      message: 'The cluster was last updated 60 days ago, on 2026-09-24: Microsoft recommends updating within 60 days, before its 90-day certificates and tokens expire.',
    });
  });

  it('is a warning up to exactly 90 days, and a violation past the validity the update reset', () => {
    expect(judgeArcUpdate({ lastUpdatedAt: daysAgo(90) }, now).map((f) => f.severity)).toEqual(['warning']);
    expect(judgeArcUpdate({ lastUpdatedAt: daysAgo(90, 1) }, now)).toEqual([{
      code: 'ARC_UPDATE_OVERDUE', severity: 'violation',
      message: 'The cluster was last updated 90 days ago, on 2026-08-25: past the 90 days its cloud agent certificates and tokens are valid from an update.',
    }]);
    expect(judgeArcUpdate({ lastUpdatedAt: daysAgo(400) }, now).map((f) => f.severity)).toEqual(['violation']);
  });

  it('finds nothing for a recent update, nor without evidence of the last update (never assumed)', () => {
    expect(judgeArcUpdate({ lastUpdatedAt: daysAgo(1) }, now)).toEqual([]);
    expect(judgeArcUpdate({ kubernetesVersion: '1.30.4' }, now)).toEqual([]);
    expect(judgeArcUpdate(undefined, now)).toEqual([]);
  });
});

describe('ARC_CONNECTIVITY_EXPIRED', () => {
  it('is a violation from the instant the Arc agent identity certificate expires, and nothing before', () => {
    const expiresAt = new Date('2026-11-23T12:00:00Z');
    expect(judgeArcConnectivity({ managedIdentityCertificateExpirationTime: new Date(expiresAt.getTime() + 1), connectivityStatus: 'Connected' }, now)).toEqual([]);
    expect(judgeArcConnectivity({ managedIdentityCertificateExpirationTime: expiresAt, connectivityStatus: 'Connected' }, now)).toEqual([{
      code: 'ARC_CONNECTIVITY_EXPIRED', severity: 'violation',
      message: "The Arc agent's managed identity certificate expired on 2026-11-23T12:00:00.000Z: Azure can no longer manage the cluster.",
    }]);
  });

  it('is a violation when the connectivity status says Expired, in any case, and only once with an expired certificate too', () => {
    const expected = [{ code: 'ARC_CONNECTIVITY_EXPIRED', severity: 'violation', message: "The connected cluster's connectivity status is Expired: Azure can no longer manage the cluster." }];
    expect(judgeArcConnectivity({ connectivityStatus: 'Expired' }, now)).toEqual(expected);
    expect(judgeArcConnectivity({ connectivityStatus: 'expired' }, now)).toEqual(expected);
    expect(judgeArcConnectivity({ connectivityStatus: 'Expired', managedIdentityCertificateExpirationTime: daysAgo(1) }, now)).toHaveLength(1);
  });

  it.each(['Connected', 'Connecting', 'Offline', 'AgentNotInstalled'])('finds nothing for a %s cluster whose certificate is valid', (connectivityStatus) => {
    expect(judgeArcConnectivity({ connectivityStatus, managedIdentityCertificateExpirationTime: new Date(now.getTime() + DAY_MS) }, now)).toEqual([]);
  });

  it('finds nothing without the facts', () => {
    expect(judgeArcConnectivity({}, now)).toEqual([]);
    expect(judgeArcConnectivity(undefined, now)).toEqual([]);
  });
});
