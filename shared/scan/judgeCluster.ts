import type { ClusterFacts } from '../domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { CertificateEvidence, ClusterVerdict } from '../domain/verdict.js';
import { describeReadFailure, type ApiServerProbe, type EvidenceSource, type FleetReader } from './ports.js';

/**
 * Reads what can be read of one cluster's certificates (its kubeconfig, its API server's handshake)
 * and judges it; never throws: a cluster that cannot be read is still judged, `unknown`, saying why.
 */
export async function judgeCluster(
  cluster: ClusterFacts,
  sources: { fleet: FleetReader; apiServerProbe?: ApiServerProbe; evidenceSources?: readonly EvidenceSource[] },
  policy: Policy,
  now: Date,
): Promise<ClusterVerdict> {
  try {
    const readings = await Promise.all([
      sources.fleet.readCertificateEvidence(cluster),
      ...(sources.apiServerProbe ? [sources.apiServerProbe.readCertificate(cluster)] : []),
      ...(sources.evidenceSources ?? []).map((source) => source.read(cluster, now)),
    ]);
    return evaluateCluster(cluster, mergeEvidence(readings), policy, now);
  } catch (error) {
    return unreadableClusterVerdict(cluster, describeReadFailure('reading the cluster', error).message);
  }
}

/** The readings of every source as one evidence: certificates and unavailable sources together, the other fields as each source gave them. */
export function mergeEvidence(readings: readonly CertificateEvidence[]): CertificateEvidence {
  return readings.reduce<CertificateEvidence>(
    (merged, reading) => ({ ...merged, ...reading, certificates: [...merged.certificates, ...reading.certificates], unavailable: [...merged.unavailable, ...reading.unavailable] }),
    { certificates: [], unavailable: [] },
  );
}
