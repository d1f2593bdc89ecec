import { describe, expect, it } from 'vitest';
import { answerOf, attemptSignal, hostOf, redact, unansweredOf } from '../../../../shared/alerts/channels/httpAnswer.js';

describe('answerOf', () => {
  it('2xx is delivered', () => {
    expect(answerOf('slack', 'hooks.slack.com', 200, null)).toEqual({ ok: true, status: 200 });
    expect(answerOf('pagerduty', 'events.pagerduty.com', 202, '5')).toEqual({ ok: true, status: 202 });
  });

  it('429, 408 and 5xx are retryable, after Retry-After when given (seconds or an HTTP date)', () => {
    expect(answerOf('slack', 'h', 429, '7')).toEqual({ ok: false, status: 429, retryable: true, retryAfterMs: 7000, error: 'slack: h answered 429' });
    expect(answerOf('teams', 'h', 503, null)).toEqual({ ok: false, status: 503, retryable: true, error: 'teams: h answered 503' });
    expect(answerOf('teams', 'h', 408, null)).toMatchObject({ retryable: true });
    const date = new Date(Date.now() + 30_000).toUTCString();
    const answer = answerOf('webhook', 'h', 503, date);
    expect(!answer.ok && answer.retryAfterMs).toBeGreaterThan(25_000);
    expect(answerOf('webhook', 'h', 503, 'whenever')).not.toHaveProperty('retryAfterMs');
  });

  it('any other 4xx is final, and a redirect is not followed', () => {
    expect(answerOf('slack', 'h', 400, null, 'invalid_blocks')).toEqual({ ok: false, status: 400, retryable: false, error: 'slack: h answered 400: invalid_blocks' });
    expect(answerOf('slack', 'h', 404, '9')).toEqual({ ok: false, status: 404, retryable: false, error: 'slack: h answered 404' });
    expect(answerOf('webhook', 'h', 302, null)).toEqual({ ok: false, status: 302, retryable: false, error: 'webhook: h answered 302 (a redirect, not followed)' });
  });
});

describe('unansweredOf', () => {
  it('a timeout, an abort and a network error are retryable, named by host and code only', () => {
    expect(unansweredOf('teams', 'h', new Error('x'), 500, true)).toEqual({ ok: false, retryable: true, error: 'teams: h did not answer within 500 ms' });
    expect(unansweredOf('teams', 'h', new DOMException('gone', 'AbortError'), 500, false)).toEqual({ ok: false, retryable: true, error: 'teams: the send to h was aborted' });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED https://h/secret/path' } });
    expect(unansweredOf('slack', 'h', refused, 500, false)).toEqual({ ok: false, retryable: true, error: 'slack: could not reach h (ECONNREFUSED)' });
    expect(unansweredOf('slack', 'h', Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 500, false)).toMatchObject({ error: 'slack: could not reach h (ENOTFOUND)' });
    expect(unansweredOf('slack', 'h', 'odd', 500, false)).toMatchObject({ error: 'slack: could not reach h' });
  });
});

describe('redact', () => {
  it('replaces every secret, and the path and query of a secret URL, wherever they appear', () => {
    const url = 'https://hooks.slack.com/services/T1/B2/s3cr3t?x=1';
    expect(redact(`posted to ${url} and /services/T1/B2/s3cr3t?x=1 with key K3Y, K3Y`, [url, 'K3Y'])).toBe('posted to *** and *** with key ***, ***');
    expect(redact('nothing here', ['', 'https://h/'])).toBe('nothing here');
  });
});

describe('hostOf', () => {
  it('is the host and port only', () => {
    expect(hostOf('https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=S')).toBe('prod-12.westeurope.logic.azure.com');
    expect(hostOf('http://127.0.0.1:8123/slack/services/x')).toBe('127.0.0.1:8123');
    expect(hostOf('not a url')).toBe('an unreadable URL');
  });
});

describe('attemptSignal', () => {
  it('tells a timeout from the caller aborting', async () => {
    const timed = attemptSignal(1);
    await new Promise((resolve) => timed.signal.addEventListener('abort', resolve));
    expect(timed.timedOut()).toBe(true);
    const controller = new AbortController();
    const aborted = attemptSignal(10_000, controller.signal);
    controller.abort();
    expect([aborted.signal.aborted, aborted.timedOut()]).toEqual([true, false]);
  });
});
