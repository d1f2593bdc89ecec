/**
 * Stands in for every simulated cluster's Kubernetes API server at once: one TLS port that picks the
 * certificate by SNI, the way a scanner reads the certificate a real API server presents
 * (`tls.connect({ host: '127.0.0.1', port, servername: cluster fqdn })`).
 *
 * SNI equal to a cluster's `properties.fqdn` (case-insensitive) gets that cluster's
 * `apiServer.certificatePem`; anything else gets the dev server certificate. Every HTTP request is
 * answered 401, as an API server does for a caller without credentials.
 */
import { createServer, type Server } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { FleetIndex } from './fleetIndex.js';

export interface ApiServerEndpoint {
  port: number;
  close(): Promise<void>;
}

const UNAUTHORIZED = JSON.stringify({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
});

export async function startApiServerEndpoint(options: {
  index: FleetIndex;
  tls: { certPem: string; keyPem: string };
  host: string;
  port?: number;
}): Promise<ApiServerEndpoint> {
  const defaultContext = createSecureContext({ cert: options.tls.certPem, key: options.tls.keyPem });
  // Secure contexts are costly to build (key parsing); cache them per PEM pair.
  const contexts = new Map<string, SecureContext>();

  const contextFor = (servername: string): SecureContext => {
    const cluster = options.index.clusterByFqdn(servername);
    if (cluster?.apiServer === undefined) return defaultContext;
    const { certificatePem, privateKeyPem } = cluster.apiServer;
    const cacheKey = certificatePem + privateKeyPem;
    let context = contexts.get(cacheKey);
    if (context === undefined) {
      context = createSecureContext({ cert: certificatePem, key: privateKeyPem });
      contexts.set(cacheKey, context);
    }
    return context;
  };

  const server: Server = createServer(
    {
      cert: options.tls.certPem,
      key: options.tls.keyPem,
      SNICallback: (servername, callback) => {
        try {
          callback(null, contextFor(servername));
        } catch (error) {
          callback(error as Error, undefined);
        }
      },
    },
    (request, response) => {
      request.resume();
      response.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer realm="kubernetes"',
        'content-length': Buffer.byteLength(UNAUTHORIZED),
      });
      response.end(UNAUTHORIZED);
    },
  );
  // A scanner that only reads the handshake and hangs up must not crash the simulator.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
