// The Flex Consumption (FC1) Function App, Node 20, run by the user-assigned identity; every connection
// is identity-based (no keys in settings).
param name string
param location string = resourceGroup().location
param tags object = {}
param applicationInsightsName string
param appServicePlanId string
@description('The product\'s settings (main.bicep); the connection settings below are added here.')
param appSettings object = {}
param runtimeName string
param runtimeVersion string
param serviceName string = 'api'
param storageAccountName string
param deploymentStorageContainerName string
param instanceMemoryMB int = 2048
param maximumInstanceCount int = 100
param identityId string
param identityClientId string

var kind = 'functionapp,linux'

resource stg 'Microsoft.Storage/storageAccounts@2022-09-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

var connectionSettings = {
  // The host's own storage (timer leases, the deployment package): blob only.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: stg.properties.primaryEndpoints.blob
  // The compliance store, in the host's identity-based connection form only: the queue triggers bind to the
  // connection COMPLIANCE_STORAGE, and a plain COMPLIANCE_STORAGE value beside these would be read as a
  // connection string. The code reads the account URL from __tableServiceUri (shared/config.ts loadConfig).
  COMPLIANCE_STORAGE__tableServiceUri: stg.properties.primaryEndpoints.table
  COMPLIANCE_STORAGE__queueServiceUri: stg.properties.primaryEndpoints.queue
  COMPLIANCE_STORAGE__credential: 'managedidentity'
  COMPLIANCE_STORAGE__clientId: identityClientId
  // DefaultAzureCredential (ARM, tables, queues, blobs from the code) picks the user-assigned identity by this.
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
}

module api 'br/public:avm/res/web/site:0.15.1' = {
  name: '${serviceName}-flex-consumption'
  params: {
    kind: kind
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': serviceName })
    serverFarmResourceId: appServicePlanId
    managedIdentities: {
      systemAssigned: false
      userAssignedResourceIds: [identityId]
    }
    // Key Vault references (the alert channels' secrets) are read with the same identity.
    keyVaultAccessIdentityResourceId: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${stg.properties.primaryEndpoints.blob}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
    // Replaces the module's default siteConfig (alwaysOn true, which Flex Consumption does not have).
    siteConfig: {
      alwaysOn: false
      minTlsVersion: '1.2'
    }
    httpsOnly: true
    appSettingsKeyValuePairs: union(appSettings, connectionSettings)
  }
}

output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_DEFAULT_HOSTNAME string = api.outputs.defaultHostname
