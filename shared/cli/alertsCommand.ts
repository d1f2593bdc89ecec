import { Command, Option } from 'commander';
import { ALERT_LIST_FILTERS, listAlerts, type AlertListFilter } from '../alerts/alertListing.js';
import { describeAlertRound, testChannels, type Alerting } from '../alerts/alerting.js';
import { channelsFrom } from '../alerts/channels/channels.js';
import { loadConfig } from '../config.js';
import { ConfigError, UsageError } from '../domain/errors.js';
import { formatAlerts } from '../report/alertsReport.js';
import { csvDocument } from '../report/csv.js';
import { textTable } from '../report/textTable.js';
import { alertChannelSettings, openAlerting, readAlertOutbox } from '../wiring/alerting.js';
import { complianceStorage } from '../wiring/adapters.js';
import { EXIT, outputOption, resolveOutput, terminalLayout } from './usage.js';

/** How long a command waits for retries that come due before leaving them to the deliverAlerts timer. */
export const CLI_DELIVERY_WAIT_MS = 10_000;

/** Alerting for a command that sends: refused (exit 2) when no channel is configured. */
async function alertingFromEnvironment(): Promise<Alerting> {
  const config = loadConfig();
  const storage = complianceStorage(config);
  await storage.checkReachable();
  const alerting = await openAlerting(config, storage, { waitMs: CLI_DELIVERY_WAIT_MS });
  if (!alerting) throw noChannel();
  return alerting;
}

const noChannel = () =>
  new ConfigError('no alert channel is configured: set ALERT_PAGERDUTY_ROUTING_KEY, ALERT_TEAMS_WEBHOOK_URL, ALERT_SLACK_WEBHOOK_URL, ALERT_EVENTGRID_TOPIC_ENDPOINT or ALERT_WEBHOOK_URL (README, "Alerts")');

/** `akscert alerts [--state S]`, `akscert alerts test`, `akscert alerts retry [<notification-id>|--all-parked]`. */
export function alertsCommand(version: string): Command {
  const alerts = new Command('alerts')
    .description('the alerts of each cluster (open, resolved) and the notifications parked after their retries')
    .addOption(new Option('--state <state>', 'only the alerts open or resolved, or the parked notifications').choices(ALERT_LIST_FILTERS))
    .addOption(outputOption())
    // `akscert alerts test --output json`: the subcommand's --output, not this one's.
    .enablePositionalOptions()
    .action(async (options: { state?: AlertListFilter; output?: string }) => {
      const config = loadConfig();
      const storage = complianceStorage(config);
      await storage.checkReachable();
      const listing = await listAlerts(readAlertOutbox(config, storage), options.state);
      process.stdout.write(formatAlerts(listing, resolveOutput(options.output), terminalLayout()));
    });

  alerts.addCommand(new Command('test')
    .description('send a test message to every configured channel and say what each answered (exit 1 when any failed)')
    .addOption(outputOption())
    .action(async (options: { output?: string }) => {
      const channels = channelsFrom(alertChannelSettings(loadConfig()));
      if (channels.length === 0) throw noChannel();
      const answers = await testChannels(channels);
      const format = resolveOutput(options.output);
      const rows = answers.map((a) => [a.channel, a.ok ? 'ok' : 'failed', a.status === undefined ? '' : String(a.status), a.error ?? '']);
      const header = ['channel', 'result', 'status', 'error'];
      if (format === 'json') process.stdout.write(`${JSON.stringify({ channels: answers }, null, 2)}\n`);
      else if (format === 'csv') process.stdout.write(csvDocument(header, rows));
      else process.stdout.write(`${textTable(header.map((h) => ({ header: h })), rows, terminalLayout().width).join('\n')}\n`);
      if (answers.some((a) => !a.ok)) process.exitCode = EXIT.failure;
    })
    .version(version)
    .exitOverride());

  alerts.addCommand(new Command('retry')
    .description('re-send parked notifications: one (by its id, from `akscert alerts --state parked`) or all of them')
    .argument('[notification-id]', 'the parked notification to re-send')
    .option('--all-parked', 'every parked notification')
    .action(async (notificationId: string | undefined, options: { allParked?: boolean }) => {
      if ((notificationId === undefined) === (options.allParked !== true)) throw new UsageError('give one notification id or --all-parked');
      const { requeued, superseded, delivered } = await (await alertingFromEnvironment()).retryParked(notificationId);
      if (superseded > 0) process.stderr.write(`akscert: ${superseded} parked deliver${superseded === 1 ? 'y' : 'ies'} left parked: a newer notification of the same alert was sent on that channel since\n`);
      if (requeued === 0) {
        process.stderr.write(`akscert: ${notificationId ? `no parked delivery of notification ${notificationId}` : 'no parked notification'} to re-send\n`);
        process.exitCode = EXIT.failure;
        return;
      }
      process.stderr.write(`akscert: ${requeued} parked deliver${requeued === 1 ? 'y' : 'ies'} re-sent; ${describeAlertRound({ raised: [], delivered })}\n`);
      if (delivered.some((d) => d.parked > 0 || d.waiting > 0)) process.exitCode = EXIT.failure;
    })
    .version(version)
    .exitOverride());
  return alerts;
}
