/**
 * Every Resource Manager operation the product performs, as the RBAC action it needs: the one list the
 * custom roles in `infra/roles/` grant (test/infra/roles.test.ts holds them equal, both ways, and
 * test/shared/azure/armOperations.test.ts fails on an SDK call of `shared/azure/` missing here).
 * Never the cluster admin credential: the scan reads certificates, it never needs cluster-admin.
 */

const MANAGED_CLUSTERS = 'Microsoft.ContainerService/managedClusters';

const CONNECTED_CLUSTERS = 'Microsoft.Kubernetes/connectedClusters';
const PROVISIONED_CLUSTER_INSTANCES = 'Microsoft.HybridContainerService/provisionedClusterInstances';

/**
 * What a scan calls: list the subscriptions, list and read the clusters, fetch the monitoring kubeconfig, query Resource Graph (discovery), read the version support;
 * for AKS enabled by Azure Arc, list and read the connected clusters, read their provisioned cluster
 * instance and fetch its user kubeconfig (the built-in "Azure Kubernetes Service Arc Cluster User"
 * role's three actions; its operation status is polled without an action of its own, as that role does).
 */
export const SCAN_ACTIONS = [
  'Microsoft.Resources/subscriptions/read',
  `${MANAGED_CLUSTERS}/read`,
  `${MANAGED_CLUSTERS}/listClusterMonitoringUserCredential/action`,
  // Version support (docs/rules.md "Version support"): the upgrade profile and the region's versions.
  `${MANAGED_CLUSTERS}/upgradeProfiles/read`,
  'Microsoft.ContainerService/locations/kubernetesversions/read',
  'Microsoft.ResourceGraph/resources/read',
  `${CONNECTED_CLUSTERS}/read`,
  `${PROVISIONED_CLUSTER_INSTANCES}/read`,
  `${PROVISIONED_CLUSTER_INSTANCES}/listUserKubeconfig/action`,
] as const;

/**
 * The scan's fall-back when the monitoring user's kubeconfig is refused (403, or 400 when the cluster
 * disables local accounts): the cluster user's. Optional in the roles, because on a cluster with local
 * accounts it is a more powerful credential than the scan needs.
 */
export const USER_CREDENTIAL_FALLBACK_ACTIONS = [`${MANAGED_CLUSTERS}/listClusterUserCredential/action`] as const;

/**
 * What rotation adds: the planned maintenance windows it honours, the rotation itself, and the status of
 * that long-running operation, which the SDK polls at the Azure-AsyncOperation and Location URLs
 * (`locations/{location}/operations/{id}` and `.../operationresults/{id}`).
 */
export const ROTATION_ACTIONS = [
  `${MANAGED_CLUSTERS}/maintenanceConfigurations/read`,
  `${MANAGED_CLUSTERS}/rotateClusterCertificates/action`,
  'Microsoft.ContainerService/locations/operations/read',
  'Microsoft.ContainerService/locations/operationresults/read',
] as const;

/**
 * What the opt-in node probe adds (NODE_PROBE=on): list the node pools' scale sets in the node resource
 * group and their instances, run the read-only script on one (a POST, so a write), and read the status of
 * that long-running operation at the Azure-AsyncOperation and Location URLs
 * (`Microsoft.Compute/locations/{location}/operations/{id}`). Its own role: run-command runs any script
 * as root on a node, which no reader should be able to.
 */
export const NODE_PROBE_ACTIONS = [
  'Microsoft.Compute/virtualMachineScaleSets/read',
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read',
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action',
  'Microsoft.Compute/locations/operations/read',
] as const;

export type ArmAction = (typeof SCAN_ACTIONS)[number] | (typeof USER_CREDENTIAL_FALLBACK_ACTIONS)[number] | (typeof ROTATION_ACTIONS)[number] | (typeof NODE_PROBE_ACTIONS)[number];

/** The SDK packages the product calls ARM through; a new one needs its calls declared below. */
export const ARM_SDK_PACKAGES = ['@azure/arm-containerservice', '@azure/arm-resources-subscriptions', '@azure/arm-resourcegraph', '@azure/arm-compute'] as const;

/** Each SDK operation group's method the product calls (`<group>.<method>`), and the actions it needs. */
export const SDK_CALL_ACTIONS: Readonly<Record<string, readonly ArmAction[]>> = {
  'subscriptions.list': ['Microsoft.Resources/subscriptions/read'],
  'managedClusters.list': [`${MANAGED_CLUSTERS}/read`],
  'managedClusters.get': [`${MANAGED_CLUSTERS}/read`],
  'managedClusters.listClusterMonitoringUserCredentials': [`${MANAGED_CLUSTERS}/listClusterMonitoringUserCredential/action`],
  'managedClusters.getUpgradeProfile': [`${MANAGED_CLUSTERS}/upgradeProfiles/read`],
  'managedClusters.listKubernetesVersions': ['Microsoft.ContainerService/locations/kubernetesversions/read'],
  'managedClusters.listClusterUserCredentials': [`${MANAGED_CLUSTERS}/listClusterUserCredential/action`],
  // Resource Graph's query (discovery): its methods are the client's own, called on `resourceGraph`.
  'resourceGraph.resources': ['Microsoft.ResourceGraph/resources/read'],
  'maintenanceConfigurations.listByManagedCluster': [`${MANAGED_CLUSTERS}/maintenanceConfigurations/read`],
  'managedClusters.rotateClusterCertificates': [
    `${MANAGED_CLUSTERS}/rotateClusterCertificates/action`,
    'Microsoft.ContainerService/locations/operations/read',
    'Microsoft.ContainerService/locations/operationresults/read',
  ],
  'virtualMachineScaleSets.list': ['Microsoft.Compute/virtualMachineScaleSets/read'],
  'virtualMachineScaleSetVMs.list': ['Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'],
  'virtualMachineScaleSetVMs.runCommand': [
    'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action',
    'Microsoft.Compute/locations/operations/read',
  ],
};

/**
 * Each Resource Manager REST call the product makes without an SDK (azure/armRest.ts, for AKS enabled
 * by Azure Arc), named `<resource type>.<operation>` where it is made, and the actions it needs.
 */
export const REST_CALL_ACTIONS = {
  'connectedClusters.list': [`${CONNECTED_CLUSTERS}/read`],
  'connectedClusters.get': [`${CONNECTED_CLUSTERS}/read`],
  'provisionedClusterInstances.get': [`${PROVISIONED_CLUSTER_INSTANCES}/read`],
  'provisionedClusterInstances.listUserKubeconfig': [`${PROVISIONED_CLUSTER_INSTANCES}/listUserKubeconfig/action`],
} as const satisfies Readonly<Record<string, readonly ArmAction[]>>;

export type RestCall = keyof typeof REST_CALL_ACTIONS;

/** The custom role "AKS Certificate Compliance Reader" (without the optional fall-back). */
export const READER_ACTIONS: readonly ArmAction[] = [...SCAN_ACTIONS];

/** The custom role "AKS Certificate Compliance Operator": the reader's and rotation's. */
export const OPERATOR_ACTIONS: readonly ArmAction[] = [...SCAN_ACTIONS, ...ROTATION_ACTIONS];

/** The custom role "AKS Certificate Compliance Node Prober": the node probe's actions, assigned beside the Reader or the Operator. */
export const NODE_PROBER_ACTIONS: readonly ArmAction[] = [...NODE_PROBE_ACTIONS];
