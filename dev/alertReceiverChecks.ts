/**
 * What each alerting service requires of what it receives, from its documentation, as checks the
 * local receivers (alertReceivers.ts) run on every arrival. Each returns the problems found (none
 * when the payload would be accepted) and a one-line summary of what arrived, for the demo.
 *
 * PagerDuty Events API v2: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
 * Teams Workflows webhook + Adaptive Cards: https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference
 * Slack Block Kit: https://api.slack.com/reference/block-kit/blocks
 * CloudEvents 1.0 on Event Grid: https://learn.microsoft.com/azure/event-grid/cloud-event-schema
 */

export interface Arrival {
  problems: string[];
  summary: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

function textWithin(problems: string[], value: unknown, max: number, what: string): void {
  if (!isText(value)) problems.push(`${what} is required (a non-empty string)`);
  else if (value.length > max) problems.push(`${what} is ${value.length} characters, over ${max}`);
}

function absoluteUrl(problems: string[], value: unknown, what: string): void {
  try {
    new URL(String(value));
  } catch {
    problems.push(`${what} is not an absolute URL`);
  }
}

const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'];

export function checkPagerDutyEvent(body: unknown, routingKey: string): Arrival {
  const problems: string[] = [];
  if (!isObject(body)) return { problems: ['the body is not a JSON object'], summary: 'pagerduty: not an event' };
  if (body['routing_key'] !== routingKey) problems.push('routing_key is missing or not this integration\'s key');
  const action = body['event_action'];
  if (!['trigger', 'acknowledge', 'resolve'].includes(String(action))) problems.push('event_action must be trigger, acknowledge or resolve');
  textWithin(problems, body['dedup_key'], 255, 'dedup_key');
  const payload = body['payload'];
  if (action === 'trigger') {
    if (!isObject(payload)) problems.push('payload is required for a trigger');
    else {
      textWithin(problems, payload['summary'], 1024, 'payload.summary');
      textWithin(problems, payload['source'], 255 * 4, 'payload.source');
      if (!PAGERDUTY_SEVERITIES.includes(String(payload['severity']))) problems.push('payload.severity must be critical, error, warning or info');
      if (payload['timestamp'] !== undefined && Number.isNaN(Date.parse(String(payload['timestamp'])))) problems.push('payload.timestamp is not ISO 8601');
      if (payload['custom_details'] !== undefined && !isObject(payload['custom_details'])) problems.push('payload.custom_details must be an object');
    }
  }
  const links = body['links'];
  if (links !== undefined) {
    if (!Array.isArray(links)) problems.push('links must be an array');
    else links.forEach((link, i) => absoluteUrl(problems, isObject(link) ? link['href'] : undefined, `links[${i}].href`));
  }
  const summary = isObject(payload) ? String(payload['summary']) : String(body['dedup_key']);
  const severity = isObject(payload) ? ` ${String(payload['severity'])}` : '';
  return { problems, summary: `pagerduty ${String(action)}${severity}: ${summary}` };
}

function checkCardElements(problems: string[], elements: unknown, where: string): void {
  if (!Array.isArray(elements)) {
    problems.push(`${where} must be an array`);
    return;
  }
  elements.forEach((element, i) => {
    const at = `${where}[${i}]`;
    if (!isObject(element) || !isText(element['type'])) problems.push(`${at} has no type`);
    else if (element['type'] === 'TextBlock' && typeof element['text'] !== 'string') problems.push(`${at}: a TextBlock needs text`);
    else if (element['type'] === 'FactSet') {
      const facts = element['facts'];
      if (!Array.isArray(facts) || facts.some((fact) => !isObject(fact) || typeof fact['title'] !== 'string' || typeof fact['value'] !== 'string'))
        problems.push(`${at}: a FactSet needs facts of title and value`);
    } else if (element['type'] === 'Container') checkCardElements(problems, element['items'], `${at}.items`);
  });
}

export function checkTeamsMessage(body: unknown): Arrival {
  const problems: string[] = [];
  if (!isObject(body) || body['type'] !== 'message') problems.push('type must be "message"');
  const attachments = isObject(body) ? body['attachments'] : undefined;
  if (!Array.isArray(attachments) || attachments.length === 0) return { problems: [...problems, 'attachments must hold the card'], summary: 'teams: no card' };
  let title = '';
  attachments.forEach((attachment, i) => {
    const at = `attachments[${i}]`;
    if (!isObject(attachment) || attachment['contentType'] !== 'application/vnd.microsoft.card.adaptive') {
      problems.push(`${at}.contentType must be application/vnd.microsoft.card.adaptive`);
      return;
    }
    const card = attachment['content'];
    if (!isObject(card) || card['type'] !== 'AdaptiveCard') {
      problems.push(`${at}.content must be an AdaptiveCard`);
      return;
    }
    if (!/^1\.\d+$/.test(String(card['version']))) problems.push(`${at}.content.version must be 1.x`);
    if (card['$schema'] !== undefined && !isText(card['$schema'])) problems.push(`${at}.content.$schema must be a string`);
    checkCardElements(problems, card['body'], `${at}.content.body`);
    const actions = card['actions'];
    if (actions !== undefined) {
      if (!Array.isArray(actions)) problems.push(`${at}.content.actions must be an array`);
      else
        actions.forEach((action, j) => {
          if (!isObject(action) || !isText(action['type'])) problems.push(`${at}.content.actions[${j}] has no type`);
          else if (action['type'] === 'Action.OpenUrl') absoluteUrl(problems, action['url'], `${at}.content.actions[${j}].url`);
        });
    }
    const first = Array.isArray(card['body']) ? card['body'][0] : undefined;
    if (!title && isObject(first) && typeof first['text'] === 'string') title = first['text'];
  });
  return { problems, summary: `teams card: ${title}` };
}

const SLACK_BLOCK_TYPES = ['header', 'section', 'context', 'actions', 'divider', 'image', 'rich_text'];

function checkSlackBlock(problems: string[], block: unknown, at: string): void {
  if (!isObject(block) || !SLACK_BLOCK_TYPES.includes(String(block['type']))) {
    problems.push(`${at} is not a known block type`);
    return;
  }
  const text = isObject(block['text']) ? block['text'] : undefined;
  switch (block['type']) {
    case 'header':
      if (text?.['type'] !== 'plain_text') problems.push(`${at}: a header's text must be plain_text`);
      textWithin(problems, text?.['text'], 150, `${at}.text.text`);
      break;
    case 'section': {
      const fields = block['fields'];
      if (!text && !Array.isArray(fields)) problems.push(`${at}: a section needs text or fields`);
      if (text) textWithin(problems, text['text'], 3000, `${at}.text.text`);
      if (Array.isArray(fields)) {
        if (fields.length > 10) problems.push(`${at} has ${fields.length} fields, over 10`);
        fields.forEach((field, i) => textWithin(problems, isObject(field) ? field['text'] : undefined, 2000, `${at}.fields[${i}].text`));
      }
      break;
    }
    case 'context': {
      const elements = block['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10) problems.push(`${at}: a context needs 1 to 10 elements`);
      break;
    }
    case 'actions': {
      const elements = block['elements'];
      if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25) problems.push(`${at}: actions need 1 to 25 elements`);
      else
        elements.forEach((element, i) => {
          if (!isObject(element) || element['type'] !== 'button') return;
          textWithin(problems, isObject(element['text']) ? element['text']['text'] : undefined, 75, `${at}.elements[${i}].text.text`);
          if (element['url'] !== undefined) absoluteUrl(problems, element['url'], `${at}.elements[${i}].url`);
        });
      break;
    }
  }
}

export function checkSlackMessage(body: unknown): Arrival {
  const problems: string[] = [];
  if (!isObject(body)) return { problems: ['the body is not a JSON object'], summary: 'slack: not a message' };
  const blocks = body['blocks'];
  if (!isText(body['text']) && !Array.isArray(blocks)) problems.push('no_text: a message needs text or blocks');
  if (body['text'] !== undefined && typeof body['text'] !== 'string') problems.push('text must be a string');
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) problems.push('blocks must be an array');
    else {
      if (blocks.length > 50) problems.push(`${blocks.length} blocks, over 50`);
      blocks.forEach((block, i) => checkSlackBlock(problems, block, `blocks[${i}]`));
    }
  }
  return { problems, summary: `slack: ${String(body['text'] ?? '').split('\n')[0]}` };
}

export function checkCloudEventBatch(body: unknown, contentType: string | undefined): Arrival {
  const problems: string[] = [];
  if (!contentType?.toLowerCase().startsWith('application/cloudevents-batch+json')) problems.push('content-type must be application/cloudevents-batch+json');
  if (!Array.isArray(body) || body.length === 0) return { problems: [...problems, 'the body must be a non-empty array of CloudEvents'], summary: 'eventgrid: no events' };
  body.forEach((event, i) => {
    const at = `[${i}]`;
    if (!isObject(event)) {
      problems.push(`${at} is not an object`);
      return;
    }
    if (event['specversion'] !== '1.0') problems.push(`${at}.specversion must be "1.0"`);
    for (const attribute of ['id', 'source', 'type']) if (!isText(event[attribute])) problems.push(`${at}.${attribute} is required`);
    if (event['time'] !== undefined && Number.isNaN(Date.parse(String(event['time'])))) problems.push(`${at}.time is not RFC 3339`);
  });
  const first = body[0] as Json;
  return { problems, summary: `eventgrid ${String(first?.['type'])}: ${String(first?.['subject'] ?? first?.['source'])}${body.length > 1 ? ` (+${body.length - 1} more)` : ''}` };
}

export function summarizeWebhook(body: unknown): string {
  if (!isObject(body)) return 'webhook: not JSON';
  if (body['kind'] === 'digest') return `webhook digest: ${String(body['total'])} clusters`;
  const alert = isObject(body['alert']) ? body['alert'] : {};
  return `webhook ${String(alert['event'])}: ${String(alert['summary'])}`;
}
