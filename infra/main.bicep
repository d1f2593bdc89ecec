// The whole deployment of aks-cert-compliance (`azd up`), in the manner of the Azure-Samples Functions
// azd templates (Flex Consumption, TypeScript): one resource group, names derived from the environment.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment, which makes the short unique hash in every resource name.')
param environmentName string

@minLength(1)
@description('Location of every resource; one where Flex Consumption is offered.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deployer, given read access to the compliance tables (auditing with akscert). Empty: none.')
param principalId string = ''

@description('Whether principalId is a user or a service principal (a pipeline).')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Comma-separated ids of the subscriptions to monitor (AZURE_SUBSCRIPTION_IDS). Empty: this subscription.')
param monitoredSubscriptionIds string = ''

@description('on: the scheduled scan rotates what it finds expiring, which needs the Operator role; off: it only reports.')
@allowed(['on', 'off'])
param remediation string = 'off'

@description('Also grant the scan listClusterUserCredential, its fall-back for clusters that refuse the monitoring user kubeconfig (local accounts disabled). Off: the Reader or Operator role without it.')
param userCredentialFallback bool = false

@description('The policy as inline JSON (POLICY_JSON). Empty: the built-in policy.')
param policyJson string = ''

@description('The dashboard address linked from alerts, such as https://<app host>/api/dashboard (known after the first deploy). Empty: no links.')
param dashboardUrl string = ''

@description('Event Grid topic endpoint of the eventgrid alert channel. Empty: channel off.')
param alertEventGridTopicEndpoint string = ''

// The alert channels' secrets: kept in the Key Vault, referenced from app settings, each only when given.
@secure()
param alertPagerDutyRoutingKey string = ''
@secure()
param alertTeamsWebhookUrl string = ''
@secure()
param alertSlackWebhookUrl string = ''
@secure()
param alertEventGridTopicKey string = ''
@secure()
param alertWebhookUrl string = ''
@secure()
param alertWebhookSecret string = ''

@description('Application (client) id of the Entra app registration for the HTTP API (docs/operations.md). Empty: no App Service Authentication, function keys only.')
param apiAuthClientId string = ''

@description('Tenant of that app registration. Empty: the tenant deployed to.')
param apiAuthTenantId string = ''

param apiServiceName string = ''
param apiUserAssignedIdentityName string = ''
param applicationInsightsName string = ''
param appServicePlanName string = ''
param keyVaultName string = ''
param logAnalyticsName string = ''
param resourceGroupName string = ''
param storageAccountName string = ''

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = !empty(apiServiceName) ? apiServiceName : '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var monitored = empty(trim(monitoredSubscriptionIds)) ? [subscription().subscriptionId] : filter(map(split(monitoredSubscriptionIds, ','), id => trim(id)), id => !empty(id))
// The Operator role adds the rotation action; never granted while remediation is off.
var scanRoleName = remediation == 'on' ? 'operator' : 'reader'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

// The app's one identity: storage, Key Vault, Application Insights and ARM (the scan) all use it.
module apiUserAssignedIdentity 'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1' = {
  name: 'apiUserAssignedIdentity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: !empty(apiUserAssignedIdentityName) ? apiUserAssignedIdentityName : '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  }
}

module appServicePlan 'br/public:avm/res/web/serverfarm:0.1.1' = {
  name: 'appserviceplan'
  scope: rg
  params: {
    name: !empty(appServicePlanName) ? appServicePlanName : '${abbrs.webServerFarms}${resourceToken}'
    sku: {
      name: 'FC1'
      tier: 'FlexConsumption'
    }
    reserved: true
    location: location
    tags: tags
  }
}

// The host's storage (AzureWebJobsStorage, the deployment package) and the compliance tables and queues.
module storage 'br/public:avm/res/storage/storage-account:0.8.3' = {
  name: 'storage'
  scope: rg
  params: {
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identities only: no account key to leak
    dnsEndpointType: 'Standard'
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    blobServices: {
      containers: [{ name: deploymentStorageContainerName }]
    }
    minimumTlsVersion: 'TLS1_2'
    location: location
    tags: tags
  }
}

module logAnalytics 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: '${uniqueString(deployment().name, location)}-loganalytics'
  scope: rg
  params: {
    name: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    location: location
    tags: tags
    dataRetention: 30
  }
}

module monitoring 'br/public:avm/res/insights/component:0.6.0' = {
  name: '${uniqueString(deployment().name, location)}-appinsights'
  scope: rg
  params: {
    name: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    workspaceResourceId: logAnalytics.outputs.resourceId
    disableLocalAuth: true // Entra authentication only (APPLICATIONINSIGHTS_AUTHENTICATION_STRING)
  }
}

// The alert channels' secrets, given: setting name, secret name, value. Only those given are stored.
var keyVaultSettings = [
  { setting: 'ALERT_PAGERDUTY_ROUTING_KEY', secret: 'alert-pagerduty-routing-key', value: alertPagerDutyRoutingKey }
  { setting: 'ALERT_TEAMS_WEBHOOK_URL', secret: 'alert-teams-webhook-url', value: alertTeamsWebhookUrl }
  { setting: 'ALERT_SLACK_WEBHOOK_URL', secret: 'alert-slack-webhook-url', value: alertSlackWebhookUrl }
  { setting: 'ALERT_EVENTGRID_TOPIC_KEY', secret: 'alert-eventgrid-topic-key', value: alertEventGridTopicKey }
  { setting: 'ALERT_WEBHOOK_URL', secret: 'alert-webhook-url', value: alertWebhookUrl }
  { setting: 'ALERT_WEBHOOK_SECRET', secret: 'alert-webhook-secret', value: alertWebhookSecret }
]
var givenSecrets = filter(keyVaultSettings, s => !empty(s.value))

module keyVault 'br/public:avm/res/key-vault/vault:0.13.3' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: !empty(keyVaultName) ? keyVaultName : '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    sku: 'standard'
    enableRbacAuthorization: true
    enablePurgeProtection: false // `azd down --purge` removes it; turn on for production
    softDeleteRetentionInDays: 7
    secrets: [for s in givenSecrets: { name: s.secret, value: s.value }]
  }
}

// Every setting shared/config.ts reads (test/infra/appSettings.test.ts compares), with its default or a
// parameter. Empty means "the default" to loadConfig. AZURE_STATIC_TOKEN and LOCAL_HOST_MASTER_KEY are
// never set here: local-only, and empty is an error for both.
var appSettings = {
  AZURE_SUBSCRIPTION_IDS: join(monitored, ',')
  AZURE_CLOUD: environment().name
  ARM_ENDPOINT: ''
  SCAN_SCHEDULE: '0 0 */6 * * *'
  POLICY_FILE: ''
  POLICY_JSON: policyJson
  SCAN_CONCURRENCY: '32'
  DISCOVERY: 'auto'
  RESCAN_DEBOUNCE_SECONDS: '30'
  APISERVER_PROBE: 'auto'
  APISERVER_CONNECT_TO: ''
  CHECKPOINT_MIRROR: ''
  REMEDIATION: remediation
  ROTATION_ACTOR: 'aks-cert-compliance'
  ALERT_PAGERDUTY_URL: 'https://events.pagerduty.com/v2/enqueue'
  ALERT_EVENTGRID_TOPIC_ENDPOINT: alertEventGridTopicEndpoint
  ALERT_MIN_SEVERITY: 'warning'
  ALERT_REPEAT_HOURS: '24'
  DASHBOARD_URL: dashboardUrl
  FULL_REFRESH_HOURS: '24'
  NODE_PROBE: 'off'
  NODE_PROBE_HOURS: '24'
}
var secretReferences = toObject(givenSecrets, s => s.setting, s => '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${s.secret}/)')

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.name
    appServicePlanId: appServicePlan.outputs.resourceId
    runtimeName: 'node'
    runtimeVersion: '20'
    storageAccountName: storage.outputs.name
    deploymentStorageContainerName: deploymentStorageContainerName
    identityId: apiUserAssignedIdentity.outputs.resourceId
    identityClientId: apiUserAssignedIdentity.outputs.clientId
    appSettings: union(appSettings, secretReferences)
  }
  dependsOn: [rbac] // Key Vault references resolve only once the identity may read the secrets
}

// Auditors sign in with Entra ID (app role Auditor) on top of the function keys; only once the app
// registration exists, so `azd up` works without one.
module apiAuth './app/auth.bicep' = if (!empty(apiAuthClientId)) {
  name: 'apiAuth'
  scope: rg
  params: {
    functionAppName: api.outputs.SERVICE_API_NAME
    clientId: apiAuthClientId
    tenantId: !empty(apiAuthTenantId) ? apiAuthTenantId : tenant().tenantId
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbacAssignments'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    appInsightsName: monitoring.outputs.name
    keyVaultName: keyVault.outputs.name
    managedIdentityPrincipalId: apiUserAssignedIdentity.outputs.principalId
    userIdentityPrincipalId: principalId
    userIdentityPrincipalType: principalType
    monitoredSubscriptionIds: monitored
    scanRoleName: scanRoleName
    includeUserCredentialFallback: userCredentialFallback
  }
}

output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.SERVICE_API_NAME
output AZURE_FUNCTION_NAME string = api.outputs.SERVICE_API_NAME
// The postdeploy hook subscribes clusterEvents to these subscriptions' events.
output MONITORED_SUBSCRIPTION_IDS string = join(monitored, ',')
