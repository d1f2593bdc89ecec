import type { Config } from '../shared/config.js';
import { parseClusterId } from '../shared/domain/clusterId.js';
import type { ClusterVerdict } from '../shared/domain/verdict.js';
import { issueRevocation } from '../shared/revocation/issueRevocation.js';

/**
 * The demo's revocation (docs/rules.md "Revocation"): the RenewRevocation manifest for the client
 * certificate of the AKS Arc cluster whose certificate expires soonest, as `akscert revocation <id>
 * --serial <hex>` writes it, so that the cluster's history shows REVOCATION_ISSUED.
 */
export async function demoRevocation(config: Config, verdicts: readonly ClusterVerdict[], info: (line: string) => void): Promise<void> {
  const candidates = verdicts
    .filter((v) => v.platform === 'aks-arc')
    .flatMap((v) => v.certificates.filter((c) => c.source === 'client').map((certificate) => ({ verdict: v, certificate })))
    .sort((a, b) => a.certificate.notAfter.getTime() - b.certificate.notAfter.getTime());
  const first = candidates[0];
  const cluster = first && parseClusterId(first.verdict.id);
  if (!first || !cluster) return;
  const issued = await issueRevocation(config, cluster, { serial: first.certificate.serialNumber }, 'yaml');
  info('');
  info(`Revoking the client certificate of ${issued.clusterName} (AKS enabled by Azure Arc), as \`akscert revocation ${first.verdict.id} --serial ${first.certificate.serialNumber}\` does; recorded as REVOCATION_ISSUED in its history, ready for kubectl apply -f -:`);
  for (const line of issued.printed.trimEnd().split('\n')) info(`  ${line}`);
}
