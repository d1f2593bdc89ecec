/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
 * received"): a message whose one attachment is an Adaptive Card 1.4
 * (https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card).
 * The webhook URL carries its signature in the query, so it is a secret.
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
  truncate,
} from './wording.js';

export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_VERSION = '1.4';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** Teams refuses messages over about 28 KB; no one text of ours needs more than this. */
const TEXT_MAX = 1000;

type CardColor = 'Attention' | 'Warning' | 'Good' | 'Accent';
type CardElement =
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Small' | 'Medium' | 'Large'; weight?: 'Bolder'; color?: CardColor; isSubtle?: boolean; fontType?: 'Monospace'; spacing?: 'Medium' }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: string;
  body: CardElement[];
  actions: { type: 'Action.OpenUrl'; title: string; url: string }[];
  msteams: { width: 'Full' };
}

export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard }];
}

function colorOf(alert: ClusterAlertMessage): CardColor {
  if (alert.event === 'resolved') return 'Good';
  if (alert.event === 'test') return 'Accent';
  return alert.severity === 'violation' ? 'Attention' : 'Warning';
}

function text(value: string, style: Omit<Extract<CardElement, { type: 'TextBlock' }>, 'type' | 'text' | 'wrap'> = {}): CardElement {
  return { type: 'TextBlock', text: truncate(value, TEXT_MAX), wrap: true, ...style };
}

function card(body: CardElement[], dashboardUrl: string | undefined): TeamsMessage {
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: ADAPTIVE_CARD_SCHEMA,
          type: 'AdaptiveCard',
          version: ADAPTIVE_CARD_VERSION,
          body,
          actions: dashboardUrl ? [{ type: 'Action.OpenUrl', title: DASHBOARD_LINK_TEXT, url: dashboardUrl }] : [],
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}

function singleBody(alert: ClusterAlertMessage): CardElement[] {
  const problem = problemText(alert);
  return [
    text(headline(alert), { size: 'Large', weight: 'Bolder', color: colorOf(alert) }),
    ...(problem ? [text(problem, { weight: 'Bolder' })] : []),
    text(eventExplanation(alert.event)),
    { type: 'FactSet', facts: alertFacts(alert).filter((fact) => fact.label !== 'Fix').map((fact) => ({ title: fact.label, value: truncate(fact.value, TEXT_MAX) })) },
    ...(alert.fixCommand ? [text('Fix:', { weight: 'Bolder', spacing: 'Medium' }), text(alert.fixCommand, { fontType: 'Monospace' })] : []),
  ];
}

function digestBody(message: Extract<ChannelMessage, { kind: 'digest' }>): CardElement[] {
  return [
    text(digestHeadline(message.total), { size: 'Large', weight: 'Bolder' }),
    text(digestShownText(message.total, message.worst.length), { isSubtle: true }),
    ...message.worst.flatMap((alert) => [
      text(digestLine(alert), { color: colorOf(alert), spacing: 'Medium' }),
      ...(alert.fixCommand ? [text(alert.fixCommand, { fontType: 'Monospace', isSubtle: true, size: 'Small' })] : []),
    ]),
  ];
}

/** The body to POST to the Workflows webhook. */
export function renderTeamsMessage(message: ChannelMessage): TeamsMessage {
  if (message.kind === 'single') return card(singleBody(message.alert), message.alert.dashboardUrl);
  return card(digestBody(message), message.dashboardUrl);
}

export interface TeamsSettings {
  /** ALERT_TEAMS_WEBHOOK_URL: a secret (its query holds the signature). */
  webhookUrl: string;
  timeoutMs?: number;
}

export function teamsChannel(settings: TeamsSettings): AlertChannel {
  return secretUrlWebhookChannel('teams', settings, renderTeamsMessage);
}
