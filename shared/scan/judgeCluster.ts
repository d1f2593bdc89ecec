import type { ClusterFacts } from '../domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { describeReadFailure, type ApiServerProbe, type FleetReader } from './ports.js';

/**
 * Reads what can be read of one cluster's certificates (its kubeconfig, its API server's handshake)
 * and judges it; never throws: a cluster that cannot be read is still judged, `unknown`, saying why.
 */
export async function judgeCluster(
  cluster: ClusterFacts,
  sources: { fleet: FleetReader; apiServerProbe?: ApiServerProbe },
  policy: Policy,
  now: Date,
): Promise<ClusterVerdict> {
  try {
    const [kubeconfig, apiServer] = await Promise.all([
      sources.fleet.readCertificateEvidence(cluster),
      sources.apiServerProbe?.readCertificate(cluster),
    ]);
    const evidence = {
      certificates: [...kubeconfig.certificates, ...(apiServer?.certificates ?? [])],
      unavailable: [...kubeconfig.unavailable, ...(apiServer?.unavailable ?? [])],
    };
    return evaluateCluster(cluster, evidence, policy, now);
  } catch (error) {
    return unreadableClusterVerdict(cluster, describeReadFailure('reading the cluster', error).message);
  }
}
