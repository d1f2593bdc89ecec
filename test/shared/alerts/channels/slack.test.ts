import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, renderSlackMessage, slackChannel, SLACK_LIMITS, type SlackBlock } from '../../../../shared/alerts/channels/slack.js';
import { clusterAlert, digest, single, SUBSCRIPTION } from '../../../support/channelMessages.js';

const texts = (blocks: SlackBlock[]) =>
  blocks.flatMap((block) => ('text' in block && block.text ? [block.text.text] : 'elements' in block && block.type === 'context' ? block.elements.map((e) => e.text) : []));

describe('renderSlackMessage', () => {
  it('a single alert: header, problem and explanation, fields, fix, context, dashboard button; text fallback', () => {
    const message = single({ notificationId: 'n-3' });
    const { text, blocks } = renderSlackMessage(message);
    expect(text).toBe(`Violation opened: aks-prod-1 in rg-prod (subscription ${SUBSCRIPTION}): The cluster CA certificate expires in 3 days (3 days left)`);
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'context', 'actions']);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Violation opened: aks-prod-1', emoji: false } });
    expect(texts(blocks)[1]).toBe('*The cluster CA certificate expires in 3 days (3 days left)*\nThe cluster needs attention.');
    const fields = (blocks[2] as Extract<SlackBlock, { type: 'section' }>).fields!;
    expect(fields.map((field) => field.text)).toContain(`*Subscription*\n${SUBSCRIPTION}`);
    expect(fields.length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
    expect(texts(blocks)).toContain('*Fix*\n`az aks rotate-certs -g rg-prod -n aks-prod-1`');
    expect(texts(blocks)).toContain('aks-cert-compliance · notification n-3');
    expect(blocks[5]).toEqual({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the dashboard' }, url: message.alert.dashboardUrl, action_id: 'open-dashboard' }],
    });
  });

  it('escapes the three characters mrkdwn reserves', () => {
    expect(escapeMrkdwn('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    const { blocks } = renderSlackMessage(single({ worstFinding: { code: 'CUSTOM_CA_INVALID', message: 'CA <bad> & broken' }, fixCommand: 'fix `this` <file>' }));
    expect(texts(blocks)[1]).toContain('CA &lt;bad&gt; &amp; broken');
    expect(texts(blocks)).toContain("*Fix*\n`fix 'this' &lt;file&gt;`");
  });

  it('keeps the header within 150 characters, sections within 3000 and fields within 2000', () => {
    const long = single({ cluster: { ...clusterAlert().cluster, name: 'n'.repeat(400) }, worstFinding: { code: 'CUSTOM_CA_INVALID', message: 'z'.repeat(5000) } });
    const { blocks } = renderSlackMessage(long);
    const header = blocks[0] as Extract<SlackBlock, { type: 'header' }>;
    expect(header.text.text).toHaveLength(SLACK_LIMITS.headerText);
    expect((blocks[1] as Extract<SlackBlock, { type: 'section' }>).text!.text).toHaveLength(SLACK_LIMITS.sectionText);
    for (const field of (blocks[2] as Extract<SlackBlock, { type: 'section' }>).fields!) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(renderSlackMessage(long).text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });

  it('a resolve without fix or dashboard has no fix section and no button', () => {
    const { blocks } = renderSlackMessage(single({ event: 'resolved', worstFinding: undefined, daysLeft: undefined, fixCommand: undefined, dashboardUrl: undefined }));
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(texts(blocks)[1]).toBe('The cluster is compliant again, or it was deleted. Nothing to do.');
  });

  it('a digest lists the worst ten under the count, and says how many more there are', () => {
    const { text, blocks } = renderSlackMessage(digest(42));
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: '42 clusters changed in one scan' } });
    const sections = blocks.filter((block) => block.type === 'section');
    expect(sections).toHaveLength(10);
    expect(texts(sections)[0]).toBe('Violation opened: aks-01 in rg-prod: The cluster CA certificate expires in 3 days (expired 1 day ago)\n`az aks rotate-certs -g rg-prod -n aks-01`');
    expect(texts(blocks)).toContain('The worst 10 are below; 32 more on the dashboard. · aks-cert-compliance');
    expect(blocks[blocks.length - 1]!.type).toBe('actions');
    expect(text.split('\n')).toHaveLength(11);
    expect(text.split('\n')[0]).toBe('42 clusters changed in one scan. The worst 10 are below; 32 more on the dashboard.');
  });

  it('never more than 50 blocks, however many clusters a digest is given', () => {
    const huge = digest(300, 80);
    const { blocks } = renderSlackMessage(huge);
    expect(blocks).toHaveLength(SLACK_LIMITS.blocks);
    expect(blocks.filter((block) => block.type === 'section')).toHaveLength(47);
    expect(texts(blocks)).toContain('The worst 47 are below; 253 more on the dashboard. · aks-cert-compliance');
  });
});

describe('slackChannel', () => {
  it('takes singles and digests', () => {
    const channel = slackChannel({ webhookUrl: 'https://example.invalid/services/T/B/x' });
    expect(channel.name).toBe('slack');
    expect([channel.accepts(single()), channel.accepts(digest(3))]).toEqual([true, true]);
  });
});
