import { describe, expect, it } from 'vitest';
import { addDays, calendarDate, calendarDaysBetween, isoDateTimeSchema, wholeDaysBetween } from '../../../shared/domain/time.js';

const at = (iso: string) => new Date(iso);

describe('time', () => {
  it('moves by whole 24-hour days, forwards and back', () => {
    expect(addDays(at('2026-11-23T12:00:00Z'), 5).toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(addDays(at('2026-11-23T12:00:00Z'), -1.5).toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('counts elapsed whole days, rounding down, negative when the second instant is earlier', () => {
    expect(wholeDaysBetween(at('2026-11-23T12:00:00Z'), at('2026-11-28T11:59:59Z'))).toBe(4);
    expect(wholeDaysBetween(at('2026-11-23T12:00:00Z'), at('2026-11-28T12:00:00Z'))).toBe(5);
    expect(wholeDaysBetween(at('2026-11-23T12:00:00Z'), at('2026-11-23T11:59:00Z'))).toBe(-1);
  });

  it('counts calendar days (UTC) between the days of two instants, whatever their time of day', () => {
    expect(calendarDaysBetween(at('2026-11-23T00:00:00Z'), at('2026-11-23T23:59:59Z'))).toBe(0);
    expect(calendarDaysBetween(at('2026-11-23T23:59:00Z'), at('2026-11-24T00:01:00Z'))).toBe(1);
    expect(calendarDaysBetween(at('2026-11-23T12:00:00Z'), at('2026-11-28T11:45:00Z'))).toBe(5);
    expect(calendarDaysBetween(at('2026-11-24T00:05:00Z'), at('2026-11-23T23:55:00Z'))).toBe(-1);
    expect(calendarDaysBetween(at('1969-12-31T12:00:00Z'), at('1970-01-01T12:00:00Z'))).toBe(1);
  });

  it('makes a UTC calendar date of real parts only', () => {
    expect(calendarDate(2024, 2, 29)?.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(calendarDate(2026, 12, 31)?.toISOString()).toBe('2026-12-31T00:00:00.000Z');
    expect(calendarDate(2023, 2, 29)).toBeUndefined();
    expect(calendarDate(2026, 4, 31)).toBeUndefined();
    expect(calendarDate(2026, 13, 1)).toBeUndefined();
    expect(calendarDate(2026, 0, 10)).toBeUndefined();
    expect(calendarDate(2026, 1, 0)).toBeUndefined();
  });

  it('refuses a year before 100 rather than reading it as 19xx', () => {
    expect(calendarDate(99, 1, 1)).toBeUndefined();
  });
});

describe('isoDateTimeSchema', () => {
  it('takes an ISO 8601 date-time, and names what is wrong with anything else', () => {
    expect(isoDateTimeSchema.parse('2026-11-23T06:00:00Z')).toBe('2026-11-23T06:00:00Z');
    const refused = isoDateTimeSchema.safeParse('not a time');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe('is not a date-time');
  });
});
