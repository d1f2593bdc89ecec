import type { ClusterId } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { httpStatusOf, isNotFound } from '../domain/errors.js';
import type { CertificateEvidence, UnavailableSource } from '../domain/verdict.js';
import type { ClusterPage } from '../scan/ports.js';
import type { ArmClients } from './armClients.js';
import { describeArmFailure, sourceReadError } from './armErrors.js';
import { armGet, armLongRunningPost, armPages, armUrl, type ArmRest } from './armRest.js';
import {
  CONNECTED_CLUSTERS_API_VERSION, HYBRID_CONTAINER_SERVICE_API_VERSION, isProvisionedCluster, kubeconfigOfListResult, toArcInstanceFacts, toConnectedClusterFacts,
} from './connectedClusterFacts.js';
import { readKubeconfigCertificates } from './kubeconfig.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';

/** The REST paths this adapter calls (each call declared with its actions in armOperations.ts REST_CALL_ACTIONS). */
export const CONNECTED_CLUSTERS_PATH = 'providers/Microsoft.Kubernetes/connectedClusters';
export const PROVISIONED_CLUSTER_INSTANCE_PATH = 'providers/Microsoft.HybridContainerService/provisionedClusterInstances/default';
export const LIST_USER_KUBECONFIG_PATH = `${PROVISIONED_CLUSTER_INSTANCE_PATH}/listUserKubeconfig`;

/** How often the user kubeconfig's operation is polled when ARM gives no Retry-After. */
const KUBECONFIG_POLL_MS = 1_000;

/**
 * AKS enabled by Azure Arc clusters through Resource Manager's REST API (no JavaScript SDK serves
 * Microsoft.HybridContainerService, and @azure/arm-hybridkubernetes has no `kind`): connected clusters
 * of kind ProvisionedCluster, their provisioned cluster instance, and the certificates of the user
 * kubeconfig, which is read and discarded as an AKS one is (certificates only).
 */
export class ArcFleet {
  constructor(
    private readonly clients: ArmClients,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {}

  private rest(subscriptionId: string): ArmRest {
    return { client: this.clients.resourceManagerFor(subscriptionId), endpoint: this.clients.target.endpoint, retry: this.retry };
  }

  /**
   * The subscription's AKS Arc clusters, page by page as ARM pages its connected clusters. A
   * subscription where Microsoft.Kubernetes is not registered can hold none: no pages.
   */
  async *listClusterPages(subscriptionId: string): AsyncIterable<ClusterPage> {
    const rest = this.rest(subscriptionId);
    const pages = armPages(rest, 'connectedClusters.list', armUrl(rest, `/subscriptions/${subscriptionId}/${CONNECTED_CLUSTERS_PATH}`, CONNECTED_CLUSTERS_API_VERSION))[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await pages.next();
      } catch (error) {
        if (isUnregisteredProvider(error)) return;
        throw sourceReadError('listing connected clusters', error);
      }
      if (next.done) return;
      const page: ClusterPage = { clusters: [], invalid: [] };
      for (const model of next.value.filter(isProvisionedCluster)) {
        try {
          page.clusters.push(toConnectedClusterFacts(model));
        } catch (error) {
          page.invalid.push({ id: String((model as { id?: unknown }).id ?? '(no id)'), message: (error as Error).message });
        }
      }
      yield page;
    }
  }

  /** One AKS Arc cluster; undefined when ARM has no such connected cluster, or it is not a ProvisionedCluster. */
  async getCluster(cluster: ClusterId): Promise<ClusterFacts | undefined> {
    const rest = this.rest(cluster.subscriptionId);
    let model: unknown;
    try {
      model = await armGet(rest, 'connectedClusters.get', armUrl(rest, cluster.id, CONNECTED_CLUSTERS_API_VERSION));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw sourceReadError('reading the connected cluster', error);
    }
    return isProvisionedCluster(model) ? toConnectedClusterFacts(model) : undefined;
  }

  /** The provisioned cluster instance's facts and the user kubeconfig's certificates; what cannot be read is `unavailable`. */
  async readCertificateEvidence(cluster: ClusterFacts): Promise<CertificateEvidence> {
    const rest = this.rest(cluster.subscriptionId);
    const unavailable: UnavailableSource[] = [];
    let arcInstance;
    try {
      arcInstance = toArcInstanceFacts(await armGet(rest, 'provisionedClusterInstances.get', armUrl(rest, `${cluster.id}/${PROVISIONED_CLUSTER_INSTANCE_PATH}`, HYBRID_CONTAINER_SERVICE_API_VERSION)));
    } catch (error) {
      const failure = describeArmFailure('reading the provisioned cluster instance', error);
      unavailable.push({ source: 'cluster', reason: failure.reason, message: `${failure.message}.` });
    }
    const kubeconfig = await this.kubeconfigCertificates(rest, cluster);
    return {
      certificates: kubeconfig.certificates,
      unavailable: [...unavailable, ...kubeconfig.unavailable],
      ...(arcInstance ? { arcInstance } : {}),
    };
  }

  private async kubeconfigCertificates(rest: ArmRest, cluster: ClusterFacts): Promise<CertificateEvidence> {
    let result: unknown;
    try {
      result = await armLongRunningPost(rest, 'provisionedClusterInstances.listUserKubeconfig', armUrl(rest, `${cluster.id}/${LIST_USER_KUBECONFIG_PATH}`, HYBRID_CONTAINER_SERVICE_API_VERSION), KUBECONFIG_POLL_MS);
    } catch (error) {
      const failure = describeArmFailure('listUserKubeconfig', error);
      return { certificates: [], unavailable: [{ source: 'kubeconfig', reason: failure.reason, message: `${failure.message}.` }] };
    }
    const kubeconfig = kubeconfigOfListResult(result);
    if (!kubeconfig) return { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'no_certificate', message: 'listUserKubeconfig returned no kubeconfig.' }] };
    return readKubeconfigCertificates(kubeconfig);
  }
}

/** ARM's answer for a resource type whose provider the subscription has not registered. */
function isUnregisteredProvider(error: unknown): boolean {
  const text = (error as { response?: { bodyAsText?: string | null } }).response?.bodyAsText ?? '';
  return httpStatusOf(error) === 409 && /MissingSubscriptionRegistration/.test(text);
}
