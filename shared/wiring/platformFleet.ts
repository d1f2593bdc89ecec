import { platformOf, type ClusterId } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import type { CertificateEvidence } from '../domain/verdict.js';
import type { ClusterPage, FleetReader, SubscriptionRef } from '../scan/ports.js';

/** What one platform's reader serves of a subscription: its clusters, one of them, and a cluster's evidence. */
export type PlatformClusters = Omit<FleetReader, 'listSubscriptions'>;

/**
 * AKS and AKS enabled by Azure Arc as one fleet: a subscription's managed clusters' pages, then its
 * AKS Arc clusters' pages, in the same scan; one cluster read and judged by the reader of its
 * platform (`platformOf` its id), so rescans, deletions and events work alike for both. Another
 * discovery (Resource Graph) composes the same way: it serves `aks`, or both kinds.
 */
export class PlatformFleet implements FleetReader {
  constructor(
    private readonly aks: FleetReader,
    private readonly arc: PlatformClusters,
  ) {}

  listSubscriptions(): AsyncIterable<SubscriptionRef> {
    return this.aks.listSubscriptions();
  }

  async *listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage> {
    yield* this.aks.listClusterPages(subscriptionId);
    yield* this.arc.listClusterPages(subscriptionId);
  }

  getCluster(cluster: ClusterId): Promise<ClusterFacts | undefined> {
    return this.readerOf(cluster).getCluster(cluster);
  }

  readCertificateEvidence(cluster: ClusterFacts): Promise<CertificateEvidence> {
    return this.readerOf(cluster).readCertificateEvidence(cluster);
  }

  private readerOf(cluster: ClusterId): PlatformClusters {
    return platformOf(cluster) === 'aks-arc' ? this.arc : this.aks;
  }
}
