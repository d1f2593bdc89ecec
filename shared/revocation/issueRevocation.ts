import { createHash, randomUUID } from 'node:crypto';
import { clusterState } from '../audit/clusterStates.js';
import { principalOf } from '../azure/credentialPrincipal.js';
import { armTarget } from '../azure/cloud.js';
import { createArmCredential } from '../azure/credential.js';
import type { Config } from '../config.js';
import type { CertificateFacts } from '../domain/certificate.js';
import { platformOf, type ClusterId } from '../domain/clusterId.js';
import { UsageError } from '../domain/errors.js';
import { buildRevocationManifest, recordedCertificateBySerial, revocationValue, type RenewRevocation, type RevocationTarget } from '../domain/revocationManifest.js';
import { complianceStorage, openAuditTables, openComplianceStore } from '../wiring/adapters.js';

/** What to revoke: exactly one of a recorded serial number, a group, a DNS name or an IP address. */
export interface RevocationAsked {
  serial?: string;
  group?: string;
  dns?: string;
  ip?: string;
  notBefore?: Date;
}

/** The manifest issued, as printed (YAML or JSON), once its issue is in the cluster's history. */
export interface IssuedRevocation {
  manifest: RenewRevocation;
  printed: string;
  clusterName: string;
}

/** The one revocation the request asks for; a serial number is the recorded certificate's, never the text typed. */
function targetOf(request: RevocationAsked, certificates: readonly CertificateFacts[]): { target: RevocationTarget; certificate: string } {
  const given = (['serial', 'group', 'dns', 'ip'] as const).filter((name) => request[name] !== undefined);
  if (given.length !== 1) throw new UsageError(`revocation: give exactly one of --serial, --group, --dns, --ip${given.length ? ` (got ${given.map((g) => `--${g}`).join(', ')})` : ''}`);
  if (request.serial !== undefined) {
    const recorded = recordedCertificateBySerial(certificates, request.serial);
    return { target: { kind: 'serialnumber', serialNumber: recorded.serialNumber }, certificate: recorded.sha256 };
  }
  if (request.group !== undefined) return { target: { kind: 'Group', group: request.group }, certificate: '' };
  if (request.dns !== undefined) return { target: { kind: 'DNS', dns: request.dns }, certificate: '' };
  return { target: { kind: 'IP', ip: request.ip! }, certificate: '' };
}

/**
 * The RenewRevocation manifest that revokes a certificate of an AKS enabled by Azure Arc cluster
 * (docs/rules.md "Revocation", 002): validated, its issue recorded in the cluster's history
 * (REVOCATION_ISSUED) before it is handed back, so nothing is printed that the trail does not hold.
 */
export async function issueRevocation(config: Config, cluster: ClusterId, request: RevocationAsked, format: 'yaml' | 'json'): Promise<IssuedRevocation> {
  if (platformOf(cluster) !== 'aks-arc') {
    throw new UsageError(`revocation: ${cluster.id} is an AKS cluster; RenewRevocation manifests are for AKS enabled by Azure Arc (a connected cluster)`);
  }
  const storage = complianceStorage(config);
  await storage.checkReachable();
  const recorded = await clusterState(openAuditTables(config, storage).state, cluster.subscriptionId, cluster.id);
  if (!recorded) throw new UsageError(`revocation: the trail holds no verdict of ${cluster.id}; scan it first`);
  const { target, certificate } = targetOf(request, recorded.certificates);
  const issuedAt = new Date();
  const { manifest, yaml } = buildRevocationManifest({ clusterName: cluster.name, target, ...(request.notBefore ? { notBefore: request.notBefore } : {}), issuedAt });
  const printed = format === 'json' ? `${JSON.stringify(manifest, null, 2)}\n` : yaml;
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
  return { manifest, printed, clusterName: cluster.name };
}
