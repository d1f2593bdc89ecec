/**
 * A counting proxy in front of Azurite's table service: the benchmark's "table transactions" (the
 * `POST .../$batch` requests) and the other table requests, seen on the wire, whoever sends them.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TableCounter {
  /** `connectionString` with its table endpoint moved to the proxy. */
  connectionString: string;
  /** Counts since the previous call. */
  take(): { transactions: number; otherRequests: number };
  close(): Promise<void>;
}

export async function startTableCounter(connectionString: string, tableUrl: string): Promise<TableCounter> {
  const target = new URL(tableUrl);
  let transactions = 0;
  let otherRequests = 0;
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'POST' && /\/\$batch(\?|$)/.test(incoming.url ?? '')) transactions++;
    else otherRequests++;
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname.replace(/\/$/, '')}`;
  return {
    connectionString: connectionString.replace(`TableEndpoint=${tableUrl}`, `TableEndpoint=${proxyUrl}`),
    take: () => {
      const counts = { transactions, otherRequests };
      transactions = 0;
      otherRequests = 0;
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
