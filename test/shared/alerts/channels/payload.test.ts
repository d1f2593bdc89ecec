import { describe, expect, it } from 'vitest';
import { alertPayload, messagePayload } from '../../../../shared/alerts/channels/payload.js';
import { clusterAlert, digest, SUBSCRIPTION } from '../../../support/channelMessages.js';

describe('alertPayload', () => {
  it('every field of the message, dates as ISO 8601, and the summary', () => {
    const alert = clusterAlert({ notificationId: 'n-1' });
    expect(alertPayload(alert)).toEqual({
      alertKey: alert.alertKey,
      notificationId: 'n-1',
      event: 'opened',
      severity: 'violation',
      cluster: { id: alert.cluster.id, subscriptionId: SUBSCRIPTION, resourceGroup: 'rg-prod', name: 'aks-prod-1' },
      summary: `Violation opened: aks-prod-1 in rg-prod (subscription ${SUBSCRIPTION}): The cluster CA certificate expires in 3 days (3 days left)`,
      worstFinding: { code: 'CERT_EXPIRING_CRITICAL', message: 'The cluster CA certificate expires in 3 days', certificateSource: 'clusterCa' },
      daysLeft: 3,
      fixCommand: 'az aks rotate-certs -g rg-prod -n aks-prod-1',
      dashboardUrl: alert.dashboardUrl,
      occurredAt: '2025-03-01T03:04:05.000Z',
      scanId: 'scan-1',
    });
  });

  it('leaves out what the message does not say, keeping a zero days left', () => {
    const payload = alertPayload(clusterAlert({ worstFinding: undefined, daysLeft: 0, fixCommand: undefined, dashboardUrl: undefined, scanId: undefined }));
    expect(Object.keys(payload)).toEqual(['alertKey', 'notificationId', 'event', 'severity', 'cluster', 'summary', 'daysLeft', 'occurredAt']);
    expect(payload.daysLeft).toBe(0);
  });
});

describe('messagePayload', () => {
  it('a digest keeps its id, count, worst and link', () => {
    const message = digest(15);
    const payload = messagePayload(message);
    expect(payload).toMatchObject({ schemaVersion: 1, kind: 'digest', digestId: 'digest-15', total: 15, occurredAt: '2025-03-01T03:04:05.000Z', dashboardUrl: 'https://akscert.example.com/' });
    expect(payload.kind === 'digest' && payload.worst.map((alert) => alert.cluster.name)).toEqual(message.worst.map((alert) => alert.cluster.name));
    expect(messagePayload({ ...message, dashboardUrl: undefined })).not.toHaveProperty('dashboardUrl');
  });
});
