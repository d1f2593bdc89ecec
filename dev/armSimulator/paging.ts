/**
 * ARM list paging: a page of `value` plus an absolute `nextLink` that carries the original query
 * (api-version included, as ARM does) and an opaque `$skiptoken`. Clients must follow nextLink as
 * given; small page sizes make sure they do.
 */
import { armError, type ArmReply } from './armReply.js';

const SKIP_TOKEN = '$skiptoken';

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function decodeToken(token: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { offset?: unknown }).offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

/** One page of `items` for `requestUrl`; a 400 reply when the skip token is not one of ours. */
export function pageOf<T>(items: readonly T[], requestUrl: URL, baseUrl: string, pageSize: number): ArmReply {
  const token = requestUrl.searchParams.get(SKIP_TOKEN);
  const offset = token === null ? 0 : decodeToken(token);
  if (offset === undefined) return armError(400, 'InvalidSkipToken', `The skip token '${token ?? ''}' is not valid.`);
  const end = offset + Math.max(1, pageSize);
  const body: { value: T[]; nextLink?: string } = { value: items.slice(offset, end) };
  if (end < items.length) {
    const next = new URL(requestUrl.pathname + requestUrl.search, baseUrl);
    next.searchParams.set(SKIP_TOKEN, encodeToken(end));
    body.nextLink = next.toString();
  }
  return { status: 200, body };
}
