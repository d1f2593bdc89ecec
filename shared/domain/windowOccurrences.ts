import type { MaintenanceConfigurationSpec, MaintenanceSchedule, MaintenanceWindowSpec, WeekDay } from './maintenanceSchedule.js';
import type { Policy } from './policy.js';
import { DAY_MS } from './time.js';
import { withoutSpans, type Span } from './timeSpans.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const WEEK_DAYS: readonly WeekDay[] = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const POLICY_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEK_ORDINALS = ['First', 'Second', 'Third', 'Fourth'];

/**
 * Where to look for windows: the occurrences that start on a day from the day of `from` to the day of
 * `to` (days in the schedule's own UTC offset).
 */
export interface SearchRange {
  from: number;
  to: number;
}

/**
 * The spans an AKS `maintenanceWindow` allows (AKS planned maintenance, docs/rules.md "Maintenance
 * windows"): each scheduled day's occurrence, `startTime` plus `durationHours`, without the
 * `notAllowedDates`. Days and times are read in `utcOffset`; a day is a number of days since 1970-01-01.
 */
export function maintenanceWindowSpans(window: MaintenanceWindowSpec, range: SearchRange): Span[] {
  const offset = offsetMs(window.utcOffset);
  // Without a startDate AKS counts from the day the configuration was created, which the spec does not carry: count from 1970-01-01.
  const firstDay = window.startDate ? dayOfDate(window.startDate) : 0;
  const startsAt = clockMinutes(window.startTime) * MINUTE_MS - offset;
  const occurrences = daysIn(range, offset)
    .filter((day) => scheduledOn(window.schedule, day, firstDay))
    .map((day) => ({ start: day * DAY_MS + startsAt, end: day * DAY_MS + startsAt + window.durationHours * HOUR_MS }));
  // "with 'utcOffset: +02:00' and 'dateSpan' being '2022-12-23' to '2023-01-03', maintenance will be blocked from '2022-12-22 22:00' to '2023-01-03 22:00' in UTC"
  const notAllowed = (window.notAllowedDates ?? []).map((dates) => ({
    start: dayOfDate(dates.start) * DAY_MS - offset,
    end: (dayOfDate(dates.end) + 1) * DAY_MS - offset,
  }));
  return withoutSpans(occurrences, notAllowed);
}

/** The legacy `default` form: every hour slot of `timeInWeek` is the whole UTC hour it names, less the `notAllowedTime` spans. */
export function timeInWeekSpans(
  timeInWeek: NonNullable<MaintenanceConfigurationSpec['timeInWeek']>,
  notAllowedTime: MaintenanceConfigurationSpec['notAllowedTime'],
  range: SearchRange,
): Span[] {
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const slots = daysIn(range, 0).flatMap((day) =>
    hours
      .filter((hour) => timeInWeek.some((entry) => entry.day === WEEK_DAYS[weekdayOf(day)] && entry.hourSlots?.includes(hour)))
      .map((hour) => ({ start: day * DAY_MS + hour * HOUR_MS, end: day * DAY_MS + (hour + 1) * HOUR_MS })),
  );
  const notAllowed = notAllowedTime?.flatMap(({ start, end }) => (start && end ? [{ start: start.getTime(), end: end.getTime() }] : []));
  return withoutSpans(slots, notAllowed ?? []);
}

/** The policy's own window (UTC): from `start` to `end` on each of `days` (every day without them), past midnight when `end` is not after `start`. */
export function policyWindowSpans(window: NonNullable<Policy['rotation']['window']>, range: SearchRange): Span[] {
  const start = clockMinutes(window.start);
  const end = clockMinutes(window.end);
  const minutes = end > start ? end - start : end - start + 24 * 60;
  return daysIn(range, 0)
    .filter((day) => !window.days || window.days.includes(POLICY_DAYS[weekdayOf(day)]!))
    .map((day) => ({ start: day * DAY_MS + start * MINUTE_MS, end: day * DAY_MS + (start + minutes) * MINUTE_MS }));
}

/** Whether `schedule` has an occurrence on `day`, counting its intervals from `firstDay`, the first day it may run. */
function scheduledOn(schedule: MaintenanceSchedule, day: number, firstDay: number): boolean {
  if (day < firstDay) return false;
  const { daily, weekly, absoluteMonthly, relativeMonthly } = schedule;
  if (daily) return (day - firstDay) % daily.intervalDays === 0;
  if (weekly) {
    // Azure/AKS#5720: a fixed cadence of Sunday-to-Saturday weeks counted from the week of startDate; when its
    // dayOfWeek that week falls before startDate, that occurrence is skipped, not moved.
    const first = firstDay - weekdayOf(firstDay) + WEEK_DAYS.indexOf(weekly.dayOfWeek);
    return (day - first) % (7 * weekly.intervalWeeks) === 0;
  }
  const date = new Date(day * DAY_MS);
  const monthsFromFirst = monthNumber(date) - monthNumber(new Date(firstDay * DAY_MS));
  if (absoluteMonthly) return monthsFromFirst % absoluteMonthly.intervalMonths === 0 && date.getUTCDate() === absoluteMonthly.dayOfMonth;
  if (relativeMonthly) {
    return monthsFromFirst % relativeMonthly.intervalMonths === 0
      && weekdayOf(day) === WEEK_DAYS.indexOf(relativeMonthly.dayOfWeek)
      && isWeekOfMonth(date, relativeMonthly.weekIndex);
  }
  return false;
}

/** Whether `date` is in the `weekIndex`th seven days of its month (the first seven are `First`), or in its last seven for `Last`. */
function isWeekOfMonth(date: Date, weekIndex: string): boolean {
  const dayOfMonth = date.getUTCDate();
  if (weekIndex === 'Last') return dayOfMonth + 7 > new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return WEEK_ORDINALS.indexOf(weekIndex) === Math.floor((dayOfMonth - 1) / 7);
}

/** The days (since 1970-01-01, in a calendar `offset` ms ahead of UTC) from the day of `range.from` to the day of `range.to`. */
function daysIn(range: SearchRange, offset: number): number[] {
  const first = Math.floor((range.from + offset) / DAY_MS);
  return Array.from({ length: Math.floor((range.to + offset) / DAY_MS) - first + 1 }, (_, index) => first + index);
}

/** Sunday 0 to Saturday 6: 1970-01-01, day 0, was a Thursday. */
const weekdayOf = (day: number) => (day + 4) % 7;
const monthNumber = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
/** `YYYY-MM-DD` as a day number: a calendar date, never an instant. */
const dayOfDate = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
/** `HH:mm` as minutes after midnight. */
const clockMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
/** `+05:30` / `-08:00` as the milliseconds local time is ahead of UTC; absent is `+00:00`. */
const offsetMs = (utcOffset?: string) => (utcOffset ? (utcOffset.startsWith('-') ? -1 : 1) * clockMinutes(utcOffset.slice(1)) * MINUTE_MS : 0);
