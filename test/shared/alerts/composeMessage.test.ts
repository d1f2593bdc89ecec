import { beforeAll, describe, expect, it } from 'vitest';
import type { ClusterAlertMessage } from '../../../shared/alerts/alertMessage.js';
import { alertKeyOf, composeMessage, dashboardLinkOf, digestOf, DIGEST_WORST, notificationIdOf } from '../../../shared/alerts/composeMessage.js';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const id = '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1';
const cluster = { id, subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg-prod', name: 'aks-1' };

let expiring: CertificateFacts;
let verdict: ClusterVerdict;
beforeAll(async () => {
  expiring = await certificateFacts('client', now, 725, 730); // 5 days left
  verdict = {
    ...cluster, location: 'westeurope', status: 'violation', autoRotation: { eligible: true, reasons: [] }, certificates: [expiring], action: 'alert',
    findings: [
      { code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', message: 'the API server could not be reached', source: 'apiserver', reason: 'unreachable' },
      { code: 'CERT_EXPIRING_CRITICAL', severity: 'violation', message: 'Client certificate (CN=masterclient) expires in 5 days, on 2026-11-28', certificate: expiring.sha256 },
    ],
  };
});

describe('composeMessage: what an engineer needs at 3 a.m.', () => {
  it('says the worst finding in words, days left, the fixing command and the cluster page', () => {
    const message = composeMessage({ cluster, notice: { transition: 'opened', level: 'violation', name: 'e1.opened' }, verdict, occurredAt: now, scanId: 'scan-1', dashboardUrl: 'https://app.example/api/dashboard' });
    expect(message).toEqual({
      alertKey: alertKeyOf(id),
      notificationId: `${alertKeyOf(id)}.e1.opened`,
      event: 'opened',
      severity: 'violation',
      cluster,
      worstFinding: { code: 'CERT_EXPIRING_CRITICAL', message: 'Client certificate (CN=masterclient) expires in 5 days, on 2026-11-28', certificateSource: 'client' },
      daysLeft: 5,
      fixCommand: 'az aks rotate-certs -g rg-prod -n aks-1',
      dashboardUrl: 'https://app.example/api/dashboard/clusters/11111111-1111-1111-1111-111111111111~rg-prod~aks-1',
      occurredAt: now,
      scanId: 'scan-1',
    });
  });

  it('says no finding nor command in a resolve, nor in a message without a verdict (a deletion)', () => {
    const resolved = composeMessage({ cluster, notice: { transition: 'resolved', level: 'violation', name: 'e1.resolved' }, verdict, occurredAt: now });
    expect(resolved.worstFinding).toBeUndefined();
    expect(resolved.fixCommand).toBeUndefined();
    expect(resolved.dashboardUrl).toBeUndefined();
    const deleted = composeMessage({ cluster, notice: { transition: 'resolved', level: 'warning', name: 'e1.resolved' }, occurredAt: now });
    expect(Object.keys(deleted).sort()).toEqual(['alertKey', 'cluster', 'event', 'notificationId', 'occurredAt', 'severity']);
  });

  it('keys one alert per cluster, however ARM spells the id, within every key limit', () => {
    expect(alertKeyOf(id)).toBe(alertKeyOf(id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')));
    expect(alertKeyOf(id)).not.toBe(alertKeyOf(id.replace('aks-1', 'aks-2')));
    expect(alertKeyOf(id)).toMatch(/^akscert-[0-9a-f]{40}$/);
  });

  it('names notifications with table-key-safe, one-to-one ids, whatever a rotation event id holds', () => {
    const a = notificationIdOf('k', { name: 'e1.rotation_started./subscriptions/x#1?~' });
    expect(a).not.toMatch(/[/\\#?]/);
    expect(a).not.toBe(notificationIdOf('k', { name: 'e1.rotation_started.~2fsubscriptions~2fx~231~3f~7e' }));
    expect(notificationIdOf('k', { name: 'e2.reminder3' })).toBe('k.e2.reminder3');
  });

  it('links the dashboard page only when DASHBOARD_URL is set', () => {
    expect(dashboardLinkOf(undefined, id)).toBeUndefined();
    expect(dashboardLinkOf('http://127.0.0.1:7071/api/dashboard', id)).toBe('http://127.0.0.1:7071/api/dashboard/clusters/11111111-1111-1111-1111-111111111111~rg-prod~aks-1');
  });
});

describe('digestOf: many clusters changed at once, one message per channel', () => {
  const alert = (name: string, severity: 'warning' | 'violation', daysLeft?: number, minutes = 0): ClusterAlertMessage => ({
    alertKey: `k-${name}`, notificationId: `k-${name}.e1.opened`, event: 'opened', severity,
    cluster: { ...cluster, id: id.replace('aks-1', name), name }, ...(daysLeft !== undefined ? { daysLeft } : {}), occurredAt: new Date(now.getTime() + minutes * 60_000),
  });

  it('counts them all and names the worst ten: violations first, fewest days left, then by name', () => {
    const alerts = [
      ...Array.from({ length: 9 }, (_, i) => alert(`w${i}`, 'warning', 20 + i)),
      alert('v-late', 'violation', 30), alert('v-soon', 'violation', 2), alert('v-none', 'violation'), alert('v-b', 'violation', 2, 3),
    ];
    const digest = digestOf('digest-scan-1.x', alerts, 'https://app.example/api/dashboard');
    expect(digest).toMatchObject({ kind: 'digest', digestId: 'digest-scan-1.x', total: 13, dashboardUrl: 'https://app.example/api/dashboard' });
    if (digest.kind !== 'digest') throw new Error('not a digest');
    expect(digest.worst).toHaveLength(DIGEST_WORST);
    expect(digest.worst.map((a) => a.cluster.name)).toEqual(['v-b', 'v-soon', 'v-late', 'v-none', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    expect(digest.occurredAt).toEqual(new Date(now.getTime() + 3 * 60_000));
  });
});
