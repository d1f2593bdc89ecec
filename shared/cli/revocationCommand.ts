import { createHash, randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { clusterState } from '../audit/clusterStates.js';
import { principalOf } from '../azure/credentialPrincipal.js';
import { armTarget } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import { loadConfig } from '../config.js';
import { platformOf, type ClusterId } from '../domain/clusterId.js';
import { UsageError } from '../domain/errors.js';
import { buildRevocationManifest, recordedCertificateBySerial, revocationValue, type RevocationTarget } from '../domain/revocationManifest.js';
import { complianceStorage, openAuditTables, openComplianceStore } from '../wiring/adapters.js';
import { clusterArgument, dateArgument } from './auditOptions.js';
import { outputOption, resolveOutput } from './usage.js';

interface RevocationOptions {
  serial?: string;
  group?: string;
  dns?: string;
  ip?: string;
  notBefore?: Date;
  output?: string;
}

/** The one revocation the options ask for; a serial number is the recorded certificate's, never the text typed. */
function targetOf(options: RevocationOptions, certificates: Parameters<typeof recordedCertificateBySerial>[0]): { target: RevocationTarget; certificate: string } {
  const given = (['serial', 'group', 'dns', 'ip'] as const).filter((name) => options[name] !== undefined);
  if (given.length !== 1) throw new UsageError(`revocation: give exactly one of --serial, --group, --dns, --ip${given.length ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}`);
  if (options.serial !== undefined) {
    const recorded = recordedCertificateBySerial(certificates, options.serial);
    return { target: { kind: 'serialnumber', serialNumber: recorded.serialNumber }, certificate: recorded.sha256 };
  }
  if (options.group !== undefined) return { target: { kind: 'Group', group: options.group }, certificate: '' };
  if (options.dns !== undefined) return { target: { kind: 'DNS', dns: options.dns }, certificate: '' };
  return { target: { kind: 'IP', ip: options.ip! }, certificate: '' };
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
      if (platformOf(cluster) !== 'aks-arc') {
        throw new UsageError(`revocation: ${cluster.id} is an AKS cluster; RenewRevocation manifests are for AKS enabled by Azure Arc (a connected cluster)`);
      }
      const config = loadConfig();
      const storage = complianceStorage(config);
      await storage.checkReachable();
      const recorded = await clusterState(openAuditTables(config, storage).state, cluster.subscriptionId, cluster.id);
      if (!recorded) throw new UsageError(`revocation: the trail holds no verdict of ${cluster.id}; scan it first`);
      const { target, certificate } = targetOf(options, recorded.certificates);
      const issuedAt = new Date();
      const { manifest, yaml } = buildRevocationManifest({ clusterName: cluster.name, target, ...(options.notBefore ? { notBefore: options.notBefore } : {}), issuedAt });
      const json = resolveOutput(options.output) === 'json';
      const printed = json ? `${JSON.stringify(manifest, null, 2)}\n` : yaml;
      const arm = armTarget(config.AZURE_CLOUD, config.ARM_ENDPOINT);
      const actor = await principalOf(createArmCredential(arm, config.AZURE_STATIC_TOKEN), arm.scope, config.ROTATION_ACTOR);
      const store = await openComplianceStore(config, storage);
      const entry = manifest.spec.revocations[0]!;
      const outcome = await store.recordRevocation({
        clusterId: recorded.id, subscriptionId: recorded.subscriptionId, recordedAt: issuedAt, revocationId: randomUUID(),
        revocationKind: target.kind, value: revocationValue(target), notBefore: entry.notBefore ?? '', certificate,
        manifestName: manifest.metadata.name, manifestSha256: createHash('sha256').update(printed).digest('hex'), actor,
      });
      if (outcome === 'unknown-cluster') throw new UsageError(`revocation: the trail holds no verdict of ${cluster.id}; scan it first`);
      process.stdout.write(printed);
      process.stderr.write(`akscert: REVOCATION_ISSUED recorded in the history of ${cluster.name}; apply it with kubectl apply -f - on the cluster\n`);
    });
}
