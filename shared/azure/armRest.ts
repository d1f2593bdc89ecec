import type { ServiceClient } from '@azure/core-client';
import { createHttpHeaders, createPipelineRequest, RestError, type HttpMethods, type PipelineResponse } from '@azure/core-rest-pipeline';
import { createHttpPoller, type OperationResponse, type OperationState } from '@azure/core-lro';
import type { RestCall } from './armOperations.js';
import { withArmRetry, type RetryOptions } from './retry.js';

/**
 * Resource Manager calls through the core REST client (ArmClients.resourceManagerFor), for providers
 * without a JavaScript SDK: each call retried as the SDK calls are (withArmRetry), an answer of 400 or
 * more thrown as the RestError an SDK throws, so armErrors.ts describes both alike. Bodies are parsed
 * JSON, read by the caller's zod schema. Each call names itself (`RestCall`), as declared with its
 * actions in armOperations.ts.
 */
export interface ArmRest {
  client: ServiceClient;
  endpoint: string;
  retry: RetryOptions;
}

/** `path` (an ARM resource path, or an absolute URL such as a nextLink) with `api-version` when it has none. */
export function armUrl(rest: Pick<ArmRest, 'endpoint'>, path: string, apiVersion: string): string {
  const url = new URL(path, rest.endpoint.endsWith('/') ? rest.endpoint : `${rest.endpoint}/`);
  if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', apiVersion);
  return url.toString();
}

async function send(rest: ArmRest, method: HttpMethods, url: string): Promise<PipelineResponse & { parsedBody: unknown }> {
  const request = createPipelineRequest({ url, method, headers: createHttpHeaders({ accept: 'application/json' }) });
  if (method === 'POST') request.body = '';
  const response = await rest.client.sendRequest(request);
  if (response.status >= 400) {
    throw new RestError(`${method} answered ${response.status}`, { statusCode: response.status, request, response });
  }
  let parsedBody: unknown;
  try {
    parsedBody = response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
  } catch {
    throw new RestError(`${method} answered ${response.status} with a body that is not JSON`, { statusCode: response.status, request, response });
  }
  return { ...response, parsedBody };
}

/** One GET, retried; the parsed body. */
export async function armGet(rest: ArmRest, _call: RestCall, url: string): Promise<unknown> {
  return (await withArmRetry(() => send(rest, 'GET', url), rest.retry)).parsedBody;
}

/** The items of a paged list (`{ value, nextLink }`), page by page, each page retried on its own. */
export async function* armPages(rest: ArmRest, call: RestCall, firstUrl: string): AsyncIterable<unknown[]> {
  for (let url: string | undefined = firstUrl; url;) {
    const body = (await armGet(rest, call, url)) as { value?: unknown; nextLink?: unknown } | undefined;
    yield Array.isArray(body?.value) ? body.value : [];
    url = typeof body?.nextLink === 'string' && body.nextLink ? body.nextLink : undefined;
  }
}

/**
 * A long-running POST (202 and a Location to poll) through @azure/core-lro, as the SDKs run theirs:
 * the operation's final body. The POST and every poll are retried on their own.
 */
export async function armLongRunningPost(rest: ArmRest, _call: RestCall, url: string, pollIntervalMs: number): Promise<unknown> {
  const asOperation = (response: PipelineResponse & { parsedBody: unknown }): OperationResponse<unknown> => ({
    flatResponse: response.parsedBody,
    rawResponse: { statusCode: response.status, headers: response.headers.toJSON(), body: response.parsedBody, request: { method: response.request.method, url: response.request.url } },
  });
  const poller = createHttpPoller<unknown, OperationState<unknown>>({
    sendInitialRequest: async () => asOperation(await withArmRetry(() => send(rest, 'POST', url), rest.retry)),
    sendPollRequest: async (path: string) => asOperation(await withArmRetry(() => send(rest, 'GET', path), rest.retry)),
  }, { resourceLocationConfig: 'location', intervalInMs: pollIntervalMs });
  return poller.pollUntilDone();
}
