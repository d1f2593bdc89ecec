import type { ComputeManagementClient } from '@azure/arm-compute';
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
  private readonly compute = new Map<string, Promise<ComputeManagementClient>>();
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
    return once(this.containerService, subscriptionId, () => new ContainerServiceClient(this.credential, subscriptionId, {
      ...this.sdkOptions(),
      additionalPolicies: [
        { policy: this.previewPoolFlags.policy, position: 'perCall' },
        // Each attempt, retries included, draws from the subscription's write budget.
        { policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' },
      ],
    }));
  }

  /** Resource Graph, a tenant-level service: one client, its queries paced by the caller's quota. */
  resourceGraph(): ResourceGraphClient {
    this.graph ??= new ResourceGraphClient(this.credential, {
      ...this.sdkOptions(),
      // Retries included: each attempt is a query the quota counts.
      additionalPolicies: [{ policy: this.graphQuota.policy, position: 'perRetry' }],
    });
    return this.graph;
  }

  /**
   * The Compute client of one subscription (the node probe's scale sets and run commands), drawing from
   * the same write budget. Its SDK is loaded on first use: the probe is opt-in, and loading the SDK
   * adds some 7 MB of heap to a scan's process.
   */
  computeFor(subscriptionId: string): Promise<ComputeManagementClient> {
    return once(this.compute, subscriptionId, async () => {
      // require, not import(): the CommonJS build, which shares its core packages with the other SDKs.
      const { ComputeManagementClient } = require('@azure/arm-compute') as typeof import('@azure/arm-compute');
      return new ComputeManagementClient(this.credential, subscriptionId, {
        ...this.sdkOptions(),
        additionalPolicies: [{ policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' }],
      });
    });
  }

  /**
   * Resource Manager's REST API for providers without a JavaScript SDK (Microsoft.Kubernetes at an
   * api-version with `kind`, Microsoft.HybridContainerService): the core client with the SDK clients'
   * credential, retries and the subscription's write budget (shared with its ContainerServiceClient).
   */
  resourceManagerFor(subscriptionId: string): ServiceClient {
    return once(this.restClients, subscriptionId, () => new ServiceClient({
      endpoint: this.target.endpoint,
      credential: this.credential,
      credentialScopes: [this.target.scope],
      retryOptions: { maxRetries: SDK_MAX_RETRIES },
      additionalPolicies: [{ policy: this.writeBudgetFor(subscriptionId).policy, position: 'perRetry' }],
    }));
  }

  /** What every generated ARM client of this target is given: the endpoint, the token's scope, the retries. */
  private sdkOptions() {
    return { endpoint: this.target.endpoint, credentials: { scopes: [this.target.scope] }, retryOptions: { maxRetries: SDK_MAX_RETRIES } };
  }

  private writeBudgetFor(subscriptionId: string): ArmWriteBudget {
    return once(this.writeBudgets, subscriptionId, () => new ArmWriteBudget());
  }
}

/** The subscription's entry of `made`, made the first time it is asked for. */
function once<T>(made: Map<string, T>, subscriptionId: string, make: () => T): T {
  let entry = made.get(subscriptionId);
  if (entry === undefined) {
    entry = make();
    made.set(subscriptionId, entry);
  }
  return entry;
}
