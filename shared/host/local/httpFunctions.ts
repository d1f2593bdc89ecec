import { HttpRequest, HttpResponse, type HttpFunctionOptions, type HttpHandler } from '@azure/functions';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FunctionRegistration } from '../functionRegistry.js';
import { invocationContext, type HostLog } from './invocationContext.js';

type HttpRegistration = Extract<FunctionRegistration, { kind: 'http' }>;

interface Route {
  registration: HttpRegistration;
  pattern: RegExp;
  names: string[];
}

/**
 * Serves the registered HTTP functions under `/api/` as the Functions host does: route templates
 * (`clusters/{id}/history`, optional `{name?}`, catch-all `{*rest}`), the allowed methods, and the
 * function's HttpResponseInit written back as is.
 */
export class HttpFunctions {
  private readonly routes: Route[];

  constructor(registrations: readonly FunctionRegistration[], private readonly log: HostLog) {
    this.routes = registrations.filter((r): r is HttpRegistration => r.kind === 'http').map((registration) => compileRoute(registration));
  }

  /** Handles the request when a function's route matches; false otherwise. */
  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<boolean> {
    if (!url.pathname.startsWith('/api/')) return false;
    const path = url.pathname.slice('/api/'.length);
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const methods = (route.registration.options.methods ?? ['GET', 'POST']).map((m) => m.toUpperCase());
      if (!methods.includes((request.method ?? 'GET').toUpperCase())) {
        response.writeHead(405, { allow: methods.join(', ') }).end();
        return true;
      }
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]));
      await this.invoke(route.registration, request, response, url, body, params);
      return true;
    }
    return false;
  }

  private async invoke(registration: HttpRegistration, request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer, params: Record<string, string>) {
    const httpRequest = new HttpRequest({
      method: request.method ?? 'GET',
      url: url.toString(),
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      query: Object.fromEntries(url.searchParams),
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
