import { z } from 'zod';

/** One day in milliseconds: every age and expiry rule compares instants to the millisecond. */
export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Whole days from `from` to `to`, rounded down (negative when `to` is earlier). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/**
 * Calendar days (UTC) from the day of `from` to the day of `to`: 0 within one UTC day, 1 from any time
 * on 2026-11-23 to any time on 2026-11-24 (negative when `to` is earlier). A count printed beside a
 * date therefore agrees with that date: "expires in 5 days, on 2026-11-28" read on 2026-11-23.
 */
export function calendarDaysBetween(from: Date, to: Date): number {
  return Math.floor(to.getTime() / DAY_MS) - Math.floor(from.getTime() / DAY_MS);
}

/**
 * A UTC calendar date, or undefined when the parts do not name a real day (2023-02-29). `Date.UTC`
 * rolls a day past the month's end into the next month and a month past December into the next
 * year, so the year and the month tell whether the parts were real (it also reads years 0-99 as
 * 1900-1999, which the year check refuses).
 */
export function calendarDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 ? date : undefined;
}

/** An ISO 8601 date-time in external input (events, queue messages). */
export const isoDateTimeSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'is not a date-time');
