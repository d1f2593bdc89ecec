import { ComputeManagementClient } from '@azure/arm-compute';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient } from '@azure/core-client';
import type { ArmTarget } from './cloud.js';
import { ArmWriteBudget } from './armWriteBudget.js';
import { PreviewPoolFlags } from './previewPoolFlags.js';
import { ResourceGraphQuota } from './resourceGraphQuota.js';

/** SDK retries per call (429 with Retry-After, 5xx, network errors) before withArmRetry takes over. */
const SDK_MAX_RETRIES = 3;

/** Builds the real SDK clients for one ARM target, one ContainerServiceClient per subscription. */
export class ArmClients {
  private readonly containerService = new Map<string, ContainerServiceClient>();
  private readonly compute = new Map<string, ComputeManagementClient>();
  /** One write budget per subscription, shared by its clients: the node probe's run commands draw from the credential listings' bucket. */
  private readonly restClients = new Map<string, ServiceClient>();
  private readonly writeBudgets = new Map<string, ArmWriteBudget>();
  readonly previewPoolFlags = new PreviewPoolFlags();
  private graph: ResourceGraphClient | undefined;
  /** One quota per identity: every query of these clients counts against it. */
  private readonly graphQuota = new ResourceGraphQuota();

  constructor(
    readonly target: ArmTarget,
    private readonly credential: TokenCredential,
  ) {}

  subscriptions(): SubscriptionClient {
    return new SubscriptionClient(this.credential, {
      endpoint: this.target.endpoint,
      credentialScopes: [this.target.scope],
      retryOptions: { maxRetries: SDK_MAX_RETRIES },
    });
  }

  containerServiceFor(subscriptionId: string): ContainerServiceClient {
    let client = this.containerService.get(subscriptionId);
    if (!client) {
      client = new ContainerServiceClient(this.credential, subscriptionId, {
        endpoint: this.target.endpoint,
        credentials: { scopes: [this.target.scope] },
        retryOptions: { maxRetries: SDK_MAX_RETRIES },
        additionalPolicies: [
          { policy: this.previewPoolFlags.policy, position: 'perCall' },
          // Each attempt, retries included, draws from the subscription's write budget.
          { policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' },
        ],
      });
      this.containerService.set(subscriptionId, client);
    }
    return client;
  }

  /** Resource Graph, a tenant-level service: one client, its queries paced by the caller's quota. */
  resourceGraph(): ResourceGraphClient {
    this.graph ??= new ResourceGraphClient(this.credential, {
      endpoint: this.target.endpoint,
      credentials: { scopes: [this.target.scope] },
      retryOptions: { maxRetries: SDK_MAX_RETRIES },
      // Retries included: each attempt is a query the quota counts.
      additionalPolicies: [{ policy: this.graphQuota.policy, position: 'perRetry' }],
    });
    return this.graph;
  }

  /** The Compute client of one subscription (the node probe's scale sets and run commands), drawing from the same write budget. */
  computeFor(subscriptionId: string): ComputeManagementClient {
    let client = this.compute.get(subscriptionId);
    if (!client) {
      client = new ComputeManagementClient(this.credential, subscriptionId, {
        endpoint: this.target.endpoint,
        credentials: { scopes: [this.target.scope] },
        retryOptions: { maxRetries: SDK_MAX_RETRIES },
        additionalPolicies: [{ policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' }],
      });
      this.compute.set(subscriptionId, client);
    }
    return client;
  }

  /**
   * Resource Manager's REST API for providers without a JavaScript SDK (Microsoft.Kubernetes at an
   * api-version with `kind`, Microsoft.HybridContainerService): the core client with the SDK clients'
   * credential, retries and the subscription's write budget (shared with its ContainerServiceClient).
   */
  resourceManagerFor(subscriptionId: string): ServiceClient {
    let client = this.restClients.get(subscriptionId);
    if (!client) {
      client = new ServiceClient({
        endpoint: this.target.endpoint,
        credential: this.credential,
        credentialScopes: [this.target.scope],
        retryOptions: { maxRetries: SDK_MAX_RETRIES },
        additionalPolicies: [{ policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' }],
      });
      this.restClients.set(subscriptionId, client);
    }
    return client;
  }

  private writeBudgetFor(subscriptionId: string): ArmWriteBudget {
    let budget = this.writeBudgets.get(subscriptionId);
    if (!budget) this.writeBudgets.set(subscriptionId, (budget = new ArmWriteBudget()));
    return budget;
  }
}
