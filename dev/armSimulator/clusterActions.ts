/**
 * What each managed-cluster action checks and changes, as AKS documents it: refusals answer 409
 * `OperationNotAllowed` with AKS's wording (https://aka.ms/aks-pending-operation): another operation
 * running, a stop of a cluster that is not running, a start of one that is, anything but delete once
 * a delete has started. Delete is accepted whatever runs.
 *
 * Success: rotation re-issues every certificate (certificateRenewal.ts) and leaves every pool
 * `Succeeded`, stop/start flip the power
 * state of the cluster and its pools, delete removes the cluster from the fleet.
 */
import type { ResourceEventType } from './armEvents.js';
import { applyRenewal, renewClusterCertificates } from './certificateRenewal.js';
import { powerStateOf, provisioningStateOf, setPoolProvisioningState, setPowerState } from './clusterState.js';
import type { SimulatedArmError, SimulatedCluster, SimulatedFleet } from './fleet.js';
import type { ActionBehaviour, ClusterAction } from './operations.js';

/** The action's name in AKS's refusal messages ("..., stopping cannot be performed"). */
const GERUNDS: Record<ClusterAction, string> = {
  rotateClusterCertificates: 'rotating cluster certificates',
  stop: 'stopping',
  start: 'starting',
  delete: 'deleting',
};

function notAllowed(message: string): SimulatedArmError {
  return { status: 409, code: 'OperationNotAllowed', message };
}

/** The refusal for an action on a cluster where another operation runs. */
function busyRefusal(cluster: SimulatedCluster, action: ClusterAction, busyState: string): SimulatedArmError {
  if (busyState.toLowerCase() === 'deleting') {
    return notAllowed(
      `Unable to perform '${GERUNDS[action]}' operation on managed cluster '${cluster.resource.name}' since deletion was issued. ` +
        'The only allowed operation is deletion once deletion has started.',
    );
  }
  return notAllowed(
    `managed cluster is in Provisioning State(${busyState}) and Power State(${powerStateOf(cluster)}), ${GERUNDS[action]} cannot be performed. ` +
      'Another operation is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details.',
  );
}

export function clusterActionBehaviours(fleet: SimulatedFleet): Record<ClusterAction, ActionBehaviour> {
  return {
    rotateClusterCertificates: {
      busyState: 'RotatingClusterCertificates',
      refuse: (cluster, busy) => (busy === undefined ? undefined : busyRefusal(cluster, 'rotateClusterCertificates', busy)),
      prepare: async (cluster) => {
        const renewed = await renewClusterCertificates(cluster);
        return () => {
          applyRenewal(cluster, renewed, fleet);
          // A rotation reimages every node: a pool an earlier attempt left Failed is whole again.
          setPoolProvisioningState(cluster, 'Succeeded');
        };
      },
    },
    stop: {
      busyState: 'Stopping',
      refuse: (cluster, busy) => {
        if (busy !== undefined) return busyRefusal(cluster, 'stop', busy);
        return powerStateOf(cluster) === 'Stopped' ? notAllowed('managed cluster is not currently running, stopping cannot be performed') : undefined;
      },
      prepare: async (cluster) => () => setPowerState(cluster, 'Stopped'),
    },
    start: {
      busyState: 'Starting',
      refuse: (cluster, busy) => {
        if (busy !== undefined) return busyRefusal(cluster, 'start', busy);
        if (powerStateOf(cluster) === 'Stopped') return undefined;
        return notAllowed(
          `managed cluster is in Provisioning State(${provisioningStateOf(cluster) ?? 'Succeeded'}) and Power State(Running), starting cannot be performed`,
        );
      },
      prepare: async (cluster) => () => setPowerState(cluster, 'Running'),
    },
    delete: {
      busyState: 'Deleting',
      supersedesOthers: true,
      refuse: () => undefined,
      // A new array (not a splice) so that FleetIndex sees the change even if a test pushed a cluster meanwhile.
      prepare: async (cluster) => () => {
        fleet.clusters = fleet.clusters.filter((c) => c !== cluster);
      },
    },
  };
}

/** How ARM's events name an action's success: the event type and `data.operationName`. */
export function resourceOperationOf(action: ClusterAction): { type: ResourceEventType; operationName: string } {
  return action === 'delete'
    ? { type: 'Microsoft.Resources.ResourceDeleteSuccess', operationName: 'Microsoft.ContainerService/managedClusters/delete' }
    : { type: 'Microsoft.Resources.ResourceActionSuccess', operationName: `Microsoft.ContainerService/managedClusters/${action}/action` };
}
