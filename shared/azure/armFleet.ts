import { getContinuationToken } from '@azure/arm-resources-subscriptions';
import type { ClusterId } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { isNotFound } from '../domain/errors.js';
import type { CertificateEvidence } from '../domain/verdict.js';
import type { ClusterPage, FleetReader, SubscriptionRef } from '../scan/ports.js';
import type { ArmClients } from './armClients.js';
import { describeArmFailure, isCredentialRefusal, sourceReadError } from './armErrors.js';
import { toClusterFacts } from './clusterFacts.js';
import { readKubeconfigCertificates } from './kubeconfig.js';
import { resumablePages } from './resumablePages.js';
import { DEFAULT_RETRY, withArmRetry, type RetryOptions } from './retry.js';

/** Reads subscriptions, managed clusters and kubeconfig certificates from ARM through the real SDKs. */
export class ArmFleet implements FleetReader {
  constructor(
    private readonly clients: ArmClients,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async *listSubscriptions(): AsyncIterable<SubscriptionRef> {
    const subscriptions = this.clients.subscriptions().subscriptions;
    const open = (continuationToken?: string) => subscriptions.list().byPage({ continuationToken });
    try {
      for await (const page of resumablePages(open, getContinuationToken, this.retry)) {
        for (const s of page) if (s.subscriptionId) yield { subscriptionId: s.subscriptionId, displayName: s.displayName };
      }
    } catch (error) {
      throw sourceReadError('listing subscriptions', error);
    }
  }

  /** Streams the subscription's clusters page by page (following nextLink), so memory stays flat. */
  async *listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage> {
    const managedClusters = this.clients.containerServiceFor(subscriptionId).managedClusters;
    const open = (continuationToken?: string) => managedClusters.list().byPage({ continuationToken });
    const tokenOf = (page: object) => (page as { continuationToken?: string }).continuationToken;
    const pages = resumablePages(open, tokenOf, this.retry)[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await pages.next();
      } catch (error) {
        throw sourceReadError('listing managed clusters', error);
      }
      if (next.done) return;
      yield this.clusterPage(next.value);
    }
  }

  private clusterPage(models: readonly { id?: string }[]): ClusterPage {
    const page: ClusterPage = { clusters: [], invalid: [] };
    for (const model of models) {
      try {
        page.clusters.push(toClusterFacts(model, this.clients.previewPoolFlags.customCaTrustPoolsOf(String(model.id))));
      } catch (error) {
        page.invalid.push({ id: String(model.id ?? '(no id)'), message: (error as Error).message });
      }
    }
    return page;
  }

  async getCluster(cluster: ClusterId): Promise<ClusterFacts | undefined> {
    let model;
    try {
      model = await withArmRetry(() => this.clients.containerServiceFor(cluster.subscriptionId).managedClusters.get(cluster.resourceGroup, cluster.name), this.retry);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw sourceReadError('reading the managed cluster', error);
    }
    return toClusterFacts(model, this.clients.previewPoolFlags.customCaTrustPoolsOf(String(model.id)));
  }

  /**
   * The certificates in the cluster's kubeconfig: the monitoring user's (least privilege), else the
   * user's when that is refused (403, or 400 when local accounts are disabled).
   */
  async readCertificateEvidence(cluster: ClusterFacts): Promise<CertificateEvidence> {
    const managedClusters = this.clients.containerServiceFor(cluster.subscriptionId).managedClusters;
    const attempts = [
      { operation: 'listClusterMonitoringUserCredential', call: () => managedClusters.listClusterMonitoringUserCredentials(cluster.resourceGroup, cluster.name) },
      { operation: 'listClusterUserCredential', call: () => managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name) },
    ];
    const refusals: string[] = [];
    for (const attempt of attempts) {
      try {
        const result = await withArmRetry(attempt.call, this.retry);
        const kubeconfig = result.kubeconfigs?.[0]?.value;
        if (!kubeconfig) return unavailable('no_certificate', `${attempt.operation} returned no kubeconfig.`);
        const missingClient = cluster.disableLocalAccounts ? 'local_accounts_disabled' : 'no_certificate';
        return readKubeconfigCertificates(Buffer.from(kubeconfig).toString('utf8'), missingClient);
      } catch (error) {
        const failure = describeArmFailure(attempt.operation, error);
        if (!isCredentialRefusal(error)) return unavailable(failure.reason, `${failure.message}.`);
        refusals.push(failure.message);
        if (attempt === attempts.at(-1)) return unavailable(failure.reason, `Kubeconfig unavailable: ${refusals.join('; ')}.`);
      }
    }
    return unavailable('error', 'No kubeconfig could be listed.');
  }
}

function unavailable(reason: CertificateEvidence['unavailable'][number]['reason'], message: string): CertificateEvidence {
  return { certificates: [], unavailable: [{ source: 'kubeconfig', reason, message }] };
}
