import { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { ClusterId } from '../domain/clusterId.js';
import { issueRevocation, type RevocationAsked } from '../revocation/issueRevocation.js';
import { clusterArgument, dateArgument } from './auditOptions.js';
import { outputOption, resolveOutput } from './usage.js';

interface RevocationOptions extends RevocationAsked {
  output?: string;
}

/**
 * `akscert revocation <cluster>`: the RenewRevocation manifest that revokes a certificate of an AKS
 * enabled by Azure Arc cluster (docs/rules.md "Revocation", 002), validated, recorded in the cluster's
 * history (REVOCATION_ISSUED), then printed for `kubectl apply -f -`. Nothing is printed unless recorded.
 */
export function revocationCommand(): Command {
  return new Command('revocation')
    .description('write the RenewRevocation manifest that revokes a certificate of an AKS enabled by Azure Arc cluster, recorded in its history, for kubectl apply -f -')
    .argument('<cluster-resource-id>', 'the cluster: its connected cluster resource id, or <subscription id>~<resource group>~<name>~aks-arc', clusterArgument)
    .option('--serial <hex>', "revoke the certificate of the cluster's latest record with this serial number")
    .option('--group <group>', 'revoke the certificates of this group (for instance system:nodes)')
    .option('--dns <name>', 'revoke the certificates of this DNS name, or of a suffix starting with a dot')
    .option('--ip <address>', 'revoke the certificates of this IP address')
    .option('--not-before <date>', 'revoke only certificates issued before this instant (required for --group, --dns and --ip)', dateArgument('start'))
    .addOption(outputOption())
    .action(async (cluster: ClusterId, options: RevocationOptions) => {
      const issued = await issueRevocation(loadConfig(), cluster, options, resolveOutput(options.output) === 'json' ? 'json' : 'yaml');
      process.stdout.write(issued.printed);
      process.stderr.write(`akscert: REVOCATION_ISSUED recorded in the history of ${issued.clusterName}; apply it with kubectl apply -f - on the cluster\n`);
    });
}
