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

/** A UTC calendar date, or undefined when the parts do not name a real day (2023-02-29). */
export function calendarDate(year: number, month: number, day: number): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? date : undefined;
}

/** An ISO 8601 date-time in external input (events, queue messages). */
export const isoDateTimeSchema = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'is not a date-time');
