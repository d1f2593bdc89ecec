import { Command } from 'commander';
import type { HistoryEntry } from '../audit/historyQueries.js';
import { clusterHistoryPage } from '../audit/historyQueries.js';
import { auditTablesFromEnvironment, clusterArgument, dateArgument } from './auditOptions.js';
import { formatHistory } from '../report/historyReport.js';
import { UsageError } from '../domain/errors.js';
import { outputOption, resolveOutput, terminalLayout } from './usage.js';

interface HistoryOptions {
  from?: Date;
  to?: Date;
  output?: string;
}

/** `akscert history <cluster>`: one cluster's records, oldest first, as the trail holds them. */
export function historyCommand(): Command {
  return new Command('history')
    .description("one cluster's verdict history (and its deletion, if it was deleted), oldest first")
    .argument('<cluster-resource-id>', 'the cluster: its ARM resource id, or <subscription id>~<resource group>~<name>', clusterArgument)
    .option('--from <date>', 'from this day (YYYY-MM-DD, from its start) or instant', dateArgument('start'))
    .option('--to <date>', 'up to this day (YYYY-MM-DD, to its end) or instant', dateArgument('end'))
    .addOption(outputOption())
    .action(async (cluster: ReturnType<typeof clusterArgument>, options: HistoryOptions) => {
      if (options.from && options.to && options.from > options.to) throw new UsageError('--to is before --from');
      const tables = await auditTablesFromEnvironment();
      const records: HistoryEntry[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await clusterHistoryPage(tables.history, cluster.subscriptionId, cluster.id, options, { pageSize: 1000, continuationToken });
        records.push(...page.items);
        continuationToken = page.continuationToken;
      } while (continuationToken);
      process.stdout.write(formatHistory({ clusterId: cluster.id, from: options.from, to: options.to, records }, resolveOutput(options.output), terminalLayout()));
    });
}

