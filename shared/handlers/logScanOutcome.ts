import type { InvocationContext } from '@azure/functions';
import { countByStatus } from '../domain/report.js';
import { plural } from '../report/plural.js';
import { describeAlertRound, type AlertRound } from '../alerts/alerting.js';
import type { ScanOutcome } from '../scan/runScan.js';

/** One summary line per scan, a warning per error: counts and codes only, never credential material. */
export function logScanOutcome(context: InvocationContext, { report, alerts, discoveryFallback }: ScanOutcome & { alerts?: AlertRound | { error: string } }, why: string): void {
  const counts = countByStatus(report.clusters);
  context.log(
    `scan ${report.scan.id} (${why}): ${plural(report.scan.clusters, 'cluster')} in ${plural(report.scan.subscriptions, 'subscription')}: ` +
      `${counts.violation} violation, ${counts.warning} warning, ${counts.unknown} unknown, ${counts.compliant} compliant`,
  );
  if (discoveryFallback) context.warn(`scan ${report.scan.id}: listed each subscription from ARM: ${discoveryFallback}`);
  for (const error of report.scan.errors) context.warn(`scan ${report.scan.id}: ${error.scope}: ${error.code}: ${error.message}`);
  if (alerts && 'error' in alerts) context.warn(`scan ${report.scan.id}: ${describeAlertRound(alerts)}`);
  else if (alerts) context.log(`scan ${report.scan.id}: ${describeAlertRound(alerts)}`);
}
