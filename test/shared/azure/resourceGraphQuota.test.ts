import { describe, expect, it } from 'vitest';
import { parseQuotaResetMs } from '../../../shared/azure/resourceGraphQuota.js';

describe('parseQuotaResetMs', () => {
  it('reads hh:mm:ss, fractional seconds too, as milliseconds', () => {
    expect(parseQuotaResetMs('00:00:03')).toBe(3_000);
    expect(parseQuotaResetMs('01:02:03')).toBe(3_723_000);
    expect(parseQuotaResetMs(' 00:00:04.25 ')).toBe(4_250);
  });

  it('reads nothing from an absent or malformed value', () => {
    for (const value of [undefined, null, '', '3', '00:03', '00:60:00', 'aa:bb:cc']) expect(parseQuotaResetMs(value)).toBeUndefined();
  });
});
