import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGERDUTY_URL,
  pagerDutyChannel,
  pagerDutyDedupKey,
  renderPagerDutyEvent,
  type PagerDutyTrigger,
} from '../../../../shared/alerts/channels/pagerDuty.js';
import { clusterAlert, clusterNamed, digest, single, SUBSCRIPTION } from '../../../support/channelMessages.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';

describe('renderPagerDutyEvent', () => {
  it('a violation is a critical trigger with every documented field', () => {
    const alert = clusterAlert({ notificationId: 'n-7' });
    expect(renderPagerDutyEvent(alert, ROUTING_KEY)).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: alert.alertKey,
      payload: {
        summary: `Violation opened: aks-prod-1 in rg-prod (subscription ${SUBSCRIPTION}): The cluster CA certificate expires in 3 days (3 days left)`,
        source: alert.cluster.id,
        severity: 'critical',
        timestamp: '2025-03-01T03:04:05.000Z',
        component: 'aks-prod-1',
        group: 'rg-prod',
        class: 'CERT_EXPIRING_CRITICAL',
        custom_details: {
          event: 'opened',
          cluster: 'aks-prod-1',
          subscription: SUBSCRIPTION,
          resource_group: 'rg-prod',
          cluster_id: alert.cluster.id,
          worst_finding: 'The cluster CA certificate expires in 3 days',
          finding_code: 'CERT_EXPIRING_CRITICAL',
          certificate: 'clusterCa',
          days_left: 3,
          fix_command: 'az aks rotate-certs -g rg-prod -n aks-prod-1',
          dashboard: alert.dashboardUrl,
          notification_id: 'n-7',
          scan_id: 'scan-1',
        },
      },
      client: 'aks-cert-compliance',
      client_url: alert.dashboardUrl,
      links: [{ href: alert.dashboardUrl, text: 'Open the dashboard' }],
    });
  });

  it('a warning is a warning, a test is info, and an event without a finding is classed by the event', () => {
    const warning = renderPagerDutyEvent(clusterAlert({ severity: 'warning' }), ROUTING_KEY) as PagerDutyTrigger;
    const test = renderPagerDutyEvent(clusterAlert({ event: 'test', worstFinding: undefined }), ROUTING_KEY) as PagerDutyTrigger;
    expect(warning.payload.severity).toBe('warning');
    expect(test.payload.severity).toBe('info');
    expect(test.payload.class).toBe('test');
    expect(test.payload.custom_details).not.toHaveProperty('worst_finding');
  });

  it('without a dashboard there are no links, and empty details are left out', () => {
    const event = renderPagerDutyEvent(clusterAlert({ dashboardUrl: undefined, fixCommand: '', scanId: undefined }), ROUTING_KEY) as PagerDutyTrigger;
    expect(event).not.toHaveProperty('links');
    expect(event).not.toHaveProperty('client_url');
    expect(Object.keys(event.payload.custom_details)).not.toContain('fix_command');
    expect(Object.keys(event.payload.custom_details)).not.toContain('scan_id');
  });

  it('a resolve names only the incident to close', () => {
    const alert = clusterAlert({ event: 'resolved' });
    expect(renderPagerDutyEvent(alert, ROUTING_KEY)).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: alert.alertKey });
  });

  it('every event of one cluster shares the dedup_key, so they join one incident', () => {
    const cluster = clusterNamed('aks-conv');
    const keys = (['opened', 'escalated', 'reminder', 'rotation_started', 'kubeconfig_refresh', 'resolved'] as const).map(
      (event) => renderPagerDutyEvent(clusterAlert({ cluster, alertKey: cluster.id.toLowerCase(), event }), ROUTING_KEY).dedup_key,
    );
    expect(new Set(keys)).toEqual(new Set([cluster.id.toLowerCase()]));
  });

  it('cuts a summary over 1024 characters to 1024', () => {
    const long = clusterAlert({ worstFinding: { code: 'CUSTOM_CA_INVALID', message: 'x'.repeat(2000) } });
    const summary = (renderPagerDutyEvent(long, ROUTING_KEY) as PagerDutyTrigger).payload.summary;
    expect(summary).toHaveLength(1024);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('pagerDutyDedupKey', () => {
  it('keeps an alert key of up to 255 characters and replaces a longer one with a stable digest', () => {
    expect(pagerDutyDedupKey('k'.repeat(255))).toBe('k'.repeat(255));
    const long = pagerDutyDedupKey('k'.repeat(256));
    expect(long).toMatch(/^akscert-sha256-[0-9a-f]{64}$/);
    expect(pagerDutyDedupKey('k'.repeat(256))).toBe(long);
    expect(pagerDutyDedupKey('j'.repeat(256))).not.toBe(long);
  });
});

describe('pagerDutyChannel', () => {
  it('takes singles only: one incident per cluster, never a digest', async () => {
    const channel = pagerDutyChannel({ routingKey: ROUTING_KEY });
    expect(channel.name).toBe('pagerduty');
    expect(channel.accepts(single())).toBe(true);
    expect(channel.accepts(digest(20))).toBe(false);
    await expect(channel.send(digest(20))).resolves.toEqual({ ok: false, retryable: false, error: 'pagerduty: takes one incident per cluster, never a digest' });
  });

  it('posts to the public Events API endpoint by default', () => {
    expect(DEFAULT_PAGERDUTY_URL).toBe('https://events.pagerduty.com/v2/enqueue');
  });
});
