import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../../shared/alerts/alertMessage.js';
import {
  alertFacts,
  daysLeftText,
  digestHeadline,
  digestLine,
  digestShownText,
  eventExplanation,
  eventLabel,
  headline,
  problemText,
  summaryLine,
  truncate,
} from '../../../../shared/alerts/channels/wording.js';
import { clusterAlert, SUBSCRIPTION } from '../../../support/channelMessages.js';

describe('the words of an alert', () => {
  it.each<[AlertEvent, 'warning' | 'violation', string]>([
    ['opened', 'violation', 'Violation opened'],
    ['opened', 'warning', 'Warning opened'],
    ['escalated', 'violation', 'Escalated to violation'],
    ['reminder', 'warning', 'Warning still open'],
    ['resolved', 'violation', 'Resolved'],
    ['rotation_started', 'violation', 'Certificate rotation started'],
    ['rotation_failed_twice', 'violation', 'Certificate rotation failed twice'],
    ['kubeconfig_refresh', 'warning', 'Refresh kubeconfig'],
    ['test', 'warning', 'Test notification'],
  ])('%s (%s) is labelled "%s"', (event, severity, label) => {
    expect(eventLabel({ event, severity })).toBe(label);
  });

  it('explains every event in its own sentence', () => {
    const events: AlertEvent[] = ['opened', 'escalated', 'reminder', 'resolved', 'rotation_started', 'rotation_failed_twice', 'kubeconfig_refresh', 'test'];
    const sentences = events.map(eventExplanation);
    expect(new Set(sentences).size).toBe(events.length);
    expect(eventExplanation('rotation_failed_twice')).toContain('by hand');
    expect(eventExplanation('kubeconfig_refresh')).toContain('kubeconfig');
  });

  it('says how long is left, today, or how long ago it expired', () => {
    expect([daysLeftText(3), daysLeftText(1), daysLeftText(0), daysLeftText(-1), daysLeftText(-12)]).toEqual([
      '3 days left',
      '1 day left',
      'expires today',
      'expired 1 day ago',
      'expired 12 days ago',
    ]);
  });

  it('the summary names the cluster, its group and subscription, the finding and the days left', () => {
    expect(summaryLine(clusterAlert())).toBe(
      `Violation opened: aks-prod-1 in rg-prod (subscription ${SUBSCRIPTION}): The cluster CA certificate expires in 3 days (3 days left)`,
    );
    expect(headline(clusterAlert({ event: 'escalated' }))).toBe('Escalated to violation: aks-prod-1');
  });

  it('a resolve with neither finding nor days says only where', () => {
    const resolved = clusterAlert({ event: 'resolved', worstFinding: undefined, daysLeft: undefined, fixCommand: undefined });
    expect(problemText(resolved)).toBeUndefined();
    expect(summaryLine(resolved)).toBe(`Resolved: aks-prod-1 in rg-prod (subscription ${SUBSCRIPTION})`);
    expect(problemText(clusterAlert({ worstFinding: undefined, daysLeft: -2 }))).toBe('expired 2 days ago');
    expect(problemText(clusterAlert({ daysLeft: undefined }))).toBe('The cluster CA certificate expires in 3 days');
  });

  it('lists the facts an engineer needs, in reading order, leaving out what the alert does not say', () => {
    expect(alertFacts(clusterAlert({ notificationId: 'n-1' }))).toEqual([
      { label: 'Cluster', value: 'aks-prod-1' },
      { label: 'Resource group', value: 'rg-prod' },
      { label: 'Subscription', value: SUBSCRIPTION },
      { label: 'Severity', value: 'violation' },
      { label: 'Worst finding', value: 'The cluster CA certificate expires in 3 days (CERT_EXPIRING_CRITICAL)' },
      { label: 'Certificate', value: 'clusterCa' },
      { label: 'Days left', value: '3 days left' },
      { label: 'Fix', value: 'az aks rotate-certs -g rg-prod -n aks-prod-1' },
      { label: 'Notification', value: 'n-1' },
    ]);
    const bare = clusterAlert({ notificationId: 'n-2', worstFinding: undefined, daysLeft: undefined, fixCommand: undefined });
    expect(alertFacts(bare).map((fact) => fact.label)).toEqual(['Cluster', 'Resource group', 'Subscription', 'Severity', 'Notification']);
  });

  it('a digest counts the clusters and says how many more the dashboard holds', () => {
    expect(digestHeadline(42)).toBe('42 clusters changed in one scan');
    expect(digestHeadline(1)).toBe('1 cluster changed in one scan');
    expect(digestShownText(42, 10)).toBe('The worst 10 are below; 32 more on the dashboard.');
    expect(digestShownText(4, 4)).toBe('All 4 are below, the worst first.');
    expect(digestShownText(1, 1)).toBe('It is below.');
    expect(digestLine(clusterAlert())).toBe('Violation opened: aks-prod-1 in rg-prod: The cluster CA certificate expires in 3 days (3 days left)');
  });
});

describe('truncate', () => {
  it('keeps what fits, and cuts the rest to the limit ending in an ellipsis', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('x'.repeat(2000), 1024)).toHaveLength(1024);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const text = `ab${'\u{1F525}'}cd`; // a, b, high, low, c, d
    const cut = truncate(text, 4); // would keep a, b, high
    expect(cut).toBe('ab…');
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(truncate(text, 5)).toBe(`ab${'\u{1F525}'}…`);
  });
});
