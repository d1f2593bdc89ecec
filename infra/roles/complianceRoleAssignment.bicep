// Defines the compliance roles in this subscription (complianceRoles.bicep) and assigns one of them to
// the monitor's identity (complianceRoleGrant.bicep): 'reader' for scans, 'operator' when it also
// rotates certificates.
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

module grant 'complianceRoleGrant.bicep' = {
  name: 'aks-cert-compliance-${roleName}'
  params: {
    principalId: principalId
    roleName: roleName
    roleDefinitionName: roleName == 'operator' ? roles.outputs.operatorRoleDefinitionName : roles.outputs.readerRoleDefinitionName
  }
}

output roleAssignmentId string = grant.outputs.roleAssignmentId
output roleDefinitionId string = grant.outputs.roleDefinitionId
