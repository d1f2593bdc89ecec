import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';

/** The claims of an Entra ID access token that name who it was issued to. */
const claims = z.object({
  upn: z.string().optional(),
  unique_name: z.string().optional(),
  appid: z.string().optional(),
  azp: z.string().optional(),
  oid: z.string().optional(),
});

/**
 * Who acts with this credential, for the audit trail: the principal its access token was issued to
 * (a user's `upn`, an application's `appid`, the object id `oid`), read from the token's claims
 * (never checked: this names, it does not authorize); `fallback` when the token names nobody (the
 * static token of simulators) or none can be had. The token itself is never kept or shown.
 */
export async function principalOf(credential: TokenCredential, scope: string, fallback: string): Promise<string> {
  try {
    const token = await credential.getToken(scope);
    return token ? principalOfToken(token.token) ?? fallback : fallback;
  } catch {
    return fallback;
  }
}

export function principalOfToken(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let parsed;
  try {
    parsed = claims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const { upn, unique_name: uniqueName, appid, azp, oid } = parsed.data;
  const user = upn ?? uniqueName;
  if (user) return oid ? `${user} (oid ${oid})` : user;
  const app = appid ?? azp;
  if (app) return oid ? `app ${app} (oid ${oid})` : `app ${app}`;
  return oid ? `oid ${oid}` : undefined;
}
