import { Command, Option } from 'commander';
import { join } from 'node:path';
import { DEMO_TOKEN, startDemoEnvironment } from '../../dev/demoEnvironment.js';
import { ensureDevTls } from '../../dev/devTls.js';
import { extraCaFile, rerunTrusting, trustsDevCa } from '../../dev/trustDevCa.js';
import { loadConfig } from '../config.js';
import { createApiServerProbe, createFleetReader, openComplianceStore } from '../compose.js';
import { DEFAULT_POLICY } from '../domain/policy.js';
import { runScan } from '../scan/runScan.js';
import { formatReport } from './formatReport.js';
import { clearProgress, terminalProgress } from './progress.js';
import { projectRoot } from './projectRoot.js';
import { EXIT, outputOption, resolveOutput } from './usage.js';

interface DemoOptions {
  once?: boolean;
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
        const config = loadConfig({
          COMPLIANCE_STORAGE: demo.storage, ARM_ENDPOINT: demo.simulator.url, AZURE_STATIC_TOKEN: DEMO_TOKEN,
          APISERVER_CONNECT_TO: demo.apiServerAddress,
        });
        const store = openComplianceStore(config);
        const { report, storeError } = await runScan(
          { policy: DEFAULT_POLICY },
          { fleet: createFleetReader(config), apiServerProbe: createApiServerProbe(config), store, onProgress: terminalProgress() },
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
        info('');
        info('The demo environment stays up until Ctrl-C. From another terminal:');
        info(`  NODE_EXTRA_CA_CERTS=${tls.caPath} AZURE_STATIC_TOKEN=${DEMO_TOKEN} APISERVER_CONNECT_TO=${demo.apiServerAddress} \\`);
        info(`  COMPLIANCE_STORAGE='${demo.storage}' \\`);
        info(`  npx akscert scan --arm-endpoint ${demo.simulator.url}`);
        await untilInterrupted();
      } finally {
        await demo.stop();
      }
    });
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    // `on`, not `once`: a second Ctrl-C while the environment shuts down must not kill it half-way.
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
}
