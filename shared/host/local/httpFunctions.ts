import { HttpRequest, HttpResponse, type HttpFunctionOptions, type HttpHandler } from '@azure/functions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionRegistration } from '../functionRegistry.js';
import { invocationContext, type HostLog } from './invocationContext.js';
import { jsonError, type Endpoint } from './requestChecks.js';

type HttpRegistration = Extract<FunctionRegistration, { kind: 'http' }>;

interface Route {
  registration: HttpRegistration;
  pattern: RegExp;
  names: string[];
}

/**
 * Serves the registered HTTP functions under `/api/` as the Functions host does: route templates
 * (`clusters/{id}/history`, optional `{name?}`, catch-all `{*rest}`), the allowed methods, the
 * function's `authLevel` (checked by the host, before the function runs), and the function's
 * HttpResponseInit written back as is.
 */
export class HttpFunctions {
  private readonly routes: Route[];

  constructor(registrations: readonly FunctionRegistration[], private readonly log: HostLog) {
    this.routes = registrations.filter((r): r is HttpRegistration => r.kind === 'http').map((registration) => compileRoute(registration));
  }

  /** The function whose route matches the path, as an endpoint; undefined when none does. */
  endpoint(url: URL): Endpoint | undefined {
    if (!url.pathname.startsWith('/api/')) return undefined;
    const path = url.pathname.slice('/api/'.length);
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      return {
        // The runtime's default, as app.http applies it.
        access: route.registration.options.authLevel ?? 'anonymous',
        methods: (route.registration.options.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
        serve: async (request, response, _url, body) => {
          const params: Record<string, string> = {};
          for (const [i, name] of route.names.entries()) {
            try {
              params[name] = decodeURIComponent(match[i + 1] ?? '');
            } catch {
              return jsonError(response, 400, `${name}: is not a percent-encoded route parameter (a % not followed by two hex digits, or bytes that are not UTF-8)`);
            }
          }
          await this.invoke(route.registration, request, response, url, body, params);
        },
      };
    }
    return undefined;
  }

  private async invoke(registration: HttpRegistration, request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer, params: Record<string, string>) {
    const httpRequest = new HttpRequest({
      method: request.method ?? 'GET',
      // The query comes from the URL, every value of a repeated parameter kept, so the handlers can refuse it.
      url: url.toString(),
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      params,
      ...(body.length > 0 ? { body: { bytes: new Uint8Array(body) } } : {}),
    });
    const context = invocationContext(registration.name, this.log);
    let result: HttpResponse;
    try {
      const handler = registration.options.handler as HttpHandler;
      const init = await handler(httpRequest, context);
      result = init instanceof HttpResponse ? init : new HttpResponse(init ?? {});
    } catch (error) {
      context.error(`unhandled error: ${(error as Error).message}`);
      result = new HttpResponse({ status: 500 });
    }
    const headers: Record<string, string> = {};
    result.headers.forEach((value, key) => (headers[key] = value));
    response.writeHead(result.status, headers).end(Buffer.from(await result.arrayBuffer()));
  }
}

function compileRoute(registration: HttpRegistration): Route {
  const template = ((registration.options as HttpFunctionOptions).route ?? registration.name).replace(/^\/+|\/+$/g, '');
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\*)?([A-Za-z_][\w]*)(?::[^}?]+)?(\?)?\}$/.exec(segment);
      if (!parameter) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      names.push(parameter[2]!);
      if (parameter[1]) return '(?:/(.*))?';
      return parameter[3] ? '(?:/([^/]+))?' : '/([^/]+)';
    })
    .join('');
  return { registration, names, pattern: new RegExp(`^${source.replace(/^\//, '').replace(/^\(\?:\//, '(?:')}$`, 'i') };
}
