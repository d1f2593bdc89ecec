import { describe, expect, it } from 'vitest';
import { evidenceCarry } from '../../../shared/scan/evidenceCarry.js';

describe('evidenceCarry: the horizon carried evidence must hold until', () => {
  it('is the scheduled scan after the next one (NCRONTAB, UTC)', () => {
    const carry = evidenceCarry(24, '0 0 */6 * * *');
    expect(carry.fullRefreshHours).toBe(24);
    expect(carry.horizonAfter(new Date('2026-11-20T01:00:00Z'))).toEqual(new Date('2026-11-20T12:00:00Z'));
    expect(carry.horizonAfter(new Date('2026-11-20T23:59:59.999Z'))).toEqual(new Date('2026-11-21T06:00:00Z'));
  });

  it('counts a scan that starts on a scheduled instant as that run: the horizon is two runs later', () => {
    expect(evidenceCarry(24, '0 0 */6 * * *').horizonAfter(new Date('2026-11-20T06:00:00Z'))).toEqual(new Date('2026-11-20T18:00:00Z'));
  });

  it('follows the schedule given, seconds first', () => {
    expect(evidenceCarry(1, '30 15 3 * * 1').horizonAfter(new Date('2026-11-20T00:00:00Z'))).toEqual(new Date('2026-11-30T03:15:30Z'));
  });
});
