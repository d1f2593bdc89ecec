import { z } from 'zod';
import { ClusterShapeError } from '../domain/errors.js';
import type { MaintenanceConfigurationSpec, MaintenanceWindowSpec } from '../domain/maintenanceSchedule.js';

const DAY_MS = 86_400_000;

const weekDay = z.enum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
const positiveInt = z.number().int().positive();

/**
 * A date-only field as the SDK hands it over: its deserializer does `new Date("YYYY-MM-DD")`, a UTC
 * midnight (models.js `maintenanceWindowDeserializer`, `dateSpanDeserializer`), which is turned back into
 * the calendar date ARM sent. Anything but a UTC midnight means ARM sent more than a date.
 */
const calendarDate = z
  .date()
  .refine((date) => date.getTime() % DAY_MS === 0, 'is not a calendar date (the SDK gave a time of day)')
  .transform((date) => date.toISOString().slice(0, 10));

/** The part of the SDK's MaintenanceConfiguration model (properties flattened) that rotation reads. */
const maintenanceConfigurationSchema = z.object({
  name: z.string(),
  timeInWeek: z.array(z.object({ day: weekDay.nullish(), hourSlots: z.array(z.number().int().min(0).max(23)).nullish() })).nullish(),
  notAllowedTime: z.array(z.object({ start: z.date().nullish(), end: z.date().nullish() })).nullish(),
  maintenanceWindow: z
    .object({
      schedule: z.object({
        daily: z.object({ intervalDays: positiveInt }).nullish(),
        weekly: z.object({ intervalWeeks: positiveInt, dayOfWeek: weekDay }).nullish(),
        absoluteMonthly: z.object({ intervalMonths: positiveInt, dayOfMonth: z.number().int().min(1).max(31) }).nullish(),
        relativeMonthly: z
          .object({ intervalMonths: positiveInt, weekIndex: z.enum(['First', 'Second', 'Third', 'Fourth', 'Last']), dayOfWeek: weekDay })
          .nullish(),
      }),
      durationHours: z.number().int().min(1).max(24),
      utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'is not an offset like +05:30').nullish(),
      startDate: calendarDate.nullish(),
      startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is not a time like 09:30'),
      notAllowedDates: z.array(z.object({ start: calendarDate, end: calendarDate })).nullish(),
    })
    .nullish(),
});

type ParsedWindow = NonNullable<z.infer<typeof maintenanceConfigurationSchema>['maintenanceWindow']>;

/** Copies the fields that are set (the SDK's models carry every key, most of them undefined). */
function defined<T extends object>(value: T): { [K in keyof T]: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as { [K in keyof T]: NonNullable<T[K]> };
}

function windowSpec(window: ParsedWindow): MaintenanceWindowSpec {
  return defined({
    schedule: defined(window.schedule),
    durationHours: window.durationHours,
    utcOffset: window.utcOffset,
    startDate: window.startDate,
    startTime: window.startTime,
    notAllowedDates: window.notAllowedDates,
  });
}

/**
 * One planned maintenance configuration from the SDK's model, as the rotation rules read it (AKS
 * planned maintenance: docs/rules.md); throws ClusterShapeError naming the bad field.
 */
export function toMaintenanceConfigurationSpec(model: unknown): MaintenanceConfigurationSpec {
  const parsed = maintenanceConfigurationSchema.safeParse(model);
  if (!parsed.success) {
    const id = (model as { id?: unknown; name?: unknown } | undefined)?.id ?? (model as { name?: unknown } | undefined)?.name ?? '(no id)';
    const issue = parsed.error.issues[0];
    throw new ClusterShapeError(`maintenance configuration ${String(id)}: "${issue?.path.join('.')}" ${issue?.message}`);
  }
  const m = parsed.data;
  return defined({
    name: m.name,
    timeInWeek: m.timeInWeek?.map((slot) => defined(slot)),
    notAllowedTime: m.notAllowedTime?.map((span) => defined(span)),
    maintenanceWindow: m.maintenanceWindow ? windowSpec(m.maintenanceWindow) : undefined,
  });
}
