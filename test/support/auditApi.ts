import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import type { TableClient } from '@azure/data-tables';
import type { AuditTables } from '../../shared/audit/auditTables.js';
import type { ComplianceTables } from '../../shared/store/complianceStore.js';

export type HttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON (loosely typed: tests assert on its shape). */
  json(): any;
}

/** Calls a handler as the Functions host would: GET `url` (query in the URL), with route parameters. */
export async function get(handler: HttpHandler, url: string, params: Record<string, string> = {}): Promise<Answer> {
  const request = new HttpRequest({ method: 'GET', url: new URL(url, 'http://localhost').toString(), params });
  const response = await handler(request, new InvocationContext({ functionName: 'test', invocationId: 'test' }));
  const headers = Object.fromEntries(new Headers(response.headers as ConstructorParameters<typeof Headers>[0]).entries());
  const text = typeof response.body === 'string' ? response.body : response.jsonBody !== undefined ? JSON.stringify(response.jsonBody) : '';
  return { status: response.status ?? 200, headers, text, json: () => JSON.parse(text) };
}

/**
 * The store's tables reduced to list and get at run time too: a handler that tried to write (or
 * create, or delete) would find no such method and fail.
 */
export function readOnlyTables(tables: ComplianceTables): AuditTables {
  const only = (client: TableClient) => ({ listEntities: client.listEntities.bind(client), getEntity: client.getEntity.bind(client) });
  return { state: only(tables.state), history: only(tables.history), scans: only(tables.scans), checkpoints: only(tables.checkpoints), intents: only(tables.intents) };
}
