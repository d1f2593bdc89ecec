import { describe, expect, it } from 'vitest';
import type { MaintenanceConfigurationSpec, MaintenanceSchedule, MaintenanceWindowSpec } from '../../../shared/domain/maintenanceSchedule.js';
import { rotationWindow } from '../../../shared/domain/maintenanceWindow.js';
import type { Policy } from '../../../shared/domain/policy.js';

const at = (iso: string) => new Date(iso);

/** The decision under one `aksManagedAutoUpgradeSchedule` window: 01:00 UTC for 4 hours unless told otherwise. */
function underAksWindow(window: Partial<MaintenanceWindowSpec> & { schedule: MaintenanceSchedule }, now: string, expectedDurationMinutes = 30) {
  const maintenanceWindow: MaintenanceWindowSpec = { durationHours: 4, startTime: '01:00', ...window };
  return rotationWindow({ configurations: [{ name: 'aksManagedAutoUpgradeSchedule', maintenanceWindow }], policyWindow: null, now: at(now), expectedDurationMinutes });
}
const AKS = { source: 'aksManagedAutoUpgradeSchedule', name: 'aksManagedAutoUpgradeSchedule' } as const;
const openUntil = (iso: string) => ({ ...AKS, open: true, closesAt: at(iso) });
const closedUntil = (iso: string) => ({ ...AKS, open: false, notBefore: at(iso) });
const closedForGood = { ...AKS, open: false };

const weekly = (dayOfWeek: NonNullable<MaintenanceSchedule['weekly']>['dayOfWeek'], intervalWeeks = 1): MaintenanceSchedule => ({ weekly: { intervalWeeks, dayOfWeek } });
const daily = (intervalDays = 1): MaintenanceSchedule => ({ daily: { intervalDays } });

describe('rotationWindow', () => {
  describe('a window that crosses midnight', () => {
    const fridayNight = { schedule: weekly('Friday'), startTime: '22:00', durationHours: 6 };

    it('is open after midnight in the window that started the evening before, until it ends', () => {
      expect(underAksWindow(fridayNight, '2026-01-03T01:00:00Z')).toStrictEqual(openUntil('2026-01-03T04:00:00Z'));
    });

    it('opens at its start and is closed from its end, until the next week', () => {
      expect(underAksWindow(fridayNight, '2026-01-02T21:59:00Z')).toStrictEqual(closedUntil('2026-01-02T22:00:00Z'));
      expect(underAksWindow(fridayNight, '2026-01-02T22:00:00Z')).toStrictEqual(openUntil('2026-01-03T04:00:00Z'));
      expect(underAksWindow(fridayNight, '2026-01-03T04:00:00Z')).toStrictEqual(closedUntil('2026-01-09T22:00:00Z'));
    });
  });

  describe('utcOffset', () => {
    it('+05:30: a Monday 02:00 window starts on Sunday in UTC', () => {
      const window = { schedule: weekly('Monday'), startTime: '02:00', utcOffset: '+05:30' };
      expect(underAksWindow(window, '2026-03-01T20:29:00Z')).toStrictEqual(closedUntil('2026-03-01T20:30:00Z'));
      expect(underAksWindow(window, '2026-03-01T21:00:00Z')).toStrictEqual(openUntil('2026-03-02T00:30:00Z'));
    });

    it('-08:00: a Sunday 20:00 window runs on Monday in UTC', () => {
      const window = { schedule: weekly('Sunday'), startTime: '20:00', utcOffset: '-08:00' };
      expect(underAksWindow(window, '2026-03-02T05:00:00Z')).toStrictEqual(openUntil('2026-03-02T08:00:00Z'));
      expect(underAksWindow(window, '2026-03-01T12:00:00Z')).toStrictEqual(closedUntil('2026-03-02T04:00:00Z'));
    });

    it('-08:00: startDate and notAllowedDates name local days, not UTC ones', () => {
      const window = { schedule: weekly('Sunday'), startTime: '20:00', utcOffset: '-08:00' };
      // The Sunday 2026-03-01 window runs on Monday 2026-03-02 in UTC.
      expect(underAksWindow({ ...window, notAllowedDates: [{ start: '2026-03-02', end: '2026-03-02' }] }, '2026-03-02T05:00:00Z')).toStrictEqual(openUntil('2026-03-02T08:00:00Z'));
      expect(underAksWindow({ ...window, notAllowedDates: [{ start: '2026-03-01', end: '2026-03-01' }] }, '2026-03-02T05:00:00Z')).toStrictEqual(closedUntil('2026-03-09T04:00:00Z'));
      expect(underAksWindow({ ...window, startDate: '2026-03-01' }, '2026-03-02T05:00:00Z')).toStrictEqual(openUntil('2026-03-02T08:00:00Z'));
      expect(underAksWindow({ ...window, startDate: '2026-03-02' }, '2026-03-02T05:00:00Z')).toStrictEqual(closedUntil('2026-03-09T04:00:00Z'));
    });

    it('-08:00: a 24-hour window that started on the previous local day is still open', () => {
      const window = { schedule: weekly('Sunday'), startTime: '22:00', durationHours: 24, utcOffset: '-08:00' };
      expect(underAksWindow(window, '2026-03-02T17:00:00Z')).toStrictEqual(openUntil('2026-03-03T06:00:00Z'));
    });

    it('+05:30: looks 400 days ahead in UTC, whatever the local day', () => {
      const window = { schedule: daily(), startDate: '2027-02-05', utcOffset: '+05:30' };
      expect(underAksWindow({ ...window, startTime: '05:30' }, '2026-01-01T00:00:00Z')).toStrictEqual(closedUntil('2027-02-05T00:00:00Z'));
      expect(underAksWindow({ ...window, startTime: '05:31' }, '2026-01-01T00:00:00Z')).toStrictEqual(closedForGood);
    });

    it('absent is +00:00', () => {
      expect(underAksWindow({ schedule: weekly('Friday') }, '2026-01-02T02:00:00Z')).toStrictEqual(openUntil('2026-01-02T05:00:00Z'));
    });
  });

  describe('absoluteMonthly', () => {
    const the31st = { schedule: { absoluteMonthly: { intervalMonths: 1, dayOfMonth: 31 } } };

    it('has no window in a month without that day: after 31 January comes 31 March, after 31 March 31 May', () => {
      expect(underAksWindow(the31st, '2026-01-31T06:00:00Z')).toStrictEqual(closedUntil('2026-03-31T01:00:00Z'));
      expect(underAksWindow(the31st, '2026-03-31T06:00:00Z')).toStrictEqual(closedUntil('2026-05-31T01:00:00Z'));
      expect(underAksWindow(the31st, '2026-01-31T02:00:00Z')).toStrictEqual(openUntil('2026-01-31T05:00:00Z'));
    });

    it('runs on 29 February in a leap year only', () => {
      const the29th = { schedule: { absoluteMonthly: { intervalMonths: 1, dayOfMonth: 29 } } };
      expect(underAksWindow(the29th, '2027-02-01T00:00:00Z')).toStrictEqual(closedUntil('2027-03-29T01:00:00Z'));
      expect(underAksWindow(the29th, '2028-02-01T00:00:00Z')).toStrictEqual(closedUntil('2028-02-29T01:00:00Z'));
    });

    it('intervalMonths 2 counts from the month of startDate, and skips that month\'s day when it is before startDate', () => {
      const everyOtherMonth = { schedule: { absoluteMonthly: { intervalMonths: 2, dayOfMonth: 15 } }, startDate: '2026-01-20' };
      expect(underAksWindow(everyOtherMonth, '2026-01-10T00:00:00Z')).toStrictEqual(closedUntil('2026-03-15T01:00:00Z'));
      expect(underAksWindow(everyOtherMonth, '2026-03-15T06:00:00Z')).toStrictEqual(closedUntil('2026-05-15T01:00:00Z'));
      expect(underAksWindow({ ...everyOtherMonth, startDate: '2026-01-15' }, '2026-01-10T00:00:00Z')).toStrictEqual(closedUntil('2026-01-15T01:00:00Z'));
    });

    it('counts months across the turn of the year: every 5 months from December 2025 is May 2026', () => {
      const everyFifthMonth = { schedule: { absoluteMonthly: { intervalMonths: 5, dayOfMonth: 1 } }, startDate: '2025-12-05' };
      expect(underAksWindow(everyFifthMonth, '2025-12-06T00:00:00Z')).toStrictEqual(closedUntil('2026-05-01T01:00:00Z'));
    });
  });

  describe('relativeMonthly', () => {
    const friday = (weekIndex: NonNullable<MaintenanceSchedule['relativeMonthly']>['weekIndex'], intervalMonths = 1): MaintenanceSchedule => ({
      relativeMonthly: { intervalMonths, weekIndex, dayOfWeek: 'Friday' },
    });

    it.each([
      ['First', '2026-01-02'],
      ['Second', '2026-01-09'],
      ['Third', '2026-01-16'],
      ['Fourth', '2026-01-23'],
      ['Last', '2026-01-30'],
    ] as const)('%s Friday of January 2026 (a month of five Fridays) is %s', (weekIndex, day) => {
      expect(underAksWindow({ schedule: friday(weekIndex) }, '2026-01-01T00:00:00Z')).toStrictEqual(closedUntil(`${day}T01:00:00Z`));
    });

    it('Last is the fourth in a month of four such weekdays, the fifth in a month of five', () => {
      expect(underAksWindow({ schedule: friday('Last') }, '2026-01-31T00:00:00Z')).toStrictEqual(closedUntil('2026-02-27T01:00:00Z'));
      expect(underAksWindow({ schedule: friday('Fourth') }, '2026-01-31T00:00:00Z')).toStrictEqual(closedUntil('2026-02-27T01:00:00Z'));
      expect(underAksWindow({ schedule: friday('Last') }, '2026-05-23T00:00:00Z')).toStrictEqual(closedUntil('2026-05-29T01:00:00Z'));
    });

    it('Last is within the last seven days of the month: the 31st, not the 24th, when both are that weekday', () => {
      const lastSaturday = { schedule: { relativeMonthly: { intervalMonths: 1, weekIndex: 'Last', dayOfWeek: 'Saturday' } } } as const;
      expect(underAksWindow(lastSaturday, '2026-01-20T00:00:00Z')).toStrictEqual(closedUntil('2026-01-31T01:00:00Z'));
      expect(underAksWindow(lastSaturday, '2026-02-01T00:00:00Z')).toStrictEqual(closedUntil('2026-02-28T01:00:00Z'));
    });

    it('intervalMonths 2 without startDate counts months from January 1970: January, March, May', () => {
      expect(underAksWindow({ schedule: friday('First', 2) }, '2026-01-03T00:00:00Z')).toStrictEqual(closedUntil('2026-03-06T01:00:00Z'));
      expect(underAksWindow({ schedule: friday('First', 2), startDate: '2026-02-01' }, '2026-01-03T00:00:00Z')).toStrictEqual(closedUntil('2026-02-06T01:00:00Z'));
    });
  });

  describe('weekly with intervalWeeks (Azure/AKS#5720)', () => {
    it('a startDate after the dayOfWeek in its week skips that week and counts on from it: Tuesday 14 April, every 2 weeks on Sunday, opens on 26 April', () => {
      const window = { schedule: weekly('Sunday', 2), startDate: '2026-04-14' };
      expect(underAksWindow(window, '2026-04-14T12:00:00Z')).toStrictEqual(closedUntil('2026-04-26T01:00:00Z'));
      expect(underAksWindow(window, '2026-04-26T06:00:00Z')).toStrictEqual(closedUntil('2026-05-10T01:00:00Z'));
    });

    it('a startDate on or before the dayOfWeek in its week opens that week', () => {
      expect(underAksWindow({ schedule: weekly('Sunday', 2), startDate: '2026-04-12' }, '2026-04-11T00:00:00Z')).toStrictEqual(closedUntil('2026-04-12T01:00:00Z'));
      expect(underAksWindow({ schedule: weekly('Friday', 2), startDate: '2026-04-13' }, '2026-04-11T00:00:00Z')).toStrictEqual(closedUntil('2026-04-17T01:00:00Z'));
      expect(underAksWindow({ schedule: weekly('Friday', 2), startDate: '2026-04-13' }, '2026-04-17T06:00:00Z')).toStrictEqual(closedUntil('2026-05-01T01:00:00Z'));
    });

    it('runs on each day of the week it is given', () => {
      expect(underAksWindow({ schedule: weekly('Thursday') }, '2026-01-01T00:00:00Z')).toStrictEqual(closedUntil('2026-01-01T01:00:00Z'));
      expect(underAksWindow({ schedule: weekly('Saturday') }, '2026-01-01T00:00:00Z')).toStrictEqual(closedUntil('2026-01-03T01:00:00Z'));
    });

    it('intervalWeeks 1 runs every week from startDate', () => {
      expect(underAksWindow({ schedule: weekly('Friday'), startDate: '2026-04-13' }, '2026-04-17T06:00:00Z')).toStrictEqual(closedUntil('2026-04-24T01:00:00Z'));
    });
  });

  describe('daily with intervalDays', () => {
    const everyThirdDay = { schedule: daily(3), startDate: '2026-03-01' };

    it('intervalDays 3 runs on startDate and every third day after it', () => {
      expect(underAksWindow(everyThirdDay, '2026-02-27T00:00:00Z')).toStrictEqual(closedUntil('2026-03-01T01:00:00Z'));
      expect(underAksWindow(everyThirdDay, '2026-03-02T00:00:00Z')).toStrictEqual(closedUntil('2026-03-04T01:00:00Z'));
      expect(underAksWindow(everyThirdDay, '2026-03-04T02:00:00Z')).toStrictEqual(openUntil('2026-03-04T05:00:00Z'));
      expect(underAksWindow(everyThirdDay, '2026-03-05T02:00:00Z')).toStrictEqual(closedUntil('2026-03-07T01:00:00Z'));
    });

    it('without startDate counts from 1970-01-01', () => {
      // 2026-03-01 is day 20513 since 1970-01-01, 20513 = 3 × 6837 + 2.
      expect(underAksWindow({ schedule: daily(3) }, '2026-03-01T00:00:00Z')).toStrictEqual(closedUntil('2026-03-02T01:00:00Z'));
    });

    it('looks 400 days ahead, and no further', () => {
      expect(underAksWindow({ schedule: daily(), startDate: '2027-02-05', startTime: '00:00' }, '2026-01-01T00:00:00Z')).toStrictEqual(closedUntil('2027-02-05T00:00:00Z'));
      expect(underAksWindow({ schedule: daily(), startDate: '2027-02-05', startTime: '00:01' }, '2026-01-01T00:00:00Z')).toStrictEqual(closedForGood);
    });
  });

  it('has no window for a schedule of no kind it knows', () => {
    expect(underAksWindow({ schedule: {} }, '2026-01-01T00:00:00Z')).toStrictEqual(closedForGood);
  });

  describe('notAllowedDates', () => {
    const everyDay = { schedule: daily(), notAllowedDates: [{ start: '2026-03-10', end: '2026-03-12' }] };

    it('excludes whole days, both ends included, and nothing on the days just outside', () => {
      expect(underAksWindow(everyDay, '2026-03-09T02:00:00Z')).toStrictEqual(openUntil('2026-03-09T05:00:00Z'));
      expect(underAksWindow(everyDay, '2026-03-10T02:00:00Z')).toStrictEqual(closedUntil('2026-03-13T01:00:00Z'));
      expect(underAksWindow(everyDay, '2026-03-12T02:00:00Z')).toStrictEqual(closedUntil('2026-03-13T01:00:00Z'));
      expect(underAksWindow(everyDay, '2026-03-13T02:00:00Z')).toStrictEqual(openUntil('2026-03-13T05:00:00Z'));
    });

    it('removes only the overlap from a window that runs into or out of an excluded day', () => {
      const nightly = { schedule: daily(), startTime: '22:00', notAllowedDates: [{ start: '2026-03-10', end: '2026-03-10' }] };
      expect(underAksWindow(nightly, '2026-03-09T23:00:00Z')).toStrictEqual(openUntil('2026-03-10T00:00:00Z'));
      expect(underAksWindow(nightly, '2026-03-09T23:00:00Z', 90)).toStrictEqual(closedUntil('2026-03-11T00:00:00Z'));
      expect(underAksWindow(nightly, '2026-03-09T23:00:00Z', 180)).toStrictEqual(closedUntil('2026-03-11T22:00:00Z'));
    });

    it('applies every range given', () => {
      const twoRanges = { schedule: daily(), notAllowedDates: [{ start: '2026-03-10', end: '2026-03-10' }, { start: '2026-03-11', end: '2026-03-11' }] };
      expect(underAksWindow(twoRanges, '2026-03-10T00:00:00Z')).toStrictEqual(closedUntil('2026-03-12T01:00:00Z'));
    });
  });

  describe('the time the rotation needs', () => {
    it('never opens a window shorter than the rotation', () => {
      expect(underAksWindow({ schedule: daily() }, '2026-01-01T01:00:00Z', 300)).toStrictEqual(closedForGood);
    });

    it('opens while the rest of the window holds the rotation, exactly or more', () => {
      expect(underAksWindow({ schedule: weekly('Friday') }, '2026-01-02T04:30:00Z')).toStrictEqual(openUntil('2026-01-02T05:00:00Z'));
      expect(underAksWindow({ schedule: weekly('Friday') }, '2026-01-02T01:00:00Z', 240)).toStrictEqual(openUntil('2026-01-02T05:00:00Z'));
    });

    it('with less left than the rotation needs, waits for the next occurrence', () => {
      expect(underAksWindow({ schedule: weekly('Friday') }, '2026-01-02T04:45:00Z')).toStrictEqual(closedUntil('2026-01-09T01:00:00Z'));
    });

    it('treats touching occurrences as one window: a daily 24-hour window is always open', () => {
      const allDay = { schedule: daily(), startTime: '00:00', durationHours: 24 };
      expect(underAksWindow(allDay, '2026-01-01T23:50:00Z').open).toBe(true);
    });
  });

  describe('which window governs', () => {
    const configuration = (name: string, dayOfWeek: NonNullable<MaintenanceSchedule['weekly']>['dayOfWeek']): MaintenanceConfigurationSpec => ({
      name, maintenanceWindow: { schedule: weekly(dayOfWeek), durationHours: 4, startTime: '01:00' },
    });
    const decide = (configurations: MaintenanceConfigurationSpec[], policyWindow: Policy['rotation']['window'] = null) =>
      rotationWindow({ configurations, policyWindow, now: at('2026-01-01T00:00:00Z'), expectedDurationMinutes: 30 });
    const all = [
      configuration('default', 'Monday'),
      configuration('aksManagedAutoUpgradeSchedule', 'Tuesday'),
      configuration('other', 'Friday'),
      configuration('aksManagedNodeOSUpgradeSchedule', 'Wednesday'),
    ];

    it('prefers aksManagedNodeOSUpgradeSchedule, then aksManagedAutoUpgradeSchedule, then default', () => {
      expect(decide(all)).toStrictEqual({ source: 'aksManagedNodeOSUpgradeSchedule', name: 'aksManagedNodeOSUpgradeSchedule', open: false, notBefore: at('2026-01-07T01:00:00Z') });
      expect(decide(all.slice(0, 3))).toStrictEqual({ source: 'aksManagedAutoUpgradeSchedule', name: 'aksManagedAutoUpgradeSchedule', open: false, notBefore: at('2026-01-06T01:00:00Z') });
      expect(decide(all.slice(0, 1))).toStrictEqual({ source: 'default', name: 'default', open: false, notBefore: at('2026-01-05T01:00:00Z') });
    });

    it('ignores other names, and a configuration that schedules nothing', () => {
      expect(decide([configuration('other', 'Friday'), { name: 'aksManagedNodeOSUpgradeSchedule' }, { name: 'default', timeInWeek: [] }]))
        .toStrictEqual({ source: 'any-time', open: true });
    });

    it('uses the policy window when the cluster has no configuration, and any time without either', () => {
      expect(decide([configuration('other', 'Friday')], { start: '02:00', end: '03:00' })).toStrictEqual({ source: 'policy', open: false, notBefore: at('2026-01-01T02:00:00Z') });
      expect(decide([])).toStrictEqual({ source: 'any-time', open: true });
    });

    it('lets the cluster\'s configuration win over the policy window', () => {
      expect(decide(all.slice(0, 1), { start: '02:00', end: '03:00' }).source).toBe('default');
    });
  });

  describe('the policy window (UTC)', () => {
    const underPolicy = (window: NonNullable<Policy['rotation']['window']>, now: string, expectedDurationMinutes = 30) =>
      rotationWindow({ configurations: [], policyWindow: window, now: at(now), expectedDurationMinutes });
    const fridayNight = { start: '22:00', end: '04:00', days: ['fri'] as ('fri' | 'sat')[] };

    it('crosses midnight when end is before start, and days are the days it starts on', () => {
      expect(underPolicy(fridayNight, '2026-01-03T02:00:00Z')).toStrictEqual({ source: 'policy', open: true, closesAt: at('2026-01-03T04:00:00Z') });
      expect(underPolicy(fridayNight, '2026-01-02T02:00:00Z')).toStrictEqual({ source: 'policy', open: false, notBefore: at('2026-01-02T22:00:00Z') });
      expect(underPolicy({ ...fridayNight, days: ['sat'] }, '2026-01-03T02:00:00Z')).toStrictEqual({ source: 'policy', open: false, notBefore: at('2026-01-03T22:00:00Z') });
    });

    it('runs every day without days, from start to end within the day', () => {
      expect(underPolicy({ start: '09:00', end: '17:00' }, '2026-01-01T16:00:00Z')).toStrictEqual({ source: 'policy', open: true, closesAt: at('2026-01-01T17:00:00Z') });
      expect(underPolicy({ start: '09:00', end: '17:00' }, '2026-01-01T16:45:00Z')).toStrictEqual({ source: 'policy', open: false, notBefore: at('2026-01-02T09:00:00Z') });
    });

    it('reads an end equal to its start as the whole day round', () => {
      expect(underPolicy({ start: '06:00', end: '06:00', days: ['fri'] }, '2026-01-03T05:00:00Z')).toStrictEqual({ source: 'policy', open: true, closesAt: at('2026-01-03T06:00:00Z') });
    });
  });

  describe('the legacy default configuration (timeInWeek)', () => {
    const underLegacy = (configuration: Omit<MaintenanceConfigurationSpec, 'name'>, now: string, expectedDurationMinutes = 30) =>
      rotationWindow({ configurations: [{ name: 'default', ...configuration }], policyWindow: null, now: at(now), expectedDurationMinutes });
    const mondayNight: Omit<MaintenanceConfigurationSpec, 'name'> = { timeInWeek: [{ day: 'Monday', hourSlots: [23] }, { day: 'Tuesday', hourSlots: [0, 1] }] };

    it('joins adjacent hour slots into one window, across midnight', () => {
      expect(underLegacy(mondayNight, '2026-01-05T23:30:00Z', 120)).toStrictEqual({ source: 'default', name: 'default', open: true, closesAt: at('2026-01-06T02:00:00Z') });
      expect(underLegacy(mondayNight, '2026-01-05T12:00:00Z', 180)).toStrictEqual({ source: 'default', name: 'default', open: false, notBefore: at('2026-01-05T23:00:00Z') });
    });

    it('removes the notAllowedTime spans', () => {
      const blocked = { ...mondayNight, notAllowedTime: [{ start: at('2026-01-06T01:00:00Z'), end: at('2026-01-13T00:00:00Z') }] };
      expect(underLegacy(blocked, '2026-01-05T23:30:00Z')).toStrictEqual({ source: 'default', name: 'default', open: true, closesAt: at('2026-01-06T01:00:00Z') });
      expect(underLegacy(blocked, '2026-01-05T23:30:00Z', 120)).toStrictEqual({ source: 'default', name: 'default', open: false, notBefore: at('2026-01-13T00:00:00Z') });
      expect(underLegacy({ ...mondayNight, notAllowedTime: [{ start: at('2026-01-06T01:00:00Z') }] }, '2026-01-05T23:30:00Z', 120).open).toBe(true);
    });

    it('skips a slot too short for the rotation to one that holds it', () => {
      const weekend: Omit<MaintenanceConfigurationSpec, 'name'> = { timeInWeek: [{ day: 'Monday', hourSlots: [1] }, { day: 'Saturday', hourSlots: [0, 1, 2, 3, 4] }, { day: 'Sunday' }, { hourSlots: [6] }] };
      expect(underLegacy(weekend, '2026-01-05T01:10:00Z', 120)).toStrictEqual({ source: 'default', name: 'default', open: false, notBefore: at('2026-01-10T00:00:00Z') });
    });

    it('prefers the maintenanceWindow form when a default configuration has both', () => {
      const both = { ...mondayNight, maintenanceWindow: { schedule: weekly('Friday'), durationHours: 4, startTime: '01:00' } };
      expect(underLegacy(both, '2026-01-05T23:30:00Z')).toStrictEqual({ source: 'default', name: 'default', open: false, notBefore: at('2026-01-09T01:00:00Z') });
    });
  });
});
