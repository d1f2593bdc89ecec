import { carryDecision, clusterFingerprint, servesRecordedCertificate, type CarryDecision, type CarrySettings, type RecordedEvidence } from '../domain/carryEvidence.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { evaluateCluster, unreadableClusterVerdict } from '../domain/evaluateCluster.js';
import type { Policy } from '../domain/policy.js';
import type { CertificateEvidence, ClusterVerdict } from '../domain/verdict.js';
import { describeReadFailure, type ApiServerProbe, type EvidenceSource, type FleetReader } from './ports.js';

type EvidenceSources = { fleet: FleetReader; apiServerProbe?: ApiServerProbe; evidenceSources?: readonly EvidenceSource[] };

/** A verdict, and the certificate evidence it was judged on as the store keeps it for a later scan to carry. */
export interface JudgedCluster {
  verdict: ClusterVerdict;
  /** Absent when the cluster could not be read. */
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
 * server when `carry` allows it (domain/carryEvidence.ts; a cluster without `lastModifiedAt` once its
 * API server serves the recorded certificate); the further evidence sources are read either way, and
 * the rules judge the evidence at `now` (ages advance). The verdict says which it was.
 */
export async function judgeClusterEvidence(
  cluster: ClusterFacts,
  sources: EvidenceSources,
  policy: Policy,
  now: Date,
  carry?: { recorded: RecordedEvidence | undefined; settings: CarrySettings },
): Promise<JudgedCluster> {
  const fingerprint = clusterFingerprint(cluster);
  try {
    const [{ evidence: certificateEvidence, carried }, ...further] = await Promise.all([
      carriedOrRead(cluster, sources, carry && { ...carry, decision: carryDecision(cluster, carry.recorded, policy, carry.settings, now, fingerprint) }),
      ...(sources.evidenceSources ?? []).map((source) => source.read(cluster, now)),
    ]);
    const readAt = carried?.readAt ?? now;
    const verdict = evaluateCluster(cluster, mergeEvidence([certificateEvidence, ...further]), policy, now);
    const evidence = { fingerprint, readAt, apiServerProbed: sources.apiServerProbe !== undefined,
      certificates: certificateEvidence.certificates, unavailable: certificateEvidence.unavailable };
    return { verdict: { ...verdict, evidence: { readAt, carried: carried !== undefined } }, evidence };
  } catch (error) {
    return { verdict: unreadableClusterVerdict(cluster, describeReadFailure('reading the cluster', error).message) };
  }
}

/**
 * The recorded evidence when it may be carried; for `confirm-apiserver` the API server is probed
 * first, and a certificate other than the recorded one makes a full read (the probe's reading kept).
 */
async function carriedOrRead(
  cluster: ClusterFacts, sources: EvidenceSources, carry: { recorded: RecordedEvidence | undefined; decision: CarryDecision } | undefined,
): Promise<{ evidence: CertificateEvidence; carried?: RecordedEvidence }> {
  const recorded = carry?.recorded;
  const carriedEvidence = (r: RecordedEvidence) => ({ evidence: { certificates: r.certificates, unavailable: r.unavailable }, carried: r });
  if (recorded && carry.decision === 'carry') return carriedEvidence(recorded);
  if (recorded && carry.decision === 'confirm-apiserver' && sources.apiServerProbe) {
    const served = await sources.apiServerProbe.readCertificate(cluster);
    if (servesRecordedCertificate(recorded, served)) return carriedEvidence(recorded);
    return { evidence: mergeEvidence([await sources.fleet.readCertificateEvidence(cluster), served]) };
  }
  return { evidence: await readCertificateEvidence(cluster, sources) };
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
