// Every role assignment of the deployment, for the app's identity (and, optionally, the deployer).
param storageAccountName string
param appInsightsName string
param keyVaultName string
param managedIdentityPrincipalId string
@description('The deployer, given read access to the compliance tables to audit with akscert. Empty: none.')
param userIdentityPrincipalId string = ''
@allowed(['User', 'ServicePrincipal'])
param userIdentityPrincipalType string = 'User'
@description('The subscriptions the scan reads (and, with remediation on, rotates in).')
param monitoredSubscriptionIds array
@allowed(['reader', 'operator'])
param scanRoleName string = 'reader'
@description('Also grant listClusterUserCredential, the scan\'s fall-back for clusters that refuse the monitoring user kubeconfig.')
param includeUserCredentialFallback bool = false

// Built-in role definition ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var blobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // host storage, deployment package, checkpoint mirror
var queueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // scan-subscription, scan-cluster queues
var tableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // the compliance trail
var tableDataReader = '76199698-9eea-4c19-bc75-cec21354c6b6' // the deployer, auditing
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6' // the alert channels' secrets
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Application Insights, Entra auth

resource storageAccount 'Microsoft.Storage/storageAccounts@2022-09-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

var storageRoles = [blobDataOwner, queueDataContributor, tableDataContributor]

resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoles: {
  name: guid(storageAccount.id, managedIdentityPrincipalId, role)
  scope: storageAccount
  properties: {
    roleDefinitionId: resourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

resource tableReaderAssignmentUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userIdentityPrincipalId)) {
  name: guid(storageAccount.id, userIdentityPrincipalId, tableDataReader)
  scope: storageAccount
  properties: {
    roleDefinitionId: resourceId('Microsoft.Authorization/roleDefinitions', tableDataReader)
    principalId: userIdentityPrincipalId
    principalType: userIdentityPrincipalType
  }
}

resource keyVaultSecretsAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, managedIdentityPrincipalId, keyVaultSecretsUser)
  scope: keyVault
  properties: {
    roleDefinitionId: resourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appInsightsRoleAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, managedIdentityPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: resourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
    principalId: managedIdentityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The scan's custom roles, defined once in this subscription and assignable at every monitored one (a
// role name is unique in the tenant, so a definition per subscription would clash), then at each
// monitored subscription the one the scan needs: Reader, or Operator with remediation.
module complianceRoleDefinitions '../roles/complianceRoles.bicep' = {
  name: 'compliance-roles-${uniqueString(subscription().id, managedIdentityPrincipalId)}'
  scope: subscription()
  params: {
    includeUserCredentialFallback: includeUserCredentialFallback
    assignableSubscriptionIds: monitoredSubscriptionIds
  }
}

module complianceRoles '../roles/complianceRoleGrant.bicep' = [for subscriptionId in monitoredSubscriptionIds: {
  name: 'compliance-${scanRoleName}-${uniqueString(subscriptionId, managedIdentityPrincipalId)}'
  scope: subscription(subscriptionId)
  params: {
    principalId: managedIdentityPrincipalId
    roleName: scanRoleName
    roleDefinitionName: scanRoleName == 'operator' ? complianceRoleDefinitions.outputs.operatorRoleDefinitionName : complianceRoleDefinitions.outputs.readerRoleDefinitionName
  }
}]
