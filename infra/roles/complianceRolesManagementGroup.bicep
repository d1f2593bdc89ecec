// The custom roles "AKS Certificate Compliance Reader" and "... Operator", defined at this management
// group and assignable at it and every subscription under it (complianceRoles.bicep for one
// subscription; test/infra/roles.test.ts keeps the two files the same but for their scope).
targetScope = 'managementGroup'

import { scanActions, userCredentialFallbackActions, rotationActions } from 'complianceActions.bicep'
import { nodeProbeActions } from 'complianceActions.bicep'

@description('Also grant listClusterUserCredential, the scan\'s fall-back for clusters that refuse the monitoring user kubeconfig (local accounts disabled).')
param includeUserCredentialFallback bool = false

var assignableScopes = [managementGroup().id]

var readerActions = concat(scanActions, includeUserCredentialFallback ? userCredentialFallbackActions : [])
var operatorActions = concat(readerActions, rotationActions)
var nodeProberActions = nodeProbeActions

resource reader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, 'AKS Certificate Compliance Reader')
  properties: {
    roleName: 'AKS Certificate Compliance Reader'
    description: 'Scans AKS clusters for certificate compliance: reads subscriptions and managed clusters and lists the monitoring user kubeconfig. Never the admin credential.'
    type: 'CustomRole'
    permissions: [
      {
        actions: readerActions
        notActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

resource operator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, 'AKS Certificate Compliance Operator')
  properties: {
    roleName: 'AKS Certificate Compliance Operator'
    description: 'The AKS Certificate Compliance Reader, and rotates cluster certificates within their planned maintenance windows. Never the admin credential.'
    type: 'CustomRole'
    permissions: [
      {
        actions: operatorActions
        notActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

resource nodeProber 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, 'AKS Certificate Compliance Node Prober')
  properties: {
    roleName: 'AKS Certificate Compliance Node Prober'
    description: 'The opt-in node probe of AKS certificate compliance: runs a read-only script (run-command) on one node of each node pool to read its certificates. Assign it beside the Reader or the Operator, only where the node probe is on.'
    type: 'CustomRole'
    permissions: [
      {
        actions: nodeProberActions
        notActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output readerRoleDefinitionId string = reader.id
output operatorRoleDefinitionId string = operator.id
output nodeProberRoleDefinitionId string = nodeProber.id
// The definitions' names (GUIDs), to assign them in another subscription (complianceRoleGrant.bicep).
output readerRoleDefinitionName string = reader.name
output operatorRoleDefinitionName string = operator.name
output nodeProberRoleDefinitionName string = nodeProber.name
