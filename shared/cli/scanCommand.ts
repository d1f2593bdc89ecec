import { Command, Option } from 'commander';
import { loadConfig, type CloudName } from '../config.js';
import { complianceStorage, loadPolicy, openComplianceStore, scanSources } from '../wiring/adapters.js';
import { openAlerting } from '../wiring/alerting.js';
import { describeAlertRound } from '../alerts/alerting.js';
import { CLI_DELIVERY_WAIT_MS } from './alertsCommand.js';
import { severityRank } from '../domain/findings.js';
import type { ScanReport } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { plural } from '../report/plural.js';
import { subscriptionScope } from '../scan/scope.js';
import { runScan } from '../scan/runScan.js';
import { formatReport } from '../report/formatReport.js';
import { messageOf, UsageError } from '../domain/errors.js';
import { describeHeld, remediate, withRemediation, type RemediationOutcome } from '../rotation/remediate.js';
import { pollRotations } from '../rotation/pollRotations.js';
import { rotationDependencies } from '../wiring/rotation.js';
import { clearProgress, terminalProgress } from './progress.js';
import { cloudOption, EXIT, outputOption, parseHttpsUrl, parseSubscriptionId, resolveOutput, terminalLayout } from './usage.js';

interface ScanOptions {
  subscription?: string[];
  cloud?: CloudName;
  armEndpoint?: string;
  policy?: string;
  store: boolean;
  apiserverProbe: boolean;
  nodeProbe?: boolean;
  failOn?: 'warning' | 'violation';
  remediate?: boolean;
  full?: boolean;
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
    .option('--node-probe', "also read the nodes' certificates through VMSS run-command (as NODE_PROBE=on; README \"Node probe\")")
    .addOption(new Option('--fail-on <status>', 'exit 3 when any cluster is at or above this status').choices(['warning', 'violation']))
    .option('--remediate', 'act on the verdicts: start the rotations the policy and every guard allow (README "Rotation")')
    .option('--full', "read every cluster's certificates, carrying none from an earlier scan (README \"Warm scans\")")
    .addOption(outputOption())
    .action(async (options: ScanOptions) => {
      if (options.remediate && !options.store) throw new UsageError('--remediate needs the store (it records every rotation): drop --no-store');
      const config = loadConfig();
      const policy = await loadPolicy(config, options.policy);
      const storage = complianceStorage(config);
      const store = options.store ? openComplianceStore(config, storage) : undefined;
      const onProgress = terminalProgress();
      const sources = scanSources(config, {
        cloud: options.cloud, armEndpoint: options.armEndpoint,
        ...(options.nodeProbe ? { nodeProbe: true } : {}), ...(options.store ? {} : { nodeProbeHistory: false as const }),
      });
      const scanDeps = { ...sources, apiServerProbe: options.apiserverProbe ? sources.apiServerProbe : undefined };
      const outcome = await runScan(
        { subscriptionIds: subscriptionScope(options.subscription, config.AZURE_SUBSCRIPTION_IDS), policy, fullRead: options.full === true },
        { ...scanDeps, store, onProgress },
      );
      const { report: judged, storeError } = outcome;
      clearProgress();
      if (outcome.discoveryFallback) process.stderr.write(`akscert: listed each subscription from ARM: ${outcome.discoveryFallback}\n`);
      // A plain scan never acts; --remediate acts only on verdicts that were all recorded.
      let outcomes: RemediationOutcome[] = [];
      if (options.remediate && store && !storeError) {
        const log = (line: string) => process.stderr.write(`akscert: ${line}\n`);
        const deps = await rotationDependencies(config, { storage, store, policy, sources: scanDeps, overrides: { cloud: options.cloud, armEndpoint: options.armEndpoint }, log });
        // Without the Functions app nothing else polls: each remediating run first moves earlier rotations on.
        await pollRotations(deps);
        outcomes = await remediate(judged.clusters, deps);
      }
      const report = withRemediation(judged, outcomes);
      process.stdout.write(formatReport(report, resolveOutput(options.output), terminalLayout()));
      if (storeError) {
        process.stderr.write(`akscert: the verdicts above were NOT all recorded: ${storeError.message}\n`);
        process.exitCode = EXIT.failure;
        return;
      }
      if (store) process.stderr.write(`akscert: recorded scan ${report.scan.id} in ${storage.where}\n`);
      if (options.remediate) {
        const started = outcomes.filter((o) => o.remediation.state === 'started');
        process.stderr.write(`akscert: --remediate: ${plural(started.length, 'rotation')} started${started.length ? `: ${started.map((o) => o.name).join(', ')}` : ''}; \`akscert rotations\` follows them\n`);
        for (const line of describeHeld(outcomes)) process.stderr.write(`akscert: held: ${line}\n`);
      }
      // Alerts are decided from what was recorded: never with --no-store.
      if (store) {
        try {
          const alerting = await openAlerting(config, storage, { waitMs: CLI_DELIVERY_WAIT_MS });
          if (alerting) process.stderr.write(`akscert: ${describeAlertRound(await alerting.afterScan(outcome))}\n`);
        } catch (error) {
          process.stderr.write(`akscert: the scan is recorded, but its alerts were not decided: ${messageOf(error)}\n`);
          process.exitCode = EXIT.failure;
        }
      }
      if (!options.failOn) return;
      const tripped = reaching(report, options.failOn);
      if (tripped.length > 0) {
        const names = tripped.slice(0, 10).map((c) => `${c.name} (${c.status})`).join(', ');
        process.stderr.write(`akscert: --fail-on ${options.failOn}: ${plural(tripped.length, 'cluster')} at or above ${options.failOn}: ${names}${tripped.length > 10 ? `, and ${tripped.length - 10} more` : ''}\n`);
        process.exitCode = EXIT.failOn;
      }
      // A gate must not pass on what it could not check: an unreadable subscription trips either threshold.
      const unread = unreadScopes(report);
      if (unread.length > 0) {
        process.stderr.write(`akscert: --fail-on ${options.failOn}: ${describeUnread(unread)}\n`);
        process.exitCode = EXIT.failOn;
      }
    });
}

/**
 * The parts of the scope the scan could not read at all: a subscription whose clusters could not be
 * listed (`/subscriptions/<id>`, a 403 or a subscription that does not exist), or the tenant's list of
 * subscriptions. A cluster that could not be read is not one of them: it is in the report, `unknown`.
 */
export function unreadScopes(report: ScanReport): ScanReport['scan']['errors'] {
  return report.scan.errors.filter((error) => error.scope === 'tenant' || /^\/subscriptions\/[^/]+$/i.test(error.scope));
}

function describeUnread(unread: ScanReport['scan']['errors']): string {
  const parts: string[] = [];
  if (unread.some((e) => e.scope === 'tenant')) {
    const codes = unread.filter((e) => e.scope === 'tenant').map((e) => e.code).join(', ');
    parts.push(`the subscriptions could not be listed (${codes}), so nothing proves the fleet passes`);
  }
  const subscriptions = unread.filter((e) => e.scope !== 'tenant');
  if (subscriptions.length > 0) {
    const names = subscriptions.slice(0, 10).map((e) => `${e.scope.slice('/subscriptions/'.length)} (${e.code})`).join(', ');
    const more = subscriptions.length > 10 ? `, and ${subscriptions.length - 10} more` : '';
    parts.push(`${plural(subscriptions.length, 'subscription')} could not be read, so nothing proves ${subscriptions.length === 1 ? 'it passes' : 'they pass'}: ${names}${more}`);
  }
  return parts.join('; ');
}

/** The clusters at or above the status, worst first (`unknown` counts as a warning: nothing proves it fine). */
export function reaching(report: ScanReport, threshold: 'warning' | 'violation'): ClusterVerdict[] {
  const rank = (status: string) => (status === 'violation' ? severityRank('violation') : status === 'compliant' ? 0 : severityRank('warning'));
  return report.clusters.filter((c) => rank(c.status) >= severityRank(threshold)).sort((a, b) => rank(b.status) - rank(a.status) || a.name.localeCompare(b.name));
}
