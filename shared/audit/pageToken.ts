import { z } from 'zod';
import { PageTokenError } from '../domain/errors.js';

/**
 * Continuation tokens handed to API clients: base64url of the Table service's own continuation
 * (`nextPartitionKey`, `nextRowKey`). Opaque to clients, and checked on the way back in: a token
 * that is not one of ours is refused instead of being passed to the service.
 */
const MAX_TOKEN_CHARS = 4096;
const tableKey = z.string().min(1).max(1024).regex(/^[\x20-\x7e]*$/, 'not a table key');
const continuationSchema = z.strictObject({ nextPartitionKey: tableKey, nextRowKey: tableKey.optional() });

/** The SDK's continuation token (base64 of JSON) as a client token; undefined at the end of the results. */
export function clientPageToken(sdkToken: string | undefined): string | undefined {
  if (!sdkToken) return undefined;
  const continuation = continuationSchema.parse(JSON.parse(Buffer.from(sdkToken, 'base64').toString('latin1')));
  return Buffer.from(JSON.stringify(continuation), 'utf8').toString('base64url');
}

/** A client token back to the SDK's form; throws PageTokenError when it is not a token this API issued. */
export function sdkPageToken(clientToken: string): string {
  if (clientToken.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(clientToken)) {
    throw new PageTokenError('is not a continuation token from this API');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(clientToken, 'base64url').toString('utf8'));
  } catch {
    throw new PageTokenError('is not a continuation token from this API');
  }
  const continuation = continuationSchema.safeParse(parsed);
  if (!continuation.success) throw new PageTokenError('is not a continuation token from this API');
  return Buffer.from(JSON.stringify(continuation.data), 'latin1').toString('base64');
}
