import { describe, expect, it } from 'vitest';
import { renderTeamsMessage, teamsChannel, type AdaptiveCard } from '../../../../shared/alerts/channels/teams.js';
import { digest, single } from '../../../support/channelMessages.js';

const cardOf = (message: ReturnType<typeof renderTeamsMessage>): AdaptiveCard => message.attachments[0].content;
const texts = (card: AdaptiveCard) => card.body.flatMap((element) => (element.type === 'TextBlock' ? [element.text] : []));

describe('renderTeamsMessage', () => {
  it('is a message with one Adaptive Card 1.4 attachment, as the Workflows webhook takes it', () => {
    const message = renderTeamsMessage(single());
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardOf(message)).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
  });

  it('a single alert: the title in the severity colour, the problem, the facts, the fix in monospace, the dashboard button', () => {
    const message = single({ notificationId: 'n-9' });
    const card = cardOf(renderTeamsMessage(message));
    expect(card.body[0]).toEqual({ type: 'TextBlock', text: 'Violation opened: aks-prod-1', wrap: true, size: 'Large', weight: 'Bolder', color: 'Attention' });
    expect(texts(card)).toContain('The cluster CA certificate expires in 3 days (3 days left)');
    const facts = card.body.find((element) => element.type === 'FactSet');
    expect(facts).toMatchObject({ facts: expect.arrayContaining([{ title: 'Subscription', value: message.alert.cluster.subscriptionId }, { title: 'Notification', value: 'n-9' }]) });
    expect(card.body).toContainEqual({ type: 'TextBlock', text: 'az aks rotate-certs -g rg-prod -n aks-prod-1', wrap: true, fontType: 'Monospace' });
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: message.alert.dashboardUrl }]);
  });

  it('colours a warning, a resolve and a test each their own way', () => {
    const colour = (overrides: Parameters<typeof single>[0]) => (cardOf(renderTeamsMessage(single(overrides))).body[0] as { color?: string }).color;
    expect([colour({ severity: 'warning' }), colour({ event: 'resolved' }), colour({ event: 'test' })]).toEqual(['Warning', 'Good', 'Accent']);
  });

  it('a resolve without finding or fix has neither, and no dashboard means no button', () => {
    const card = cardOf(renderTeamsMessage(single({ event: 'resolved', worstFinding: undefined, daysLeft: undefined, fixCommand: undefined, dashboardUrl: undefined })));
    expect(texts(card)).toEqual(['Resolved: aks-prod-1', 'The cluster is compliant again, or it was deleted. Nothing to do.']);
    expect(card.actions).toEqual([]);
  });

  it('a digest is one card with the count, the worst ten and their fixes', () => {
    const card = cardOf(renderTeamsMessage(digest(42)));
    const lines = texts(card);
    expect(lines[0]).toBe('42 clusters changed in one scan');
    expect(lines[1]).toBe('The worst 10 are below; 32 more on the dashboard.');
    expect(lines.filter((line) => / in rg-prod/.test(line))).toHaveLength(10);
    expect(lines.filter((line) => line.startsWith('az aks rotate-certs'))).toHaveLength(10);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: 'https://akscert.example.com/' }]);
  });

  it('keeps each text within 1000 characters', () => {
    const card = cardOf(renderTeamsMessage(single({ worstFinding: { code: 'CUSTOM_CA_INVALID', message: 'y'.repeat(5000) } })));
    expect(Math.max(...texts(card).map((text) => text.length))).toBeLessThanOrEqual(1000);
  });
});

describe('teamsChannel', () => {
  it('takes singles and digests', () => {
    const channel = teamsChannel({ webhookUrl: 'https://example.invalid/workflows/x' });
    expect(channel.name).toBe('teams');
    expect([channel.accepts(single()), channel.accepts(digest(3))]).toEqual([true, true]);
  });
});
