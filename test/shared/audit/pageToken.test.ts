import { describe, expect, it } from 'vitest';
import { PageTokenError } from '../../../shared/domain/errors.js';
import { clientPageToken, sdkPageToken } from '../../../shared/audit/pageToken.js';

describe('page tokens', () => {
  const sdk = Buffer.from(JSON.stringify({ nextPartitionKey: '1!8!c3Vi', nextRowKey: '1!12!a2V5' })).toString('base64');

  it('hand the Table continuation to clients as base64url and take it back', () => {
    const token = clientPageToken(sdk)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(JSON.parse(Buffer.from(sdkPageToken(token), 'base64').toString())).toEqual({ nextPartitionKey: '1!8!c3Vi', nextRowKey: '1!12!a2V5' });
    expect(clientPageToken(undefined)).toBeUndefined();
  });

  it.each([
    'not a token!',
    Buffer.from('{"nextPartitionKey":"p","extra":1}').toString('base64url'),
    Buffer.from('{"nextRowKey":"r"}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"nextPartitionKey":"p\\u0000"}').toString('base64url'),
    'A'.repeat(5000),
  ])('refuse a token that is not ours: %s', (token) => {
    expect(() => sdkPageToken(token)).toThrow(PageTokenError);
  });
});
