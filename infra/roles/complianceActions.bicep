// The ARM actions of the custom roles, one list each, equal to shared/azure/armOperations.ts
// (test/infra/roles.test.ts compares them both ways). Never the cluster admin credential.

@export()
@description('What a scan calls: list the subscriptions, list and read the managed clusters, query Resource Graph for the clusters of many subscriptions at once, fetch the monitoring user kubeconfig, read the upgrade profile and the region\'s Kubernetes versions; for AKS enabled by Azure Arc, read the connected clusters and their provisioned cluster instance, fetch its user kubeconfig.')
var scanActions = [
  'Microsoft.Resources/subscriptions/read'
  'Microsoft.ContainerService/managedClusters/read'
  'Microsoft.ContainerService/managedClusters/listClusterMonitoringUserCredential/action'
  'Microsoft.ContainerService/managedClusters/upgradeProfiles/read'
  'Microsoft.ContainerService/locations/kubernetesversions/read'
  'Microsoft.ResourceGraph/resources/read'
  'Microsoft.Kubernetes/connectedClusters/read'
  'Microsoft.HybridContainerService/provisionedClusterInstances/read'
  'Microsoft.HybridContainerService/provisionedClusterInstances/listUserKubeconfig/action'
]

@export()
@description('The scan\'s optional fall-back when the monitoring user kubeconfig is refused (403, or 400 when local accounts are disabled).')
var userCredentialFallbackActions = [
  'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action'
]

@export()
@description('What rotation adds: planned maintenance windows, the rotation, and the status of its long-running operation.')
var rotationActions = [
  'Microsoft.ContainerService/managedClusters/maintenanceConfigurations/read'
  'Microsoft.ContainerService/managedClusters/rotateClusterCertificates/action'
  'Microsoft.ContainerService/locations/operations/read'
  'Microsoft.ContainerService/locations/operationresults/read'
]

@export()
@description('What the opt-in node probe adds: the node pools\' scale sets and instances, the read-only run command, and the status of its long-running operation.')
var nodeProbeActions = [
  'Microsoft.Compute/virtualMachineScaleSets/read'
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read'
  'Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action'
  'Microsoft.Compute/locations/operations/read'
]
