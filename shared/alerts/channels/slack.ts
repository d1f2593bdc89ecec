/**
 * Slack incoming webhook (https://api.slack.com/messaging/webhooks): Block Kit blocks within their
 * documented limits (https://api.slack.com/reference/block-kit/blocks), and a plain `text` that
 * notifications and clients without blocks show. The webhook URL's path is the secret.
 */
import type { ChannelMessage, ClusterAlertMessage } from '../alertMessage.js';
import type { AlertChannel } from './channel.js';
import { secretUrlWebhookChannel } from './httpAnswer.js';
import {
  DASHBOARD_LINK_TEXT,
  alertFacts,
  digestHeadline,
  digestLine,
  digestShownText,
  eventExplanation,
  headline,
  problemText,
  summaryLine,
  truncate,
} from './wording.js';

/** Block Kit's limits. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  /** Slack shows at most this much of the fallback `text` comfortably (it cuts at 40,000). */
  fallbackText: 4000,
} as const;

type PlainText = { type: 'plain_text'; text: string; emoji?: boolean };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'actions'; elements: { type: 'button'; text: PlainText; url: string; action_id: string }[] }
  | { type: 'divider' };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn treats these three as control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Code spans cannot hold backticks; a fix command never needs one, so they become quotes. */
function code(value: string): string {
  return `\`${escapeMrkdwn(value).replace(/`/g, "'")}\``;
}

function header(value: string): SlackBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(value, SLACK_LIMITS.headerText), emoji: false } };
}

function section(mrkdwn: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) } };
}

function dashboardButton(url: string | undefined): SlackBlock[] {
  if (!url) return [];
  return [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: DASHBOARD_LINK_TEXT }, url, action_id: 'open-dashboard' }] }];
}

function context(value: string): SlackBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(value, SLACK_LIMITS.fieldText) }] };
}

function singleBlocks(alert: ClusterAlertMessage): SlackBlock[] {
  const problem = problemText(alert);
  const facts = alertFacts(alert).filter((fact) => fact.label !== 'Fix' && fact.label !== 'Notification');
  return [
    header(headline(alert)),
    section(`${problem ? `*${escapeMrkdwn(problem)}*\n` : ''}${escapeMrkdwn(eventExplanation(alert.event))}`),
    {
      type: 'section',
      fields: facts.slice(0, SLACK_LIMITS.fields).map((fact) => ({ type: 'mrkdwn', text: truncate(`*${fact.label}*\n${escapeMrkdwn(fact.value)}`, SLACK_LIMITS.fieldText) })),
    },
    ...(alert.fixCommand ? [section(`*Fix*\n${code(alert.fixCommand)}`)] : []),
    context(`aks-cert-compliance · notification ${escapeMrkdwn(alert.notificationId)}`),
    ...dashboardButton(alert.dashboardUrl),
  ];
}

function digestBlocks(message: Extract<ChannelMessage, { kind: 'digest' }>): SlackBlock[] {
  // A header, one section per cluster, the context and the button: room for 47 clusters; a digest has ten.
  const room = SLACK_LIMITS.blocks - 3;
  return [
    header(digestHeadline(message.total)),
    ...message.worst.slice(0, room).map((alert) => section(`${escapeMrkdwn(digestLine(alert))}${alert.fixCommand ? `\n${code(alert.fixCommand)}` : ''}`)),
    context(`${escapeMrkdwn(digestShownText(message.total, Math.min(message.worst.length, room)))} · aks-cert-compliance`),
    ...dashboardButton(message.dashboardUrl),
  ];
}

function fallbackText(message: ChannelMessage): string {
  if (message.kind === 'single') return truncate(summaryLine(message.alert), SLACK_LIMITS.fallbackText);
  const lines = [`${digestHeadline(message.total)}. ${digestShownText(message.total, message.worst.length)}`, ...message.worst.map(digestLine)];
  return truncate(lines.join('\n'), SLACK_LIMITS.fallbackText);
}

/** The body to POST to the incoming webhook. */
export function renderSlackMessage(message: ChannelMessage): SlackMessage {
  const blocks = message.kind === 'single' ? singleBlocks(message.alert) : digestBlocks(message);
  return { text: fallbackText(message), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

export interface SlackSettings {
  /** ALERT_SLACK_WEBHOOK_URL: a secret (its path is the token). */
  webhookUrl: string;
  timeoutMs?: number;
}

export function slackChannel(settings: SlackSettings): AlertChannel {
  return secretUrlWebhookChannel('slack', settings, renderSlackMessage);
}
