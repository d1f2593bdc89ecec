import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEV_STORAGE_ACCOUNT, DEV_STORAGE_KEY } from '../../dev/azurite.js';

/**
 * A small HTTP proxy in front of Azurite's table service, for fault tests: it forwards every request
 * as it is, except the batch transactions (`POST .../$batch`) that touch one table, which it can
 * answer with an error status or hold (never answer) until it is told to let them go or is closed.
 * A batch names its table only inside its multipart body (`PATCH .../ClusterState(PartitionKey=...)`),
 * so the proxy reads the body before it decides.
 */
export type BatchRule =
  | { mode: 'forward' }
  /** With `method`: the single requests of that method to the table's entities instead of its batches. */
  | { mode: 'fail'; table: string; status: number; method?: string }
  | { mode: 'hold'; table: string };

export interface StorageProxy {
  /** The table endpoint through the proxy (account included), as a connection string names it. */
  tableUrl: string;
  /** A connection string whose table endpoint is the proxy. */
  connectionString: string;
  /** What the proxy does with the batches of a table from now on. */
  setRule(rule: BatchRule): void;
  /** How many batches of the rule's table were failed or held so far. */
  readonly intercepted: number;
  /** Resolves when the proxy holds its first batch. */
  held(): Promise<void>;
  /** Forwards the held batches after all, and every request from now on. */
  release(): void;
  close(): Promise<void>;
}

export async function startStorageProxy(azuriteTableUrl: string): Promise<StorageProxy> {
  const target = new URL(azuriteTableUrl);
  let rule: BatchRule = { mode: 'forward' };
  let intercepted = 0;
  const heldResponses: ServerResponse[] = [];
  const heldRequests: Array<() => void> = [];
  let signalHeld: () => void = () => undefined;
  const firstHold = new Promise<void>((resolve) => (signalHeld = resolve));

  const forward = (incoming: IncomingMessage, body: Buffer, response: ServerResponse) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.once('error', () => response.destroy());
    upstream.end(body);
  };

  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = (incoming.url ?? '').split('?')[0]!;
      const isBatch = incoming.method === 'POST' && path.endsWith('/$batch');
      const single = rule.mode === 'fail' && rule.method !== undefined;
      const matches = rule.mode !== 'forward' && (single
        ? incoming.method === (rule as { method: string }).method && path.includes(`/${rule.table}(`)
        : isBatch && new RegExp(`/${rule.table}(\\(| |\\?)`).test(body.toString('utf8')));
      if (rule.mode !== 'forward' && matches) {
        intercepted++;
        if (rule.mode === 'fail') {
          const message = JSON.stringify({ 'odata.error': { code: 'ServerBusy', message: { lang: 'en-US', value: 'The server is busy (injected by the test proxy).' } } });
          response.writeHead(rule.status, { 'content-type': 'application/json;odata=minimalmetadata', 'x-ms-error-code': 'ServerBusy' });
          response.end(message);
          return;
        }
        heldResponses.push(response);
        heldRequests.push(() => forward(incoming, body, response));
        signalHeld();
        return;
      }
      forward(incoming, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const tableUrl = `http://127.0.0.1:${port}/${DEV_STORAGE_ACCOUNT}`;

  return {
    tableUrl,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_STORAGE_ACCOUNT};AccountKey=${DEV_STORAGE_KEY};TableEndpoint=${tableUrl};`,
    setRule: (next) => {
      rule = next;
    },
    get intercepted() {
      return intercepted;
    },
    held: () => firstHold,
    release: () => {
      rule = { mode: 'forward' };
      heldResponses.length = 0;
      for (const send of heldRequests.splice(0)) send();
    },
    close: async () => {
      for (const response of heldResponses) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
