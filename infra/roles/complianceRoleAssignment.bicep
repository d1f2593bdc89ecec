// Defines the compliance roles in this subscription (complianceRoles.bicep) and assigns one of them to
// the monitor's identity: 'reader' for scans, 'operator' when it also rotates certificates.
targetScope = 'subscription'

@description('Object (principal) id of the identity the monitor runs as: its managed identity or service principal.')
param principalId string

@description('reader: AKS Certificate Compliance Reader (scans); operator: AKS Certificate Compliance Operator (scans and rotation).')
@allowed([
  'reader'
  'operator'
])
param roleName string = 'reader'

@description('Also grant listClusterUserCredential, the scan\'s fall-back for clusters that refuse the monitoring user kubeconfig (local accounts disabled).')
param includeUserCredentialFallback bool = false

module roles 'complianceRoles.bicep' = {
  name: 'aks-cert-compliance-roles'
  params: {
    includeUserCredentialFallback: includeUserCredentialFallback
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, 'AKS Certificate Compliance ${roleName}')
  properties: {
    roleDefinitionId: roleName == 'operator' ? roles.outputs.operatorRoleDefinitionId : roles.outputs.readerRoleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'The AKS certificate compliance monitor (infra/roles/complianceRoleAssignment.bicep)'
  }
}

output roleAssignmentId string = assignment.id
output roleDefinitionId string = assignment.properties.roleDefinitionId
