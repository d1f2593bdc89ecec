/** Alert notifications as the delivery code hands them to the channels, for the channel tests. */
import type { ChannelMessage, ClusterAlertMessage } from '../../shared/alerts/alertMessage.js';
import { parseClusterId, type ClusterId } from '../../shared/domain/clusterId.js';

export const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';

export function clusterNamed(name: string, resourceGroup = 'rg-prod'): ClusterId {
  return parseClusterId(`/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`)!;
}

let sequence = 0;

export function clusterAlert(overrides: Partial<ClusterAlertMessage> = {}): ClusterAlertMessage {
  const cluster = overrides.cluster ?? clusterNamed('aks-prod-1');
  sequence += 1;
  return {
    alertKey: cluster.id.toLowerCase(),
    notificationId: `n-${sequence}-${overrides.event ?? 'opened'}`,
    event: 'opened',
    severity: 'violation',
    cluster,
    worstFinding: { code: 'CERT_EXPIRING_CRITICAL', message: 'The cluster CA certificate expires in 3 days', certificateSource: 'clusterCa' },
    daysLeft: 3,
    fixCommand: `az aks rotate-certs -g ${cluster.resourceGroup} -n ${cluster.name}`,
    dashboardUrl: `https://akscert.example.com/clusters/${SUBSCRIPTION}~${cluster.resourceGroup}~${cluster.name}`,
    occurredAt: new Date('2025-03-01T03:04:05.000Z'),
    scanId: 'scan-1',
    ...overrides,
  };
}

export function single(overrides: Partial<ClusterAlertMessage> = {}): Extract<ChannelMessage, { kind: 'single' }> {
  return { kind: 'single', alert: clusterAlert(overrides) };
}

/** A digest of `total` clusters showing the worst `shown`. */
export function digest(total: number, shown = Math.min(total, 10)): Extract<ChannelMessage, { kind: 'digest' }> {
  const worst = Array.from({ length: shown }, (_, i) =>
    clusterAlert({ cluster: clusterNamed(`aks-${String(i + 1).padStart(2, '0')}`), severity: i < 3 ? 'violation' : 'warning', daysLeft: i - 1 }),
  );
  return { kind: 'digest', digestId: `digest-${total}`, total, worst, occurredAt: new Date('2025-03-01T03:04:05.000Z'), dashboardUrl: 'https://akscert.example.com/' };
}
