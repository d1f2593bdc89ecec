import { describe, expect, it } from 'vitest';
import { toMaintenanceConfigurationSpec } from '../../../shared/azure/maintenanceConfigurations.js';
import { ClusterShapeError } from '../../../shared/domain/errors.js';

/** The SDK model of one configuration, as its deserializer builds it: properties flattened, dates as `new Date("YYYY-MM-DD")`. */
function model(window: Record<string, unknown>) {
  return {
    id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c/maintenanceConfigurations/aksManagedAutoUpgradeSchedule',
    name: 'aksManagedAutoUpgradeSchedule',
    type: 'Microsoft.ContainerService/managedClusters/maintenanceConfigurations',
    systemData: undefined,
    timeInWeek: undefined,
    notAllowedTime: undefined,
    maintenanceWindow: {
      schedule: { daily: undefined, weekly: { intervalWeeks: 2, dayOfWeek: 'Monday' }, absoluteMonthly: undefined, relativeMonthly: undefined },
      durationHours: 4,
      utcOffset: '+05:30',
      startDate: new Date('2026-02-28'),
      startTime: '23:30',
      notAllowedDates: [{ start: new Date('2026-12-31'), end: new Date('2027-01-01') }],
      ...window,
    },
  };
}

describe('toMaintenanceConfigurationSpec', () => {
  it('turns the SDK UTC-midnight dates back into the calendar dates ARM sent, keeping only what is set', () => {
    expect(toMaintenanceConfigurationSpec(model({}))).toStrictEqual({
      name: 'aksManagedAutoUpgradeSchedule',
      maintenanceWindow: {
        schedule: { weekly: { intervalWeeks: 2, dayOfWeek: 'Monday' } },
        durationHours: 4,
        utcOffset: '+05:30',
        startDate: '2026-02-28',
        startTime: '23:30',
        notAllowedDates: [{ start: '2026-12-31', end: '2027-01-01' }],
      },
    });
  });

  it('accepts null where the SDK passes JSON nulls through', () => {
    const spec = toMaintenanceConfigurationSpec(model({ utcOffset: null, startDate: null, notAllowedDates: null }));
    expect(spec.maintenanceWindow).toStrictEqual({ schedule: { weekly: { intervalWeeks: 2, dayOfWeek: 'Monday' } }, durationHours: 4, startTime: '23:30' });
  });

  it.each([
    [{ startDate: new Date('2026-02-28T05:30:00Z') }, /"maintenanceWindow.startDate" is not a calendar date/],
    [{ startDate: new Date('not a date') }, /"maintenanceWindow.startDate"/],
    [{ notAllowedDates: [{ start: new Date('2026-01-01'), end: new Date('2026-01-01T12:00:00Z') }] }, /"maintenanceWindow.notAllowedDates.0.end" is not a calendar date/],
    [{ utcOffset: '5:30' }, /"maintenanceWindow.utcOffset" is not an offset like \+05:30/],
    [{ startTime: '24:00' }, /"maintenanceWindow.startTime" is not a time like 09:30/],
    [{ startTime: '9:30' }, /"maintenanceWindow.startTime"/],
    [{ durationHours: 0 }, /"maintenanceWindow.durationHours"/],
    [{ durationHours: 25 }, /"maintenanceWindow.durationHours"/],
    [{ schedule: { weekly: { intervalWeeks: 1, dayOfWeek: 'Funday' } } }, /"maintenanceWindow.schedule.weekly.dayOfWeek"/],
    [{ schedule: { absoluteMonthly: { intervalMonths: 1, dayOfMonth: 32 } } }, /"maintenanceWindow.schedule.absoluteMonthly.dayOfMonth"/],
    [{ schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Fifth', dayOfWeek: 'Monday' } } }, /"maintenanceWindow.schedule.relativeMonthly.weekIndex"/],
    [{ schedule: { daily: { intervalDays: 0 } } }, /"maintenanceWindow.schedule.daily.intervalDays"/],
  ])('names the field ARM sent in a shape the rules cannot read (%j)', (window, message) => {
    const read = () => toMaintenanceConfigurationSpec(model(window));
    expect(read).toThrow(ClusterShapeError);
    expect(read).toThrow(/^maintenance configuration \/subscriptions\/s\/.*\/maintenanceConfigurations\/aksManagedAutoUpgradeSchedule: /);
    expect(read).toThrow(message);
  });

  it('reads the legacy form: weekday hour slots and excluded instants', () => {
    const legacy = {
      name: 'default',
      timeInWeek: [{ day: 'Saturday', hourSlots: [0, 23] }, { day: 'Sunday', hourSlots: undefined }],
      notAllowedTime: [{ start: new Date('2026-12-24T18:00:00Z'), end: undefined }],
      maintenanceWindow: undefined,
    };
    expect(toMaintenanceConfigurationSpec(legacy)).toStrictEqual({
      name: 'default',
      timeInWeek: [{ day: 'Saturday', hourSlots: [0, 23] }, { day: 'Sunday' }],
      notAllowedTime: [{ start: new Date('2026-12-24T18:00:00Z') }],
    });
    expect(() => toMaintenanceConfigurationSpec({ ...legacy, timeInWeek: [{ day: 'Saturday', hourSlots: [24] }] })).toThrow(/^maintenance configuration default: "timeInWeek.0.hourSlots.0"/);
    expect(() => toMaintenanceConfigurationSpec({})).toThrow(/^maintenance configuration \(no id\): "name"/);
  });
});
