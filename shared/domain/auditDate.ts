import { calendarDate, DAY_MS } from './time.js';

/**
 * Dates auditors type: a calendar day (`2026-03-31`) or an ISO 8601 date-time with a zone
 * (`2026-03-31T18:00:00Z`, `2026-03-31T20:00:00+02:00`). A day stands for the whole UTC day: as the
 * end of a range (`--as-of`, `to`) it means the last millisecond of that day, as the start (`from`),
 * its first. Anything else, including a day that does not exist (2026-02-30), is refused.
 */
export type DayEdge = 'start' | 'end';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

export const AUDIT_DATE_HINT = 'a date (YYYY-MM-DD) or an ISO 8601 date-time with a zone (2026-03-31T18:00:00Z)';

export function parseAuditDate(text: string, edge: DayEdge): Date | undefined {
  const value = text.trim();
  const day = DAY.exec(value);
  if (day) {
    const date = calendarDate(Number(day[1]), Number(day[2]), Number(day[3]));
    if (!date) return undefined;
    return edge === 'start' ? date : new Date(date.getTime() + DAY_MS - 1);
  }
  const dateTime = DATE_TIME.exec(value);
  if (!dateTime) return undefined;
  const [, year, month, dayOfMonth, hours, minutes, seconds = '0'] = dateTime;
  if (!calendarDate(Number(year), Number(month), Number(dayOfMonth)) || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
