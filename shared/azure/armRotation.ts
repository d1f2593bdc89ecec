import { restorePoller } from '@azure/arm-containerservice';
import { isRestError } from '@azure/core-rest-pipeline';
import type { ClusterFacts } from '../domain/cluster.js';
import type { ClusterId } from '../domain/clusterId.js';
import { isNotFound } from '../domain/errors.js';
import type { MaintenanceConfigurationSpec } from '../domain/maintenanceSchedule.js';
import type { ClusterRotationApi, RotationOperation, RotationOperationStatus } from '../rotation/ports.js';
import type { ArmClients } from './armClients.js';
import { ArmFleet } from './armFleet.js';
import { sourceReadError } from './armErrors.js';
import { toMaintenanceConfigurationSpec } from './maintenanceConfigurations.js';
import { resumablePages } from './resumablePages.js';
import { DEFAULT_RETRY, withArmRetry, type RetryOptions } from './retry.js';
import { rotationFailureOf, savedRotation } from './rotationPollerState.js';

/**
 * Resource Manager's side of certificate rotation, through the real SDK: the cluster as ARM has it
 * now, its planned maintenance configurations, and `rotateClusterCertificates` as a long-running
 * operation started in one process and checked, from its saved poller state, in any other.
 */
export class ArmRotation implements ClusterRotationApi {
  private readonly fleet: ArmFleet;

  constructor(
    private readonly clients: ArmClients,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
  ) {
    this.fleet = new ArmFleet(clients, retry);
  }

  readCluster(cluster: ClusterId): Promise<ClusterFacts | undefined> {
    return this.fleet.getCluster(cluster);
  }

  /** Every page of `maintenanceConfigurations.listByManagedCluster`; none (or the cluster gone: 404) is []. */
  async listMaintenanceConfigurations(cluster: ClusterId): Promise<MaintenanceConfigurationSpec[]> {
    const configurations = this.clients.containerServiceFor(cluster.subscriptionId).maintenanceConfigurations;
    const open = (continuationToken?: string) => configurations.listByManagedCluster(cluster.resourceGroup, cluster.name).byPage({ continuationToken });
    const tokenOf = (page: object) => (page as { continuationToken?: string }).continuationToken;
    const models: unknown[] = [];
    try {
      for await (const page of resumablePages(open, tokenOf, this.retry)) models.push(...page);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw sourceReadError('listing maintenance configurations', error);
    }
    return models.map(toMaintenanceConfigurationSpec);
  }

  /**
   * POSTs `rotateClusterCertificates` and returns once ARM accepted it, with the poller's serialized
   * state. Not retried here: the SDK retries what never reached ARM or was throttled, and a second
   * POST after an accepted one would only meet 409. The POST draws from the subscription's write
   * budget (ArmClients' ArmWriteBudget policy), as the credential listings do.
   */
  async startRotation(cluster: ClusterId): Promise<RotationOperation> {
    const managedClusters = this.clients.containerServiceFor(cluster.subscriptionId).managedClusters;
    let armDate: string | undefined;
    // The poller is a thenable that polls to the end when awaited: only its submission is awaited.
    const poller = managedClusters.rotateClusterCertificates(cluster.resourceGroup, cluster.name, {
      onResponse: (response) => {
        armDate = response.headers.get('date') ?? undefined;
      },
    });
    try {
      await poller.submitted();
    } catch (error) {
      throw sourceReadError('starting the certificate rotation', error);
    }
    const resumeFrom = await poller.serialize();
    const accepted = armDate === undefined ? Number.NaN : Date.parse(armDate);
    return {
      operationId: savedRotation(resumeFrom).operationId,
      resumeFrom,
      startedAt: Number.isNaN(accepted) ? new Date() : new Date(accepted),
    };
  }

  /**
   * Restores the SDK's poller from `resumeFrom` and polls once. A poll that ARM did not answer (5xx,
   * 429 past the retries, a 404 for an unknown operation) throws SourceReadError: never a status.
   */
  async checkRotation(operation: RotationOperation): Promise<RotationOperationStatus> {
    const saved = savedRotation(operation.resumeFrom);
    // The saved URLs get the bearer token: they must point at the ARM endpoint this adapter talks to.
    saved.assertOrigin(new URL(this.clients.target.endpoint).origin);
    const client = this.clients.containerServiceFor(saved.cluster.subscriptionId);
    const pollOnce = async () => {
      // A fresh poller per attempt: a failed poll request leaves the SDK's state marked failed.
      const poller = restorePoller(client, operation.resumeFrom, client.managedClusters.rotateClusterCertificates);
      try {
        await poller.poll();
      } catch (error) {
        if (isRestError(error)) throw error;
        // The SDK throws an operation that ended failed or canceled; anything else is no answer.
        const status = poller.operationState?.status;
        if (status !== 'failed' && status !== 'canceled') throw error;
      }
      return poller.operationState;
    };
    let state;
    try {
      state = await withArmRetry(pollOnce, this.retry);
    } catch (error) {
      throw sourceReadError(`polling certificate rotation ${operation.operationId}`, error);
    }
    switch (state?.status) {
      case 'succeeded':
        return { status: 'succeeded' };
      case 'failed':
        return { status: 'failed', ...rotationFailureOf(state.error) };
      case 'canceled':
        return { status: 'canceled' };
      default:
        return { status: 'running' };
    }
  }
}
