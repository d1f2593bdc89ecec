import { describe, expect, it } from 'vitest';
import { parseAuditDate } from '../../../shared/domain/auditDate.js';

describe('parseAuditDate', () => {
  it('reads a day as its first or last millisecond (UTC)', () => {
    expect(parseAuditDate('2026-03-31', 'start')?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(parseAuditDate('2026-03-31', 'end')?.toISOString()).toBe('2026-03-31T23:59:59.999Z');
  });

  it('reads an ISO 8601 date-time with a zone as that instant', () => {
    expect(parseAuditDate('2026-03-31T20:00:00+02:00', 'end')?.toISOString()).toBe('2026-03-31T18:00:00.000Z');
    expect(parseAuditDate('2026-03-31T18:00Z', 'start')?.toISOString()).toBe('2026-03-31T18:00:00.000Z');
  });

  it.each(['2026-02-30', '2026-13-01', '2026-03-31T18:00:00', '31/03/2026', 'yesterday', '2026-03-31T25:00:00Z', ''])('refuses %j', (text) => {
    expect(parseAuditDate(text, 'end')).toBeUndefined();
  });
});
