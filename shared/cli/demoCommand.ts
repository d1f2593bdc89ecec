import { Command, Option } from 'commander';
import { join } from 'node:path';
import { DEMO_TOKEN, startDemoEnvironment } from '../../dev/demoEnvironment.js';
import { seedDemoHistory } from '../../dev/demoHistory.js';
import { ensureDevTls } from '../../dev/devTls.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../../dev/trustDevCa.js';
import { loadConfig } from '../config.js';
import { openComplianceStore, scanSources } from '../wiring/adapters.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { runScan } from '../scan/runScan.js';
import { formatReport } from '../report/formatReport.js';
import { clearProgress, terminalProgress } from './progress.js';
import { projectRoot } from './projectRoot.js';
import { DEFAULT_HOST_PORT, printEndpoints } from './serveCommand.js';
import { untilInterrupted } from './untilInterrupted.js';
import { EXIT, outputOption, parsePort, resolveOutput } from './usage.js';
import { startLocalHost } from '../host/local/localHost.js';
import { EVENT_GRID_WEBHOOK_PATH } from '../host/local/eventGridWebhook.js';

interface DemoOptions {
  once?: boolean;
  port: number;
  latency: string;
  output?: string;
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('start Azurite and the ARM simulator with a demo fleet, scan it, record it, print the report')
    .option('--once', 'exit after the report instead of keeping the demo environment up until Ctrl-C')
    .addOption(new Option('--latency <ms>', 'simulated ARM latency per request').default('20').argParser((v) => {
      if (!/^\d+$/.test(v)) throw new Error(`"${v}" is not a number of milliseconds.`);
      return v;
    }))
    .addOption(new Option('--port <n>', 'port of the local host serving the API, dashboard and webhook').default(DEFAULT_HOST_PORT).argParser(parsePort))
    .addOption(outputOption())
    .action(async (options: DemoOptions) => {
      const root = projectRoot();
      const tls = await ensureDevTls(join(root, '.dev', 'tls'));
      if (!(await trustsDevCa(tls.caPem))) {
        process.exitCode = await rerunTrusting(await extraCaFile(tls.caPath, tls.caPem));
        return;
      }
      const info = (line: string) => process.stderr.write(`${line}\n`);
      info('Starting Azurite and the ARM simulator with the demo fleet...');
      const demo = await startDemoEnvironment({ root, latencyMs: Number(options.latency) });
      try {
        const seeded = await seedDemoHistory({ storage: demo.storage, tls, now: new Date() });
        if (seeded > 0) info(`Seeded the empty store with ${seeded} scans of the demo fleet as it stood 14 and 7 days ago.`);
        const config = loadConfig({
          COMPLIANCE_STORAGE: demo.storage, ARM_ENDPOINT: demo.simulator.url, AZURE_STATIC_TOKEN: DEMO_TOKEN,
          APISERVER_CONNECT_TO: demo.apiServerAddress,
        });
        const store = openComplianceStore(config);
        const { report, storeError } = await runScan(
          { policy: DEFAULT_POLICY },
          { ...scanSources(config), store, onProgress: terminalProgress() },
        );
        clearProgress();
        process.stdout.write(formatReport(report, resolveOutput(options.output)));
        if (storeError) {
          info(`akscert: the verdicts above were NOT all recorded: ${storeError.message}`);
          process.exitCode = EXIT.failure;
          return;
        }
        info(`Recorded scan ${report.scan.id} in ${demo.reusedAzurite ? 'the Azurite already running on 127.0.0.1:10002' : 'Azurite'}.`);
        if (options.once) return;
        const host = await startLocalHost({
          port: options.port,
          settings: { COMPLIANCE_STORAGE: demo.storage, ARM_ENDPOINT: demo.simulator.url, AZURE_STATIC_TOKEN: DEMO_TOKEN, APISERVER_CONNECT_TO: demo.apiServerAddress },
        });
        try {
          demo.simulator.setEventWebhook(`${host.url}${EVENT_GRID_WEBHOOK_PATH}?functionName=clusterEvents`);
          info('');
          printEndpoints(host.url, host.functions.map((f) => `${f.kind} ${f.name}`), info);
          info(`  Dashboard:          ${host.url}/api/dashboard`);
          info('');
          info('The simulator posts Event Grid events to the webhook when a cluster changes. Rotate one and watch it re-judged:');
          info(`  curl --cacert ${tls.caPath} -X POST -H 'Authorization: Bearer ${DEMO_TOKEN}' \\`);
          info(`    '${demo.simulator.url}${demo.exampleClusterId}/rotateClusterCertificates?api-version=2026-04-01'`);
          info('Or scan the simulator from another terminal:');
          info(`  NODE_EXTRA_CA_CERTS=${tls.caPath} AZURE_STATIC_TOKEN=${DEMO_TOKEN} APISERVER_CONNECT_TO=${demo.apiServerAddress} \\`);
          info(`  COMPLIANCE_STORAGE='${demo.storage}' npx akscert scan --arm-endpoint ${demo.simulator.url}`);
          info('Ctrl-C stops the demo.');
          await untilInterrupted();
        } finally {
          await host.close();
        }
      } finally {
        await demo.stop();
      }
    });
}
