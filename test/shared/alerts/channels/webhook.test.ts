import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderWebhookBody, signWebhook, verifyWebhookSignature, webhookChannel } from '../../../../shared/alerts/channels/webhook.js';
import { digest, single } from '../../../support/channelMessages.js';

const SECRET = 'shared-secret-of-the-receiver';
const SENT_AT = new Date('2025-03-01T03:04:05.000Z');
const SECONDS = 1740798245;

describe('signWebhook', () => {
  it('signs `${timestamp}.${body}` with HMAC-SHA256, hex, with the timestamp in unix seconds', () => {
    const body = renderWebhookBody(single());
    const expected = createHmac('sha256', SECRET).update(`${SECONDS}.${body}`).digest('hex');
    expect(signWebhook(body, SECRET, SENT_AT)).toEqual({ 'X-AksCert-Timestamp': String(SECONDS), 'X-AksCert-Signature': `sha256=${expected}` });
  });
});

describe('verifyWebhookSignature', () => {
  const body = renderWebhookBody(single());
  const headers = signWebhook(body, SECRET, SENT_AT);
  const at = (secondsLater: number) => new Date(SENT_AT.getTime() + secondsLater * 1000);

  it('accepts what was signed, as a string or the raw bytes, with any case of header names', () => {
    expect(verifyWebhookSignature(headers, body, SECRET, at(1))).toEqual({ ok: true, timestamp: SENT_AT });
    expect(verifyWebhookSignature(headers, Buffer.from(body), SECRET, at(1)).ok).toBe(true);
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    expect(verifyWebhookSignature(lower, body, SECRET, at(1)).ok).toBe(true);
    expect(verifyWebhookSignature(new Headers(headers), body, SECRET, at(1)).ok).toBe(true);
    expect(verifyWebhookSignature({ ...lower, 'x-akscert-signature': [lower['x-akscert-signature']!] }, body, SECRET, at(1)).ok).toBe(true);
  });

  it('refuses a replay older than the tolerance (300 s by default), and a timestamp too far ahead', () => {
    expect(verifyWebhookSignature(headers, body, SECRET, at(300)).ok).toBe(true);
    expect(verifyWebhookSignature(headers, body, SECRET, at(301))).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(headers, body, SECRET, at(-301))).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature(headers, body, SECRET, at(3600), 7200).ok).toBe(true);
    expect(verifyWebhookSignature(headers, body, SECRET, at(61), 60)).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a tampered body, a moved timestamp, another secret', () => {
    expect(verifyWebhookSignature(headers, body.replace('aks-prod-1', 'aks-prod-2'), SECRET, at(1))).toEqual({ ok: false, reason: 'bad_signature' });
    const moved = { ...headers, 'X-AksCert-Timestamp': String(SECONDS + 1) };
    expect(verifyWebhookSignature(moved, body, SECRET, at(1))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhookSignature(headers, body, 'another-secret', at(1))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyWebhookSignature({}, body, SECRET, at(1))).toEqual({ ok: false, reason: 'missing_headers' });
    expect(verifyWebhookSignature({ 'X-AksCert-Timestamp': String(SECONDS) }, body, SECRET, at(1))).toEqual({ ok: false, reason: 'missing_headers' });
    const signature = headers['X-AksCert-Signature']!;
    for (const bad of [signature.replace('sha256=', 'sha1='), signature.slice(0, -2), `${signature}00`, signature.replace(/[0-9a-f]$/, 'g')]) {
      expect(verifyWebhookSignature({ ...headers, 'X-AksCert-Signature': bad }, body, SECRET, at(1))).toEqual({ ok: false, reason: 'malformed' });
    }
    for (const bad of ['1.5e9', '-1', 'soon', '1234567890123']) {
      expect(verifyWebhookSignature({ ...headers, 'X-AksCert-Timestamp': bad }, body, SECRET, at(1))).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('renderWebhookBody', () => {
  it('is the message as versioned JSON, a single or a digest', () => {
    const message = single({ notificationId: 'n-5' });
    expect(JSON.parse(renderWebhookBody(message))).toMatchObject({ schemaVersion: 1, kind: 'single', alert: { notificationId: 'n-5', occurredAt: '2025-03-01T03:04:05.000Z' } });
    const parsed = JSON.parse(renderWebhookBody(digest(12)));
    expect(parsed).toMatchObject({ schemaVersion: 1, kind: 'digest', digestId: 'digest-12', total: 12, dashboardUrl: 'https://akscert.example.com/' });
    expect(parsed.worst).toHaveLength(10);
  });
});

describe('webhookChannel', () => {
  it('takes singles and digests', () => {
    const channel = webhookChannel({ url: 'https://example.invalid/hook', secret: SECRET });
    expect(channel.name).toBe('webhook');
    expect([channel.accepts(single()), channel.accepts(digest(3))]).toEqual([true, true]);
  });
});
