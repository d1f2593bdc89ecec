import { Command, Option } from 'commander';
import type { CloudName } from '../azure/cloud.js';
import { loadConfig } from '../config.js';
import { loadPolicy, openComplianceStore, scanSources } from '../wiring/adapters.js';
import { severityRank } from '../domain/findings.js';
import type { ScanReport } from '../domain/report.js';
import { runScan } from '../scan/runScan.js';
import { formatReport } from '../report/formatReport.js';
import { clearProgress, terminalProgress } from './progress.js';
import { cloudOption, EXIT, outputOption, parseHttpsUrl, parseSubscriptionId, resolveOutput } from './usage.js';

interface ScanOptions {
  subscription?: string[];
  cloud?: CloudName;
  armEndpoint?: string;
  policy?: string;
  store: boolean;
  apiserverProbe: boolean;
  failOn?: 'warning' | 'violation';
  output?: string;
}

export function scanCommand(): Command {
  return new Command('scan')
    .description('scan the subscriptions in scope once, record the verdicts and print the report')
    .option('--subscription <id>', 'a subscription to scan (repeatable); default: every subscription the credential can list', parseSubscriptionId)
    .addOption(cloudOption())
    .option('--arm-endpoint <url>', 'Resource Manager endpoint (a simulator, a proxy)', parseHttpsUrl)
    .option('--policy <file>', 'policy file (JSON)')
    .option('--no-store', 'judge without recording anything')
    .option('--no-apiserver-probe', "do not read the API servers' TLS certificates")
    .addOption(new Option('--fail-on <status>', 'exit 3 when any cluster is at or above this status').choices(['warning', 'violation']))
    .addOption(outputOption())
    .action(async (options: ScanOptions) => {
      const config = loadConfig();
      const policy = await loadPolicy(config, options.policy);
      const store = options.store ? openComplianceStore(config) : undefined;
      const onProgress = terminalProgress();
      const sources = scanSources(config, { cloud: options.cloud, armEndpoint: options.armEndpoint });
      const { report, storeError } = await runScan(
        { subscriptionIds: options.subscription ?? config.AZURE_SUBSCRIPTION_IDS, policy },
        { ...sources, apiServerProbe: options.apiserverProbe ? sources.apiServerProbe : undefined, store, onProgress },
      );
      clearProgress();
      process.stdout.write(formatReport(report, resolveOutput(options.output)));
      if (storeError) {
        process.stderr.write(`akscert: the verdicts above were NOT all recorded: ${storeError.message}\n`);
        process.exitCode = EXIT.failure;
      } else if (options.failOn && reaches(report, options.failOn)) {
        process.exitCode = EXIT.failOn;
      }
    });
}

/** True when any cluster is at or above the status (`unknown` counts as a warning: nothing proves it fine). */
export function reaches(report: ScanReport, threshold: 'warning' | 'violation'): boolean {
  const rank = (status: string) => (status === 'violation' ? severityRank('violation') : status === 'compliant' ? 0 : severityRank('warning'));
  return report.clusters.some((c) => rank(c.status) >= severityRank(threshold));
}
