/**
 * Asks the OS for a free TCP port. Needed for tools such as Azurite that take a port number on the
 * command line and cannot report back the port they got from `listen(0)`.
 *
 * The port is free when this returns, not reserved: another process may take it before the caller
 * binds it. Callers that start a server on it should treat EADDRINUSE as "try again".
 */
import { createServer } from 'node:net';

export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`could not read the port of a listening socket on ${host}`));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}

/** Whether nothing listens on the port yet (the demo starts Azurite there, or uses the one that does). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
