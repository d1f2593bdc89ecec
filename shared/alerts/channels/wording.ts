/**
 * The words every channel says, in one place: what happened, to which cluster, how bad, how long is
 * left, and what fixes it. Channels only lay these out in their own format. Pure.
 */
import type { AlertEvent, AlertSeverity, ClusterAlertMessage } from '../alertMessage.js';
import { plural } from '../../report/plural.js';

/** A digest shows this many clusters, the worst first (the delivery code picks them). */
export const DIGEST_WORST = 10;

const SEVERITY_WORD: Record<AlertSeverity, string> = { warning: 'Warning', violation: 'Violation' };

/** What the event is, in a few words: the start of every title. */
export function eventLabel(alert: Pick<ClusterAlertMessage, 'event' | 'severity'>): string {
  const severity = SEVERITY_WORD[alert.severity];
  const labels: Record<AlertEvent, string> = {
    opened: `${severity} opened`,
    escalated: `Escalated to ${alert.severity}`,
    reminder: `${severity} still open`,
    resolved: 'Resolved',
    rotation_started: 'Certificate rotation started',
    rotation_failed_twice: 'Certificate rotation failed twice',
    kubeconfig_refresh: 'Refresh kubeconfig',
    test: 'Test notification',
  };
  return labels[alert.event];
}

/** Why the engineer is reading this, and what is expected of them. */
export function eventExplanation(event: AlertEvent): string {
  const explanations: Record<AlertEvent, string> = {
    opened: 'The cluster needs attention.',
    escalated: 'The cluster got worse since the alert opened.',
    reminder: 'The alert is still open: the cluster still needs attention.',
    resolved: 'The cluster is compliant again, or it was deleted. Nothing to do.',
    rotation_started: 'A certificate rotation started on the cluster; its API server and nodes restart while it runs.',
    rotation_failed_twice: 'The certificate rotation failed twice and will not be tried again: run the fix by hand.',
    kubeconfig_refresh: 'The certificates were rotated: kubeconfig files fetched before now no longer work. Fetch them again.',
    test: 'A test message from aks-cert-compliance: this channel is configured correctly. Nothing to do.',
  };
  return explanations[event];
}

/** `3 days left`, `expires today`, `expired 2 days ago`. */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft > 0) return `${plural(daysLeft, 'day')} left`;
  if (daysLeft === 0) return 'expires today';
  return `expired ${plural(-daysLeft, 'day')} ago`;
}

/** `Violation opened: aks-prod-1`. */
export function headline(alert: ClusterAlertMessage): string {
  return `${eventLabel(alert)}: ${alert.cluster.name}`;
}

/** What is wrong and how long is left, or undefined when the alert says neither (a resolve). */
export function problemText(alert: ClusterAlertMessage): string | undefined {
  const finding = alert.worstFinding?.message;
  const days = alert.daysLeft !== undefined ? daysLeftText(alert.daysLeft) : undefined;
  if (finding && days) return `${finding} (${days})`;
  return finding || days;
}

/** The one line for a pager or a notification preview: title, where, what is wrong. */
export function summaryLine(alert: ClusterAlertMessage): string {
  const where = `${alert.cluster.name} in ${alert.cluster.resourceGroup} (subscription ${alert.cluster.subscriptionId})`;
  const problem = problemText(alert);
  return `${eventLabel(alert)}: ${where}${problem ? `: ${problem}` : ''}`;
}

export interface Fact {
  label: string;
  value: string;
}

/** Label and value of everything an engineer needs, in the order they read it. */
export function alertFacts(alert: ClusterAlertMessage): Fact[] {
  const facts: (Fact | undefined)[] = [
    { label: 'Cluster', value: alert.cluster.name },
    { label: 'Resource group', value: alert.cluster.resourceGroup },
    { label: 'Subscription', value: alert.cluster.subscriptionId },
    { label: 'Severity', value: alert.severity },
    alert.worstFinding ? { label: 'Worst finding', value: `${alert.worstFinding.message} (${alert.worstFinding.code})` } : undefined,
    alert.worstFinding?.certificateSource ? { label: 'Certificate', value: alert.worstFinding.certificateSource } : undefined,
    alert.daysLeft !== undefined ? { label: 'Days left', value: daysLeftText(alert.daysLeft) } : undefined,
    alert.fixCommand ? { label: 'Fix', value: alert.fixCommand } : undefined,
    { label: 'Notification', value: alert.notificationId },
  ];
  return facts.filter((fact): fact is Fact => fact !== undefined);
}

/** The link's label. */
export const DASHBOARD_LINK_TEXT = 'Open the dashboard';

/** `42 clusters changed in one scan`. */
export function digestHeadline(total: number): string {
  return `${plural(total, 'cluster')} changed in one scan`;
}

/** `the worst 10 below; 32 more on the dashboard`, or the count shown when there are no more. */
export function digestShownText(total: number, shown: number): string {
  if (shown >= total) return total === 1 ? 'It is below.' : `All ${total} are below, the worst first.`;
  return `The worst ${shown} are below; ${total - shown} more on the dashboard.`;
}

/** One digest line: `Violation opened: aks-prod-1 in rg-prod: The cluster CA expired (expired 2 days ago)`. */
export function digestLine(alert: ClusterAlertMessage): string {
  const problem = problemText(alert);
  return `${headline(alert)} in ${alert.cluster.resourceGroup}${problem ? `: ${problem}` : ''}`;
}

/**
 * `text` cut to at most `max` UTF-16 units (what JSON and these services count), ending in `…` when
 * cut, never between the two halves of a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose low half would be cut off
  return `${text.slice(0, end)}…`;
}
