// Assigns one of the compliance roles, defined elsewhere and assignable here (complianceRoles.bicep,
// complianceRolesManagementGroup.bicep), to the monitor's identity in this subscription.
targetScope = 'subscription'

@description('Object (principal) id of the identity the monitor runs as: its managed identity or service principal.')
param principalId string

@description('reader: AKS Certificate Compliance Reader (scans); operator: AKS Certificate Compliance Operator (scans and rotation).')
@allowed([
  'reader'
  'operator'
])
param roleName string = 'reader'

@description('Name (GUID) of that role\'s definition: the roles module\'s readerRoleDefinitionName or operatorRoleDefinitionName output.')
param roleDefinitionName string

// Named by principal and role, so a deployment run again finds its own assignment.
resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, 'AKS Certificate Compliance ${roleName}')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionName)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'The AKS certificate compliance monitor (infra/roles/complianceRoleGrant.bicep)'
  }
}

output roleAssignmentId string = assignment.id
output roleDefinitionId string = assignment.properties.roleDefinitionId
