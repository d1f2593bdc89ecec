import { CronExpressionParser } from 'cron-parser';

/**
 * When a scan may carry recorded certificate evidence instead of reading it (domain/carryEvidence.ts):
 * FULL_REFRESH_HOURS, and the horizon the carried evidence must hold until.
 */
export interface EvidenceCarry {
  fullRefreshHours: number;
  /** The instant up to which no threshold may be crossed, for a scan at `now`. */
  horizonAfter(now: Date): Date;
}

/**
 * From the settings: the horizon is the scheduled scan after the next one (SCAN_SCHEDULE, NCRONTAB,
 * UTC), so that a scan which starts late, or an event scan between two scheduled ones, still leaves the
 * next scheduled scan a full read before any threshold is crossed.
 */
export function evidenceCarry(fullRefreshHours: number, scanSchedule: string): EvidenceCarry {
  return {
    fullRefreshHours,
    horizonAfter: (now) => {
      const runs = CronExpressionParser.parse(scanSchedule, { tz: 'UTC', currentDate: now });
      runs.next();
      return runs.next().toDate();
    },
  };
}
