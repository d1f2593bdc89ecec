import { describe, expect, it } from 'vitest';
import { distinctCodes, severityRank, worstFinding, type Finding, type Severity } from '../../../shared/domain/findings.js';

const finding = (severity: Severity, message: string): Finding => ({ code: 'CERT_EXPIRING_SOON', severity, message });

describe('worstFinding', () => {
  it('ranks info below warning below violation', () => {
    expect(severityRank('info')).toBeLessThan(severityRank('warning'));
    expect(severityRank('warning')).toBeLessThan(severityRank('violation'));
  });

  it('finds the violation listed after a warning, and the warning between infos', () => {
    expect(worstFinding([finding('warning', 'w'), finding('violation', 'v')])?.message).toBe('v');
    expect(worstFinding([finding('info', 'i1'), finding('warning', 'w'), finding('info', 'i2')])?.message).toBe('w');
    expect(worstFinding([finding('violation', 'v'), finding('info', 'i')])?.message).toBe('v');
  });

  it('keeps the first of equally severe findings', () => {
    expect(worstFinding([finding('info', 'i'), finding('violation', 'first'), finding('violation', 'second')])?.message).toBe('first');
  });

  it('has none for no findings', () => {
    expect(worstFinding([])).toBeUndefined();
  });
});

describe('distinctCodes', () => {
  it('lists each code once, in the order of its first finding', () => {
    const at = (code: 'CERT_EXPIRED' | 'CERT_AGE_EXCEEDS_POLICY' | 'CLUSTER_STOPPED') => ({ code });
    expect(distinctCodes([at('CLUSTER_STOPPED'), at('CERT_EXPIRED'), at('CLUSTER_STOPPED'), at('CERT_AGE_EXCEEDS_POLICY'), at('CERT_EXPIRED')]))
      .toEqual(['CLUSTER_STOPPED', 'CERT_EXPIRED', 'CERT_AGE_EXCEEDS_POLICY']);
    expect(distinctCodes([])).toEqual([]);
  });
});
