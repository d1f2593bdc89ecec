#!/usr/bin/env bash
# azd postdeploy: subscribe clusterEvents to the events of each monitored subscription (README, "Event
# flow"). Runs after the code is deployed, because only then does the function have an endpoint and the
# host its eventgrid_extension key. Idempotent: an existing system topic is reused (a source may have
# one only), the event subscription is created or updated in place.
#   MONITORED_SUBSCRIPTION_IDS  the subscriptions to monitor, as main.bicep resolved AZURE_SUBSCRIPTION_IDS
#                               (its output; else AZURE_SUBSCRIPTION_IDS, else AZURE_SUBSCRIPTION_ID)
#   AKS_CLUSTER_EVENTS=on   also a system topic per cluster for the AKS events (support ending, node pool rolling)
set -euo pipefail

: "${AZURE_FUNCTION_NAME:?run by azd after provisioning (azd env get-values)}"
: "${AZURE_RESOURCE_GROUP:?run by azd after provisioning}"
: "${AZURE_SUBSCRIPTION_ID:?run by azd after provisioning}"
: "${AZURE_LOCATION:?run by azd after provisioning}"

app_subscription="$AZURE_SUBSCRIPTION_ID"
monitored="${MONITORED_SUBSCRIPTION_IDS:-${AZURE_SUBSCRIPTION_IDS:-$app_subscription}}"
subscription_name="cluster-changes"
aks_subscription_name="cluster-aks-events"

host="$(az functionapp show --subscription "$app_subscription" -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_NAME" --query defaultHostName -o tsv)"
# The host makes its eventgrid_extension key when it first starts with the Event Grid trigger, which may
# be a little after the deploy: ask again for about two minutes.
key=""
for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
  key="$(az functionapp keys list --subscription "$app_subscription" -g "$AZURE_RESOURCE_GROUP" -n "$AZURE_FUNCTION_NAME" --query "systemKeys.eventgrid_extension" -o tsv 2>/dev/null || true)"
  [ -n "$key" ] && break
  echo "postdeploy: no eventgrid_extension key yet ($attempt/12)" >&2
  sleep 10
done
if [ -z "$host" ] || [ -z "$key" ]; then
  echo "postdeploy: the app $AZURE_FUNCTION_NAME has no host name or no eventgrid_extension key yet; run 'azd hooks run postdeploy' once it has started" >&2
  exit 1
fi
# Never echoed: the key is in the query string.
endpoint="https://${host}/runtime/webhooks/eventgrid?functionName=clusterEvents&code=${key}"

# The system topic of a source: the existing one (name and resource group, tab-separated), else a new one.
# Sources are resource ids, compared without case (ARM returns them in either case).
ensure_topic() {
  local subscription="$1" source="$2" type="$3" group="$4" location="$5" name="$6" existing
  existing="$(az eventgrid system-topic list --subscription "$subscription" --query "[].[source, name, resourceGroup]" -o tsv \
    | awk -F '\t' -v source="$source" 'tolower($1) == tolower(source) { print $2 "\t" $3; exit }')"
  if [ -n "$existing" ]; then
    printf '%s\n' "$existing"
    return
  fi
  az eventgrid system-topic create --subscription "$subscription" -g "$group" -n "$name" \
    --location "$location" --topic-type "$type" --source "$source" --only-show-errors -o none
  printf '%s\t%s\n' "$name" "$group"
}

IFS=',' read -r -a subscriptions <<< "$monitored"
for raw in "${subscriptions[@]}"; do
  subscription="$(printf '%s' "$raw" | tr -d '[:space:]')"
  [ -n "$subscription" ] || continue
  echo "postdeploy: subscription $subscription"
  az provider register --subscription "$subscription" --namespace Microsoft.EventGrid --wait --only-show-errors -o none
  # The topic lives in a resource group of the monitored subscription: the app's group name, created there when missing.
  # Only when missing: `az group create` on an existing group would replace its tags (azd finds its group by them).
  if [ "$(az group exists --subscription "$subscription" -n "$AZURE_RESOURCE_GROUP")" != "true" ]; then
    az group create --subscription "$subscription" -n "$AZURE_RESOURCE_GROUP" -l "$AZURE_LOCATION" --only-show-errors -o none
  fi

  found="$(ensure_topic "$subscription" "/subscriptions/${subscription}" \
    Microsoft.Resources.Subscriptions "$AZURE_RESOURCE_GROUP" global "aks-cert-compliance-${subscription}")"
  IFS=$'\t' read -r topic topic_group <<< "$found"

  # Managed clusters and their child resources only; the credential listings a scan itself makes are
  # dropped here (the handler ignores them too), or every scan would trigger another.
  az eventgrid system-topic event-subscription create --subscription "$subscription" -g "$topic_group" \
    --system-topic-name "$topic" -n "$subscription_name" \
    --endpoint-type webhook --endpoint "$endpoint" --event-delivery-schema eventgridschema \
    --included-event-types Microsoft.Resources.ResourceWriteSuccess Microsoft.Resources.ResourceActionSuccess Microsoft.Resources.ResourceDeleteSuccess \
    --advanced-filter data.operationName StringBeginsWith Microsoft.ContainerService/managedClusters \
    --advanced-filter data.operationName StringNotContains listClusterMonitoringUserCredential listClusterUserCredential listClusterAdminCredential /listCredential/ \
    --only-show-errors -o none
  echo "postdeploy: $topic -> clusterEvents ($subscription_name)"

  if [ "${AKS_CLUSTER_EVENTS:-off}" = "on" ]; then
    clusters="$(az aks list --subscription "$subscription" --query "[].[id, name, resourceGroup, location]" -o tsv)"
    # fd 3: az must not read the list as its stdin.
    while IFS=$'\t' read -r cluster_id cluster_name cluster_group cluster_location <&3; do
      [ -n "$cluster_id" ] || continue
      found="$(ensure_topic "$subscription" "$cluster_id" \
        Microsoft.ContainerService.ManagedClusters "$cluster_group" "$cluster_location" "aks-cert-compliance-${cluster_name}")"
      IFS=$'\t' read -r aks_topic aks_group <<< "$found"
      az eventgrid system-topic event-subscription create --subscription "$subscription" -g "$aks_group" \
        --system-topic-name "$aks_topic" -n "$aks_subscription_name" \
        --endpoint-type webhook --endpoint "$endpoint" --event-delivery-schema eventgridschema \
        --included-event-types Microsoft.ContainerService.NewKubernetesVersionAvailable Microsoft.ContainerService.ClusterSupportEnding \
          Microsoft.ContainerService.ClusterSupportEnded Microsoft.ContainerService.NodePoolRollingStarted \
          Microsoft.ContainerService.NodePoolRollingSucceeded Microsoft.ContainerService.NodePoolRollingFailed \
        --only-show-errors -o none
      echo "postdeploy: $aks_topic -> clusterEvents ($aks_subscription_name)"
    done 3<<< "$clusters"
  fi
done
