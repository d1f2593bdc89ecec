import { join } from 'node:path';
import type { Config } from '../shared/config.js';
import { loadConfig } from '../shared/config.js';
import { UsageError } from '../shared/domain/errors.js';
import { DEFAULT_POLICY } from '../shared/domain/policy.js';
import { describeEndpoints, startLocalHost } from '../shared/host/local/localHost.js';
import { formatReport } from '../shared/report/formatReport.js';
import { runScan } from '../shared/scan/runScan.js';
import { clearProgress, terminalProgress } from '../shared/cli/progress.js';
import { untilInterrupted } from '../shared/cli/untilInterrupted.js';
import { EXIT, resolveOutput, terminalLayout } from '../shared/cli/usage.js';
import { complianceStorage, openComplianceStore, scanSources } from '../shared/wiring/adapters.js';
import { describeAlertRound } from '../shared/alerts/alerting.js';
import { openAlerting } from '../shared/wiring/alerting.js';
import { startAlertReceivers } from './alertReceivers.js';
import { DEMO_TOKEN, startDemoEnvironment } from './demoEnvironment.js';
import { seedDemoHistory } from './demoHistory.js';
import { demoRemediation } from './demoRotation.js';
import { demoRevocation } from './demoRevocation.js';
import { ensureDevTls } from './devTls.js';
import { isPortFree } from './freePort.js';
import { projectRoot } from './projectRoot.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from './trustDevCa.js';

export interface DemoOptions {
  once?: boolean;
  port: number;
  latency: number;
  output?: string;
}

/**
 * `akscert demo`, the embedded default: Azurite and the ARM simulator with the demo fleet, one full
 * scan recorded and printed, then (unless `--once`) the functions on the local host until Ctrl-C.
 * Loaded by the CLI with a dynamic import, so no other command loads the simulator. Returns the exit code.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const root = projectRoot();
  const tls = await ensureDevTls(join(root, '.dev', 'tls'));
  if (!(await trustsDevCa(tls.caPem))) return rerunTrusting(await extraCaFile(tls.caPath, tls.caPem));
  // Before anything is started or recorded: a second demo must not write into the first one's store.
  if (!options.once && !(await isPortFree(options.port))) {
    throw new UsageError(`port ${options.port} is in use (another akscert demo or serve?); stop it, or pass --port N for another port`);
  }
  const info = (line: string) => process.stderr.write(`${line}\n`);
  info('Starting Azurite and the ARM simulator with the demo fleet...');
  const azuriteLocation = join(root, '.dev', 'azurite');
  const demo = await startDemoEnvironment({ root, latencyMs: options.latency, azuriteLocation });
  const stops: Array<() => Promise<void>> = [];
  try {
    const seeded = await seedDemoHistory({ storage: demo.storage, tls, now: new Date(), fleet: demo.fleet });
    if (seeded > 0) info(`Seeded the empty store with ${seeded} scans of the demo fleet's own certificates as they stood 14 and 7 days ago (clusters created or rotated since are absent from them).`);
    // Local receivers for every alert channel: what PagerDuty, Teams, Slack, Event Grid and a webhook would get, printed as it arrives.
    const receivers = await startAlertReceivers({ tls, onArrival: (line) => info(`  alert ${line}`) });
    stops.push(() => receivers.stop());
    const settings = {
      COMPLIANCE_STORAGE: demo.storage, ARM_ENDPOINT: demo.simulator.url, AZURE_STATIC_TOKEN: DEMO_TOKEN, APISERVER_CONNECT_TO: demo.apiServerAddress,
      ...receivers.settings, DASHBOARD_URL: `http://127.0.0.1:${options.port}/api/dashboard`,
      // The node probe on, so that the report shows every certificate source (README "Node probe").
      NODE_PROBE: 'on',
    };
    const config: Config = loadConfig(settings);
    const outcome = await runScan(
      { policy: DEFAULT_POLICY },
      { ...scanSources(config), store: openComplianceStore(config), onProgress: terminalProgress() },
    );
    const { report, storeError } = outcome;
    clearProgress();
    info(report.scan.discovery === 'resource-graph' ? 'Found the clusters with one Resource Graph query.' : `Listed each subscription's clusters from ARM${outcome.discoveryFallback ? ` (${outcome.discoveryFallback})` : ''}.`);
    if (!storeError) {
      info('Alerts of this scan, as each channel receives them (clusters alerted by an earlier demo on this store are not sent again):');
      const alerting = await openAlerting(config);
      if (alerting) info(`akscert: ${describeAlertRound(await alerting.afterScan(outcome))}`);
    }
    process.stdout.write(formatReport(report, resolveOutput(options.output), terminalLayout()));
    if (storeError) {
      info(`akscert: the verdicts above were NOT all recorded: ${storeError.message}`);
      return EXIT.failure;
    }
    const where = demo.reusedAzurite ? 'the Azurite already running on 127.0.0.1:10002' : `Azurite (${complianceStorage(config).where}), kept in ${azuriteLocation}`;
    info(`Recorded scan ${report.scan.id} in ${where}.`);
    await demoRemediation(config, report.clusters, info);
    await demoRevocation(config, report.clusters, info);
    if (options.once) {
      info(`The demo's Azurite stopped with it. To read its trail again: npx azurite --silent --location ${azuriteLocation} & npx akscert report`);
      return 0;
    }
    const host = await startLocalHost({ port: options.port, settings });
    try {
      // Listening for Ctrl-C before saying where the host is: a signal right after the lines stops the demo cleanly too.
      const interrupted = untilInterrupted();
      // The webhook URL with its eventgrid_extension system key, as an Event Grid subscription has it.
      demo.simulator.setEventWebhook(host.eventGridWebhookUrl('clusterEvents'));
      info('');
      for (const line of describeEndpoints(host)) info(line);
      info('');
      info('The simulator posts Event Grid events to the webhook when a cluster changes. Rotate one and watch it re-judged:');
      info(`  curl --cacert ${tls.caPath} -X POST -H 'Authorization: Bearer ${DEMO_TOKEN}' \\`);
      info(`    '${demo.simulator.url}${demo.exampleClusterId}/rotateClusterCertificates?api-version=2026-04-01'`);
      info('Or scan the simulator from another terminal:');
      info(`  NODE_EXTRA_CA_CERTS=${tls.caPath} AZURE_STATIC_TOKEN=${DEMO_TOKEN} APISERVER_CONNECT_TO=${demo.apiServerAddress} \\`);
      info(`  COMPLIANCE_STORAGE='${demo.storage}' npx akscert scan --arm-endpoint ${demo.simulator.url}`);
      info('Ctrl-C stops the demo.');
      await interrupted;
    } finally {
      await host.close();
    }
    return 0;
  } finally {
    await Promise.all(stops.map((stop) => stop()));
    await demo.stop();
  }
}
