import { carryDecision, clusterFingerprint, type CarrySettings, type RecordedEvidence } from '../domain/carryEvidence.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { CertificateEvidence, ClusterVerdict } from '../domain/verdict.js';
import { describeReadFailure, type ApiServerProbe, type EvidenceSource, type FleetReader } from './ports.js';

type EvidenceSources = { fleet: FleetReader; apiServerProbe?: ApiServerProbe; evidenceSources?: readonly EvidenceSource[] };

/** A verdict, and the certificate evidence it was judged on as the store keeps it for a later scan to carry. */
export interface JudgedCluster {
  verdict: ClusterVerdict;
  /** Absent when the cluster could not be read, or has no `lastModifiedAt` (it is never carried). */
  evidence?: RecordedEvidence;
}

/**
 * Reads what can be read of one cluster's certificates (its kubeconfig, its API server's handshake)
 * and judges it; never throws: a cluster that cannot be read is still judged, `unknown`, saying why.
 */
export async function judgeCluster(cluster: ClusterFacts, sources: EvidenceSources, policy: Policy, now: Date): Promise<ClusterVerdict> {
  return (await judgeClusterEvidence(cluster, sources, policy, now)).verdict;
}

/**
 * The same, carrying the recorded certificate evidence instead of reading the kubeconfig and the API
 * server when `carry` allows it (domain/carryEvidence.ts); the further evidence sources are read
 * either way, and the rules judge the evidence at `now` (ages advance). The verdict says which it was.
 */
export async function judgeClusterEvidence(
  cluster: ClusterFacts,
  sources: EvidenceSources,
  policy: Policy,
  now: Date,
  carry?: { recorded: RecordedEvidence | undefined; settings: CarrySettings },
): Promise<JudgedCluster> {
  const carried = carry && carryDecision(cluster, carry.recorded, policy, carry.settings, now) === 'carry' ? carry.recorded : undefined;
  try {
    const [certificateEvidence, ...further] = await Promise.all([
      carried ? { certificates: carried.certificates, unavailable: carried.unavailable } : readCertificateEvidence(cluster, sources),
      ...(sources.evidenceSources ?? []).map((source) => source.read(cluster, now)),
    ]);
    const readAt = carried?.readAt ?? now;
    const verdict = evaluateCluster(cluster, mergeEvidence([certificateEvidence, ...further]), policy, now);
    const fingerprint = clusterFingerprint(cluster);
    const evidence = fingerprint === undefined ? undefined : { fingerprint, readAt, apiServerProbed: sources.apiServerProbe !== undefined,
      certificates: certificateEvidence.certificates, unavailable: certificateEvidence.unavailable };
    return { verdict: { ...verdict, evidence: { readAt, carried: carried !== undefined } }, ...(evidence ? { evidence } : {}) };
  } catch (error) {
    return { verdict: unreadableClusterVerdict(cluster, describeReadFailure('reading the cluster', error).message) };
  }
}

/** The certificate evidence proper: the kubeconfig's certificates and the API server's, read together. */
async function readCertificateEvidence(cluster: ClusterFacts, sources: EvidenceSources): Promise<CertificateEvidence> {
  return mergeEvidence(await Promise.all([
    sources.fleet.readCertificateEvidence(cluster),
    ...(sources.apiServerProbe ? [sources.apiServerProbe.readCertificate(cluster)] : []),
  ]));
}

/** The readings of every source as one evidence: certificates and unavailable sources together, the other fields as each source gave them. */
export function mergeEvidence(readings: readonly CertificateEvidence[]): CertificateEvidence {
  return readings.reduce<CertificateEvidence>(
    (merged, reading) => ({ ...merged, ...reading, certificates: [...merged.certificates, ...reading.certificates], unavailable: [...merged.unavailable, ...reading.unavailable] }),
    { certificates: [], unavailable: [] },
  );
}
