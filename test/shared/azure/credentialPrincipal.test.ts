import { describe, expect, it } from 'vitest';
import { principalOf, principalOfToken } from '../../../shared/azure/credentialPrincipal.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';

const jwt = (claims: object) => `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('the principal a credential acts as', () => {
  it('is the user, the application or the object its token was issued to', () => {
    expect(principalOfToken(jwt({ upn: 'oncall@contoso.com', oid: 'o-1' }))).toBe('oncall@contoso.com (oid o-1)');
    expect(principalOfToken(jwt({ unique_name: 'live.com#me@example.com' }))).toBe('live.com#me@example.com');
    expect(principalOfToken(jwt({ appid: 'a-1', oid: 'o-2' }))).toBe('app a-1 (oid o-2)');
    expect(principalOfToken(jwt({ azp: 'a-2' }))).toBe('app a-2');
    expect(principalOfToken(jwt({ oid: 'o-3' }))).toBe('oid o-3');
  });

  it('is nobody for a token without claims, and then the configured name; never the token', async () => {
    expect(principalOfToken('not-a-jwt')).toBeUndefined();
    expect(principalOfToken('a.!!!.c')).toBeUndefined();
    expect(principalOfToken(jwt({ upn: 42 }))).toBeUndefined();
    expect(principalOfToken(jwt({ sub: 'x' }))).toBeUndefined();
    expect(await principalOf(new StaticTokenCredential('secret-static-token'), 'scope', 'fallback-name')).toBe('fallback-name');
    expect(await principalOf(new StaticTokenCredential(jwt({ appid: 'a-9' })), 'scope', 'fallback-name')).toBe('app a-9');
    expect(await principalOf({ getToken: async () => { throw new Error('no login'); } }, 'scope', 'fallback-name')).toBe('fallback-name');
    expect(await principalOf({ getToken: async () => null }, 'scope', 'fallback-name')).toBe('fallback-name');
  });
});
