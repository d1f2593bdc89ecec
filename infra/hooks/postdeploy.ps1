# azd postdeploy (Windows): what postdeploy.sh does, step for step. Subscribes clusterEvents to the events
# of each monitored subscription once the code (and so the function's endpoint and the host's
# eventgrid_extension key) exists. Idempotent: an existing system topic is reused, the event
# subscription is created or updated in place.
#   MONITORED_SUBSCRIPTION_IDS  the subscriptions to monitor, as main.bicep resolved AZURE_SUBSCRIPTION_IDS
#                               (its output; else AZURE_SUBSCRIPTION_IDS, else AZURE_SUBSCRIPTION_ID)
#   AKS_CLUSTER_EVENTS=on   also a system topic per cluster for the AKS events
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true

foreach ($name in 'AZURE_FUNCTION_NAME', 'AZURE_RESOURCE_GROUP', 'AZURE_SUBSCRIPTION_ID', 'AZURE_LOCATION') {
  if (-not [Environment]::GetEnvironmentVariable($name)) { throw "postdeploy: $name is not set; run by azd after provisioning" }
}
$appSubscription = $env:AZURE_SUBSCRIPTION_ID
$group = $env:AZURE_RESOURCE_GROUP
$app = $env:AZURE_FUNCTION_NAME
$monitored = if ($env:MONITORED_SUBSCRIPTION_IDS) { $env:MONITORED_SUBSCRIPTION_IDS } elseif ($env:AZURE_SUBSCRIPTION_IDS) { $env:AZURE_SUBSCRIPTION_IDS } else { $appSubscription }

$appHost = az functionapp show --subscription "$appSubscription" -g "$group" -n "$app" --query defaultHostName -o tsv
# The host makes its eventgrid_extension key when it first starts with the Event Grid trigger, which may
# be a little after the deploy: ask again for about two minutes.
$key = $null
foreach ($attempt in 1..12) {
  try { $key = az functionapp keys list --subscription "$appSubscription" -g "$group" -n "$app" --query "systemKeys.eventgrid_extension" -o tsv 2>$null } catch { $key = $null }
  if ($key) { break }
  Write-Warning "postdeploy: no eventgrid_extension key yet ($attempt/12)"
  Start-Sleep -Seconds 10
}
if (-not $appHost -or -not $key) { throw "postdeploy: the app $app has no host name or no eventgrid_extension key yet; run 'azd hooks run postdeploy' once it has started" }
# Never echoed: the key is in the query string.
$endpoint = "https://$appHost/runtime/webhooks/eventgrid?functionName=clusterEvents&code=$key"

# The system topic of a source: the existing one, else a new one. Sources are resource ids, compared
# without case (-eq ignores it; ARM returns them in either case).
function Get-SystemTopic([string]$Subscription, [string]$Source, [string]$Type, [string]$Group, [string]$Location, [string]$Name) {
  $existing = az eventgrid system-topic list --subscription "$Subscription" --query "[].{source: source, name: name, group: resourceGroup}" -o json | ConvertFrom-Json |
    Where-Object { $_.source -eq $Source } | Select-Object -First 1
  if ($existing) { return $existing }
  az eventgrid system-topic create --subscription "$Subscription" -g "$Group" -n "$Name" --location "$Location" --topic-type "$Type" --source "$Source" --only-show-errors -o none
  return [pscustomobject]@{ name = $Name; group = $Group }
}

foreach ($raw in $monitored.Split(',')) {
  $subscription = $raw.Trim()
  if (-not $subscription) { continue }
  Write-Host "postdeploy: subscription $subscription"
  az provider register --subscription "$subscription" --namespace Microsoft.EventGrid --wait --only-show-errors -o none
  # Only when missing: `az group create` on an existing group would replace its tags (azd finds its group by them).
  if ((az group exists --subscription "$subscription" -n "$group") -ne 'true') {
    az group create --subscription "$subscription" -n "$group" -l "$env:AZURE_LOCATION" --only-show-errors -o none
  }

  $topic = Get-SystemTopic $subscription "/subscriptions/$subscription" 'Microsoft.Resources.Subscriptions' $group 'global' "aks-cert-compliance-$subscription"
  # Managed clusters and their child resources only; the scan's own credential listings are dropped.
  az eventgrid system-topic event-subscription create --subscription "$subscription" -g "$($topic.group)" `
    --system-topic-name "$($topic.name)" -n 'cluster-changes' `
    --endpoint-type webhook --endpoint "$endpoint" --event-delivery-schema eventgridschema `
    --included-event-types Microsoft.Resources.ResourceWriteSuccess Microsoft.Resources.ResourceActionSuccess Microsoft.Resources.ResourceDeleteSuccess `
    --advanced-filter data.operationName StringBeginsWith Microsoft.ContainerService/managedClusters `
    --advanced-filter data.operationName StringNotContains listClusterMonitoringUserCredential listClusterUserCredential listClusterAdminCredential /listCredential/ `
    --only-show-errors -o none
  Write-Host "postdeploy: $($topic.name) -> clusterEvents (cluster-changes)"

  if ($env:AKS_CLUSTER_EVENTS -eq 'on') {
    $clusters = az aks list --subscription "$subscription" --query "[].{id: id, name: name, group: resourceGroup, location: location}" -o json | ConvertFrom-Json
    foreach ($cluster in $clusters) {
      $aksTopic = Get-SystemTopic $subscription $cluster.id 'Microsoft.ContainerService.ManagedClusters' $cluster.group $cluster.location "aks-cert-compliance-$($cluster.name)"
      az eventgrid system-topic event-subscription create --subscription "$subscription" -g "$($aksTopic.group)" `
        --system-topic-name "$($aksTopic.name)" -n 'cluster-aks-events' `
        --endpoint-type webhook --endpoint "$endpoint" --event-delivery-schema eventgridschema `
        --included-event-types Microsoft.ContainerService.NewKubernetesVersionAvailable Microsoft.ContainerService.ClusterSupportEnding `
          Microsoft.ContainerService.ClusterSupportEnded Microsoft.ContainerService.NodePoolRollingStarted `
          Microsoft.ContainerService.NodePoolRollingSucceeded Microsoft.ContainerService.NodePoolRollingFailed `
        --only-show-errors -o none
      Write-Host "postdeploy: $($aksTopic.name) -> clusterEvents (cluster-aks-events)"
    }
  }
}
