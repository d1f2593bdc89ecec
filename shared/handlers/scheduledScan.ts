import type { InvocationContext, Timer } from '@azure/functions';
import { countByStatus } from '../domain/report.js';
import type { ScanOutcome } from '../scan/runScan.js';

export interface ScheduledScanDependencies {
  /** Runs one scan of the configured scope and records it. */
  scan: () => Promise<ScanOutcome>;
}

/** On schedule: scan the fleet, log what was found, and fail the invocation if the verdicts were not recorded. */
export function makeScheduledScanHandler(deps: ScheduledScanDependencies) {
  return async (timer: Timer, context: InvocationContext): Promise<void> => {
    if (timer.isPastDue) context.warn('scheduledScan is running late (the previous schedule was missed)');
    const { report, storeError } = await deps.scan();
    const counts = countByStatus(report.clusters);
    context.log(
      `scan ${report.scan.id}: ${report.scan.clusters} clusters in ${report.scan.subscriptions} subscriptions: ` +
        `${counts.violation} violation, ${counts.warning} warning, ${counts.unknown} unknown, ${counts.compliant} compliant`,
    );
    for (const error of report.scan.errors) context.warn(`scan ${report.scan.id}: ${error.scope}: ${error.code}: ${error.message}`);
    if (storeError) throw storeError;
  };
}
