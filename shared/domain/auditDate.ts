import { calendarDate, DAY_MS } from './time.js';

/**
 * Dates auditors type: a calendar day (`2026-03-31`) or an ISO 8601 date-time with a zone
 * (`2026-03-31T18:00:00Z`, `2026-03-31T20:00:00+02:00`). A day stands for the whole UTC day: as the
 * end of a range (`--as-of`, `to`) it means the last millisecond of that day, as the start (`from`),
 * its first. Anything else, including a day that does not exist (2026-02-30), is refused.
 */
export type DayEdge = 'start' | 'end';

export const AUDIT_DATE_HINT = 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone (2026-03-31T18:00:00Z)';

export function parseAuditDate(text: string, edge: DayEdge): Date | undefined {
  const value = text.trim();
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const date = calendarDate(Number(day[1]), Number(day[2]), Number(day[3]));
    if (!date) return undefined;
    return edge === 'start' ? date : new Date(date.getTime() + DAY_MS - 1);
  }
  // Hours 00-23, minutes and seconds 00-59: Date would take 24:00 as the next day's midnight.
  const dateTime = /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/.exec(value);
  // Date reads 2026-02-30T10:00:00Z as 2 March: the day itself must exist.
  if (!dateTime || !calendarDate(Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3]))) return undefined;
  // An offset past ±23:59 (+24:00, +05:60) fits the pattern; Date refuses it.
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
