import type { ClusterFacts } from '../domain/cluster.js';
import type { CertificateEvidence } from '../domain/verdict.js';
import type { ArmClients } from './armClients.js';
import { describeArmFailure, isCredentialRefusal } from './armErrors.js';
import { isRestError } from '@azure/core-rest-pipeline';
import { ClusterShapeError, toClusterFacts } from './clusterFacts.js';
import { parseManagedClusterId } from './resourceId.js';
import { readKubeconfigCertificates } from './kubeconfig.js';
import { getContinuationToken } from '@azure/arm-resources-subscriptions';
import { resumablePages } from './resumablePages.js';
import { DEFAULT_RETRY, withArmRetry, type RetryOptions } from './retry.js';

export interface SubscriptionRef {
  subscriptionId: string;
  displayName?: string;
}

/** A page of clusters; `invalid` holds clusters whose ARM shape could not be read (never dropped silently). */
export interface ClusterPage {
  clusters: ClusterFacts[];
  invalid: Array<{ id: string; message: string }>;
}

/** The port the scan reads Azure through; ArmFleet is the real adapter. */
export interface FleetReader {
  listSubscriptions(): AsyncIterable<SubscriptionRef>;
  listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage>;
  /** One cluster by id; undefined when ARM says it does not exist (404). */
  getCluster(clusterId: string): Promise<ClusterFacts | undefined>;
  readCertificateEvidence(cluster: ClusterFacts): Promise<CertificateEvidence>;
}

/** Reads subscriptions, managed clusters and kubeconfig certificates from ARM through the real SDKs. */
export class ArmFleet implements FleetReader {
  constructor(
    private readonly clients: ArmClients,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  async *listSubscriptions(): AsyncIterable<SubscriptionRef> {
    const subscriptions = this.clients.subscriptions().subscriptions;
    const open = (continuationToken?: string) => subscriptions.list().byPage({ continuationToken });
    for await (const page of resumablePages(open, getContinuationToken, this.retry)) {
      for (const s of page) if (s.subscriptionId) yield { subscriptionId: s.subscriptionId, displayName: s.displayName };
    }
  }

  /** Streams the subscription's clusters page by page (following nextLink), so memory stays flat. */
  async *listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage> {
    const managedClusters = this.clients.containerServiceFor(subscriptionId).managedClusters;
    const open = (continuationToken?: string) => managedClusters.list().byPage({ continuationToken });
    const tokenOf = (page: object) => (page as { continuationToken?: string }).continuationToken;
    for await (const page of resumablePages(open, tokenOf, this.retry)) {
      const result: ClusterPage = { clusters: [], invalid: [] };
      for (const model of page) {
        try {
          result.clusters.push(toClusterFacts(model, this.clients.previewPoolFlags.customCaTrustPoolsOf(String(model.id))));
        } catch (error) {
          result.invalid.push({ id: String((model as { id?: unknown }).id ?? '(no id)'), message: (error as Error).message });
        }
      }
      yield result;
    }
  }

  async getCluster(clusterId: string): Promise<ClusterFacts | undefined> {
    const ref = parseManagedClusterId(clusterId);
    if (!ref) throw new ClusterShapeError(`"${clusterId}" is not a managed cluster resource id`);
    try {
      const model = await withArmRetry(() => this.clients.containerServiceFor(ref.subscriptionId).managedClusters.get(ref.resourceGroup, ref.name), this.retry);
      return toClusterFacts(model, this.clients.previewPoolFlags.customCaTrustPoolsOf(String(model.id)));
    } catch (error) {
      if (isRestError(error) && error.statusCode === 404) return undefined;
      throw error;
    }
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
