/**
 * An AKS planned maintenance configuration as the rules read it (`maintenanceConfigurations`,
 * AKS planned maintenance: docs/rules.md). Date-only fields stay calendar dates (`YYYY-MM-DD`) in the
 * window's `utcOffset`: the SDK hands them over as UTC-midnight `Date`s, which the ARM adapter turns back.
 */
export type WeekDay = 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday';
export type WeekIndex = 'First' | 'Second' | 'Third' | 'Fourth' | 'Last';

/** The configuration names AKS knows, in the order rotation prefers them. */
export const MAINTENANCE_CONFIGURATION_PREFERENCE = ['aksManagedNodeOSUpgradeSchedule', 'aksManagedAutoUpgradeSchedule', 'default'] as const;

export interface MaintenanceSchedule {
  daily?: { intervalDays: number };
  weekly?: { intervalWeeks: number; dayOfWeek: WeekDay };
  absoluteMonthly?: { intervalMonths: number; dayOfMonth: number };
  relativeMonthly?: { intervalMonths: number; weekIndex: WeekIndex; dayOfWeek: WeekDay };
}

export interface MaintenanceWindowSpec {
  schedule: MaintenanceSchedule;
  durationHours: number;
  /** `+05:30`, `-08:00`; absent means `+00:00`. */
  utcOffset?: string;
  /** `YYYY-MM-DD` in `utcOffset`: the window is effective from this day. */
  startDate?: string;
  /** `HH:mm` in `utcOffset`. */
  startTime: string;
  /** Whole local days, both ends inclusive (`YYYY-MM-DD`). */
  notAllowedDates?: { start: string; end: string }[];
}

export interface MaintenanceConfigurationSpec {
  /** `aksManagedNodeOSUpgradeSchedule`, `aksManagedAutoUpgradeSchedule`, `default` (or another name, which rotation ignores). */
  name: string;
  /** The legacy form (`default` only): whole UTC hours of a weekday. */
  timeInWeek?: { day?: WeekDay; hourSlots?: number[] }[];
  /** The legacy form's exclusions: instants. */
  notAllowedTime?: { start?: Date; end?: Date }[];
  maintenanceWindow?: MaintenanceWindowSpec;
}
