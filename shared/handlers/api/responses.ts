import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { PageTokenError } from '../../domain/errors.js';

/** Audit answers describe the trail as it is now: never cached by a proxy or the browser. */
const COMMON = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Pages carry no script and load nothing: the policy says so, which also blunts any injected markup. */
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function jsonResponse(body: unknown, status = 200): HttpResponseInit {
  return { status, headers: { ...COMMON, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

export function badRequest(message: string): HttpResponseInit {
  return jsonResponse({ error: message }, 400);
}

export function htmlResponse(document: string, status = 200): HttpResponseInit {
  return { status, headers: { ...COMMON, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': HTML_POLICY }, body: document };
}

export function textResponse(body: string, contentType: string, headers: Record<string, string> = {}): HttpResponseInit {
  return { status: 200, headers: { ...COMMON, 'content-type': contentType, ...headers }, body };
}

type Handler<Request> = (request: Request, context: InvocationContext) => Promise<HttpResponseInit>;

/**
 * A continuation token that is not ours is the client's mistake (400); anything else that fails is
 * logged with its details and answered with a sentence that leaks nothing about the storage account.
 */
export function answeringFailures<Request>(handler: Handler<Request>): Handler<Request> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof PageTokenError) return badRequest(`continuationToken: ${error.message}`);
      context.error(`audit API: ${(error as Error).stack ?? String(error)}`);
      return jsonResponse({ error: 'the compliance store could not be read; see the function logs' }, 500);
    }
  };
}
