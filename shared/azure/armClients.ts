import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient } from '@azure/core-client';
import type { ArmTarget } from './cloud.js';
import { ArmWriteBudget } from './armWriteBudget.js';
import { PreviewPoolFlags } from './previewPoolFlags.js';

/** SDK retries per call (429 with Retry-After, 5xx, network errors) before withArmRetry takes over. */
const SDK_MAX_RETRIES = 3;

/** Builds the real SDK clients for one ARM target, one ContainerServiceClient per subscription. */
export class ArmClients {
  private readonly containerService = new Map<string, ContainerServiceClient>();
  private readonly restClients = new Map<string, ServiceClient>();
  private readonly writeBudgets = new Map<string, ArmWriteBudget>();
  readonly previewPoolFlags = new PreviewPoolFlags();

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
    if (!budget) {
      budget = new ArmWriteBudget();
      this.writeBudgets.set(subscriptionId, budget);
    }
    return budget;
  }
}
