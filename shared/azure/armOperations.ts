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
 * What a scan calls: list the subscriptions, list and read the clusters, fetch the monitoring kubeconfig;
 * for AKS enabled by Azure Arc, list and read the connected clusters, read their provisioned cluster
 * instance and fetch its user kubeconfig (the built-in "Azure Kubernetes Service Arc Cluster User"
 * role's three actions; its operation status is polled without an action of its own, as that role does).
 */
export const SCAN_ACTIONS = [
  'Microsoft.Resources/subscriptions/read',
  `${MANAGED_CLUSTERS}/read`,
  `${MANAGED_CLUSTERS}/listClusterMonitoringUserCredential/action`,
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

export type ArmAction = (typeof SCAN_ACTIONS)[number] | (typeof USER_CREDENTIAL_FALLBACK_ACTIONS)[number] | (typeof ROTATION_ACTIONS)[number];

/** The SDK packages the product calls ARM through; a new one needs its calls declared below. */
export const ARM_SDK_PACKAGES = ['@azure/arm-containerservice', '@azure/arm-resources-subscriptions'] as const;

/** Each SDK operation group's method the product calls (`<group>.<method>`), and the actions it needs. */
export const SDK_CALL_ACTIONS: Readonly<Record<string, readonly ArmAction[]>> = {
  'subscriptions.list': ['Microsoft.Resources/subscriptions/read'],
  'managedClusters.list': [`${MANAGED_CLUSTERS}/read`],
  'managedClusters.get': [`${MANAGED_CLUSTERS}/read`],
  'managedClusters.listClusterMonitoringUserCredentials': [`${MANAGED_CLUSTERS}/listClusterMonitoringUserCredential/action`],
  'managedClusters.listClusterUserCredentials': [`${MANAGED_CLUSTERS}/listClusterUserCredential/action`],
  'maintenanceConfigurations.listByManagedCluster': [`${MANAGED_CLUSTERS}/maintenanceConfigurations/read`],
  'managedClusters.rotateClusterCertificates': [
    `${MANAGED_CLUSTERS}/rotateClusterCertificates/action`,
    'Microsoft.ContainerService/locations/operations/read',
    'Microsoft.ContainerService/locations/operationresults/read',
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
