import type { RecordedEvidence } from '../domain/carryEvidence.js';
import type { ClusterId } from '../domain/clusterId.js';
import { messageOf, SourceReadError } from '../domain/errors.js';
import type { UnavailableReason } from '../domain/findings.js';
import type { ClusterFacts } from '../domain/cluster.js';
import type { ScanSummary } from '../domain/report.js';
import type { CertificateEvidence, ClusterVerdict } from '../domain/verdict.js';

/**
 * What a scan reads and writes through. The adapters live elsewhere (azure/ for ARM and the TLS
 * probe, store/ for the trail) and are chosen by the wiring; a second fleet reader (Resource Graph)
 * or a recorder plugs in here without the scan knowing it. Adapters throw SourceReadError
 * (domain/errors.ts) with a stable reason word when a source cannot be read.
 */
export interface SubscriptionRef {
  subscriptionId: string;
  displayName?: string;
}

/** A page of clusters; `invalid` holds clusters whose description could not be read (never dropped silently). */
export interface ClusterPage {
  clusters: ClusterFacts[];
  invalid: Array<{ id: string; message: string }>;
}

export interface FleetReader {
  listSubscriptions(): AsyncIterable<SubscriptionRef>;
  listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage>;
  /** One cluster; undefined when it does not exist (any more). */
  getCluster(cluster: ClusterId): Promise<ClusterFacts | undefined>;
  /** The certificates of the cluster's kubeconfig; what cannot be read is `unavailable`, with a reason. */
  readCertificateEvidence(cluster: ClusterFacts): Promise<CertificateEvidence>;
}

/** One subscription's share of a discovery page: never empty, always in the order the discovery gives. */
export interface SubscriptionClusters extends ClusterPage {
  subscriptionId: string;
}

/**
 * A page of clusters across subscriptions. Each subscription's clusters are contiguous in the
 * discovery's order, so `complete` names the subscriptions whose clusters have all been given by the
 * end of this page, once each, those with none too (the scan lists such a one through FleetReader:
 * Resource Graph cannot tell an empty subscription from one the caller may not read).
 */
export interface DiscoveryPage {
  clusters: SubscriptionClusters[];
  complete: string[];
}

/**
 * Lists the clusters of many subscriptions with one query (Resource Graph), in pages, where FleetReader
 * lists them one subscription at a time. It builds the candidate list only: it lags Resource Manager,
 * so what the scan decides on a cluster's absence is always re-read through FleetReader.
 */
export interface FleetDiscovery {
  /** `resource-graph`: what the scan reports it discovered through (ScanSummary.discovery). */
  readonly name: 'resource-graph';
  discoverClusters(subscriptionIds: readonly string[]): AsyncIterable<DiscoveryPage>;
}

/** Reads the certificate a cluster's API server presents. */
export interface ApiServerProbe {
  readCertificate(cluster: ClusterFacts): Promise<CertificateEvidence>;
}

/**
 * A further source of a cluster's evidence, read beside its kubeconfig and its API server (the upgrade
 * profile, the node probe, ...). Its certificates and unavailable sources are added to the others';
 * its other fields (see CertificateEvidence) are the rules' input. Never throws for a source that
 * cannot be read: it says so in `unavailable`, with a reason word.
 */
export interface EvidenceSource {
  read(cluster: ClusterFacts, now: Date): Promise<CertificateEvidence>;
}

/** The clusters a recorder holds a latest state of: all the scan may know of a `States`. */
export interface RecordedClusters {
  clusters(): Array<Pick<ClusterId, 'id' | 'subscriptionId'>>;
  /** The certificate evidence recorded with the cluster's latest verdict, for a warm scan to carry; undefined when none was. */
  recordedEvidence(clusterId: string): RecordedEvidence | undefined;
}

/** How recording a deletion ended: only `recorded` wrote anything new. */
export type DeletionOutcome = 'recorded' | 'duplicate' | 'stale' | 'unknown-cluster';

/**
 * Where verdicts are recorded (store/complianceStore.ts). `States` is what the recorder needs to
 * chain the next records (otherwise opaque to the scan): read before a subscription is judged, handed
 * back with its verdicts. Its `clusters()` let a full scan find recorded clusters ARM no longer lists.
 */
export interface VerdictRecorder<States = unknown> {
  /** Called first: the scan is recorded as running, so that a scan which never ends is still listed. */
  beginScan(scanId: string, startedAt: Date): Promise<void>;
  /** The states of every cluster of the subscription, or of only the clusters named. */
  latestStates(subscriptionId: string, only?: readonly string[]): Promise<States & RecordedClusters>;
  /** `evidence`: by verdict id, the certificate evidence each verdict was judged on, kept with its latest state. */
  recordVerdicts(scanId: string, recordedAt: Date, verdicts: readonly ClusterVerdict[], previous: States, evidence?: ReadonlyMap<string, RecordedEvidence>): Promise<void>;
  /**
   * A recorded cluster ARM says does not exist: a deletion chained to its last verdict, its state
   * removed. The same `eventId` and `deletedAt` land on the same row (a retry changes nothing).
   */
  recordDeletion(deletion: { cluster: Pick<ClusterId, 'id' | 'subscriptionId'>; eventId: string; deletedAt: Date }): Promise<DeletionOutcome>;
  /**
   * Called last, also after a failure to record (`failure` says what was not recorded).
   * `listedCompletely`: the subscriptions a full scan listed to the end (a cluster of one recorded as
   * seen before the scan started was not listed: it is stale).
   */
  recordScan(summary: ScanSummary, verdicts: readonly Pick<ClusterVerdict, 'status'>[], outcome?: { failure?: string; listedCompletely?: readonly string[] }): Promise<void>;
}

/** A failure met while reading a source, in words safe to store: the adapter's own, or a generic one. */
export function describeReadFailure(operation: string, error: unknown): { reason: UnavailableReason; code: string; message: string } {
  if (error instanceof SourceReadError) return { reason: error.reason, code: error.code, message: error.message };
  const code = (error as { code?: unknown } | undefined)?.code;
  return { reason: 'error', code: typeof code === 'string' ? code : 'Error', message: `${operation} failed: ${messageOf(error)}` };
}
