import { describe, expect, it } from 'vitest';
import { AUDIT_DATE_HINT, parseAuditDate } from '../../../shared/domain/auditDate.js';

const iso = (text: string, edge: 'start' | 'end' = 'end') => parseAuditDate(text, edge)?.toISOString();

describe('parseAuditDate', () => {
  it('reads a day as its first or last millisecond (UTC)', () => {
    expect(iso('2026-03-31', 'start')).toBe('2026-03-31T00:00:00.000Z');
    expect(iso('2026-03-31', 'end')).toBe('2026-03-31T23:59:59.999Z');
    expect(iso('2024-02-29', 'start')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('reads an ISO 8601 date-time with a zone as that instant, whichever edge it stands for', () => {
    expect(iso('2026-03-31T20:00:00+02:00', 'end')).toBe('2026-03-31T18:00:00.000Z');
    expect(iso('2026-03-31T18:00Z', 'start')).toBe('2026-03-31T18:00:00.000Z');
    expect(iso('2026-03-31T09:05:30Z')).toBe('2026-03-31T09:05:30.000Z');
    expect(iso('2026-03-31T23:59:59.5Z')).toBe('2026-03-31T23:59:59.500Z');
    expect(iso('2026-03-31T23:59:59.123456789Z')).toBe('2026-03-31T23:59:59.123Z');
    expect(iso('2026-03-31T00:00:00-23:59')).toBe('2026-03-31T23:59:00.000Z');
  });

  it('ignores spaces around the text', () => {
    expect(iso(' 2026-03-31 ', 'start')).toBe('2026-03-31T00:00:00.000Z');
    expect(iso('\t2026-03-31T18:00:00Z\n')).toBe('2026-03-31T18:00:00.000Z');
  });

  it('refuses a date-time on a day that does not exist, which Date itself would move to March', () => {
    expect(new Date('2026-02-30T10:00:00Z').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(parseAuditDate('2026-02-30T10:00:00Z', 'end')).toBeUndefined();
    expect(parseAuditDate('2023-02-29T10:00:00Z', 'end')).toBeUndefined();
    expect(parseAuditDate('2026-04-31T10:00Z', 'start')).toBeUndefined();
  });

  it('refuses 24:00, which Date itself would read as the next midnight', () => {
    expect(new Date('2026-03-31T24:00:00Z').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(parseAuditDate('2026-03-31T24:00:00Z', 'end')).toBeUndefined();
    expect(parseAuditDate('2026-03-31T24:00Z', 'end')).toBeUndefined();
  });

  it.each([
    '2026-02-30', '2026-13-01', '2026-00-10', '0099-12-31', '2026-03-31T18:00:00', '31/03/2026', 'yesterday', '',
    'on 2026-03-31', '2026-03-31 UTC', 'x2026-03-31T18:00Z', '2026-03-31T18:00Zx',
    '2026-03-31T25:00:00Z', '2026-03-31T18:60:00Z', '2026-03-31T18:00:60Z', '2026-03-31T8:00Z',
    '2026-03-31T18:00:00.Z', '2026-03-31T18:00:00.1234567890Z', '2026-03-31T18:00:00+24:00', '2026-03-31T18:00:00+05:60',
    '2026-03-31T18:00:00*02:00', '2026-03-31T18:00:00+0200', '+002026-03-31T18:00:00Z', '+002026-03-31',
  ])('refuses %j', (text) => {
    expect(parseAuditDate(text, 'end')).toBeUndefined();
    expect(parseAuditDate(text, 'start')).toBeUndefined();
  });

  it('gives, in its hint, examples of the two forms that it accepts', () => {
    expect(AUDIT_DATE_HINT).toContain('YYYY-MM-DD');
    const example = /\d{4}-\d{2}-\d{2}T[^)\s]+/.exec(AUDIT_DATE_HINT)?.[0];
    expect(example && parseAuditDate(example, 'end')).toBeInstanceOf(Date);
  });
});
