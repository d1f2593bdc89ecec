/**
 * Planned maintenance configurations for demo clusters (AKS planned maintenance: docs/rules.md),
 * written relative to the fleet's `now` so that the demo shows the same picture at any wall-clock
 * time: an "open" window started an hour before `now` and lasts 8 hours; a "closed" one falls three
 * days away, or is open by the clock but today is a not-allowed date. Times are local to `utcOffset`.
 */
import type { SimulatedMaintenanceConfiguration } from '../armSimulator/fleet.js';

export type MaintenanceSpec = (now: Date) => SimulatedMaintenanceConfiguration;

export type ConfigurationName = 'aksManagedNodeOSUpgradeSchedule' | 'aksManagedAutoUpgradeSchedule';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
/** How long before `now` an open window started, and how long it lasts. */
const OPENED_BEFORE_MS = HOUR_MS;
const OPEN_DURATION_HOURS = 8;

function offsetMs(utcOffset: string): number {
  const match = /^([+-])(\d{2}):(\d{2})$/.exec(utcOffset);
  if (!match) throw new RangeError(`not a UTC offset: ${utcOffset}`);
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * HOUR_MS + Number(match[3]) * 60_000);
}

/** The wall clock in `utcOffset` at `instant`, as a Date whose UTC fields read that clock. */
function localClock(instant: Date, utcOffset: string): Date {
  return new Date(instant.getTime() + offsetMs(utcOffset));
}

const dateOf = (local: Date) => local.toISOString().slice(0, 10);
const timeOf = (local: Date) => local.toISOString().slice(11, 16);

function configuration(name: string, maintenanceWindow: Record<string, unknown>): SimulatedMaintenanceConfiguration {
  return { name, properties: { maintenanceWindow } };
}

/** Where an open window starts, in local time: an hour before now, to the minute. */
function openedAt(now: Date, utcOffset: string): Date {
  return localClock(new Date(now.getTime() - OPENED_BEFORE_MS), utcOffset);
}

/** A daily window, open now; effective since a week ago. */
export const openDaily =
  (name: ConfigurationName, utcOffset: string): MaintenanceSpec =>
  (now) => {
    const start = openedAt(now, utcOffset);
    return configuration(name, {
      schedule: { daily: { intervalDays: 1 } },
      durationHours: OPEN_DURATION_HOURS,
      utcOffset,
      startDate: dateOf(new Date(start.getTime() - 7 * DAY_MS)),
      startTime: timeOf(start),
    });
  };

/** A weekly window on the weekday it opened, open now. */
export const openWeekly =
  (name: ConfigurationName, utcOffset: string): MaintenanceSpec =>
  (now) => {
    const start = openedAt(now, utcOffset);
    return configuration(name, {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: WEEK_DAYS[start.getUTCDay()] } },
      durationHours: OPEN_DURATION_HOURS,
      utcOffset,
      startDate: dateOf(new Date(start.getTime() - 7 * DAY_MS)),
      startTime: timeOf(start),
    });
  };

/** A monthly window on the day of the month it opened (effective from that day), open now. */
export const openMonthly =
  (name: ConfigurationName, utcOffset: string): MaintenanceSpec =>
  (now) => {
    const start = openedAt(now, utcOffset);
    return configuration(name, {
      schedule: { absoluteMonthly: { intervalMonths: 1, dayOfMonth: start.getUTCDate() } },
      durationHours: OPEN_DURATION_HOURS,
      utcOffset,
      startDate: dateOf(start),
      startTime: timeOf(start),
    });
  };

/** A weekly window three days from today, 02:00 to 06:00: closed now. */
export const closedWeekly =
  (name: ConfigurationName, utcOffset: string): MaintenanceSpec =>
  (now) => {
    const today = localClock(now, utcOffset);
    return configuration(name, {
      schedule: { weekly: { intervalWeeks: 1, dayOfWeek: WEEK_DAYS[(today.getUTCDay() + 3) % 7] } },
      durationHours: 4,
      utcOffset,
      startTime: '02:00',
    });
  };

/** A daily window open by the clock, closed because the days it opened and runs on are not allowed. */
export const blackedOutDaily =
  (name: ConfigurationName, utcOffset: string): MaintenanceSpec =>
  (now) => {
    const open = openDaily(name, utcOffset)(now);
    const start = openedAt(now, utcOffset);
    const end = localClock(new Date(now.getTime() + DAY_MS), utcOffset);
    const window = open.properties['maintenanceWindow'] as Record<string, unknown>;
    return configuration(name, { ...window, notAllowedDates: [{ start: dateOf(start), end: dateOf(end) }] });
  };

/** The legacy `default` configuration: whole UTC hours of a weekday three days away, closed now. */
export const closedLegacyDefault: MaintenanceSpec = (now) => ({
  name: 'default',
  properties: { timeInWeek: [{ day: WEEK_DAYS[(now.getUTCDay() + 3) % 7], hourSlots: [2, 3, 4] }] },
});
