import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { ClusterId } from '../domain/clusterId.js';
import { UsageError } from '../domain/errors.js';
import { remediate } from '../rotation/remediate.js';
import { runScan } from '../scan/runScan.js';
import { complianceStorage, loadPolicy, openComplianceStore, scanSources } from '../wiring/adapters.js';
import { rotationDependencies } from '../wiring/rotation.js';
import { clusterArgument } from './auditOptions.js';
import { EXIT, outputOption, resolveOutput } from './usage.js';

/**
 * `akscert rotate <cluster>`: the on-call engineer rotates one cluster by hand, through the same
 * guards as a remediating scan (README "Rotation"). A rotation recreates every node and can mean 30
 * minutes of downtime, so it asks on a terminal, and refuses without one unless `--yes` says so.
 */
export function rotateCommand(): Command {
  return new Command('rotate')
    .description("rotate one cluster's certificates now, through the same guards as `scan --remediate` (asks first; --yes does not)")
    .argument('<cluster-resource-id>', 'the cluster: its ARM resource id, or <subscription id>~<resource group>~<name>', clusterArgument)
    .option('--yes', 'do not ask for confirmation')
    .option('--policy <file>', 'policy file (JSON)')
    .addOption(outputOption())
    .action(async (cluster: ClusterId, options: { yes?: boolean; policy?: string; output?: string }) => {
      if (!options.yes) {
        if (!process.stdin.isTTY) throw new UsageError('rotate: no terminal to confirm on; pass --yes to rotate without asking');
        const prompt = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await prompt.question(`Rotate the certificates of ${cluster.name}? Every node is recreated (up to 30 minutes of disruption) and every kubeconfig must be fetched again. [y/N] `);
        prompt.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          process.stderr.write('akscert: not rotated\n');
          return;
        }
      }
      const config = loadConfig();
      const policy = await loadPolicy(config, options.policy);
      const storage = complianceStorage(config);
      const store = openComplianceStore(config, storage);
      const sources = scanSources(config);
      // The cluster as it is now, recorded like any rescan: the guards and the reasons go by it.
      const { report, storeError, missing } = await runScan({ clusters: [cluster], policy, fullRead: true }, { ...sources, store });
      if (storeError) throw storeError;
      const verdict = report.clusters[0];
      if (!verdict || missing.length > 0) throw new UsageError(`rotate: ${cluster.id} does not exist`);
      const log = (line: string) => process.stderr.write(`akscert: ${line}\n`);
      const deps = await rotationDependencies(config, { storage, store, policy, sources, log });
      const [outcome] = await remediate([verdict], deps, { trigger: 'manual' });
      const remediation = outcome!.remediation;
      if (resolveOutput(options.output) === 'json') process.stdout.write(`${JSON.stringify({ clusterId: verdict.id, remediation }, null, 2)}\n`);
      else process.stdout.write(`${verdict.name}: ${remediation.state}${remediation.reason ? ` (${remediation.reason})` : ''}${remediation.operationId ? `, operation ${remediation.operationId}` : ''}${remediation.notBefore ? `, not before ${remediation.notBefore.toISOString()}` : ''}\n`);
      if (remediation.state === 'failed') process.exitCode = EXIT.failure;
    });
}
