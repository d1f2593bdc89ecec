import { Command, Option } from 'commander';
import { STATUSES } from '../domain/report.js';
import type { ClusterStatus } from '../domain/verdict.js';
import { pointInTimeReport } from '../audit/pointInTimeReport.js';
import { auditTablesFromEnvironment, dateArgument, oneSubscriptionId } from './auditOptions.js';
import { formatPointInTimeReport, REPORT_FORMATS, type ReportFormat } from '../report/formatReport.js';
import { UsageError } from '../domain/errors.js';
import { resolveOutput, terminalLayout } from './usage.js';

interface ReportOptions {
  asOf?: Date;
  format?: ReportFormat;
  output?: ReportFormat;
  subscription?: string;
  status?: ClusterStatus;
}

/** `akscert report`: the fleet as the trail recorded it at a point in time; the same document as `GET /api/report`. */
export function reportCommand(): Command {
  return new Command('report')
    .description('the compliance state of the fleet as recorded at a point in time, rebuilt from the history')
    .option('--as-of <date>', 'YYYY-MM-DD (the end of that UTC day) or an ISO 8601 date-time; default: now', dateArgument('end'))
    .addOption(new Option('--format <format>', 'table, json, csv, html, or jsonl (JSON lines, for a SIEM); default: table on a terminal, json otherwise').choices(REPORT_FORMATS))
    .addOption(new Option('--output <format>', 'the same as --format').choices(REPORT_FORMATS))
    .option('--subscription <id>', 'only the clusters of this subscription', oneSubscriptionId)
    .addOption(new Option('--status <status>', 'only the clusters in this status').choices(STATUSES))
    .action(async (options: ReportOptions) => {
      if (options.format && options.output && options.format !== options.output) {
        throw new UsageError(`--format ${options.format} and --output ${options.output} disagree; give one of them`);
      }
      const now = new Date();
      const report = await pointInTimeReport(
        await auditTablesFromEnvironment(),
        { asOf: options.asOf ?? now, subscriptionId: options.subscription, status: options.status },
        now,
      );
      process.stdout.write(formatPointInTimeReport(report, options.format ?? options.output ?? resolveOutput(undefined), terminalLayout()));
      for (const error of report.report.errors) process.stderr.write(`akscert: warning: ${error.scope}: ${error.message}\n`);
    });
}
