/**
 * Shared pieces of the ARM simulator tests: a token credential for the SDK clients, a tiny webhook
 * receiver (node:http, as Event Grid's target), polling helpers, and clusters with real certificates
 * and kubeconfigs built the way dev/demoFleet/ builds them.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import {
  DAY_MS,
  createCaCertificate,
  createLeafCertificate,
  generateKey,
  randomToken,
  type CertificateAuthority,
} from '../../../dev/certificates.js';
import { buildKubeconfig, kubeloginExec } from '../../../dev/kubeconfig.js';
import type { SimulatedCluster } from '../../../dev/armSimulator/fleet.js';

export type TokenCredential = ConstructorParameters<typeof ContainerServiceClient>[0];

export const credential: TokenCredential = {
  getToken: async () => ({ token: 'simulator-token', expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
};

export const TENANT = '72f988bf-0000-0000-0000-000000000000';

/** Polls `probe` until it returns something other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function errorOf(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; name?: string; message?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as { statusCode?: number; code?: string; name?: string; message?: string },
  );
}

export interface ReceivedPost {
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedPost[];
  /** Answer status for later posts (default 200), and a delay before answering. */
  respondWith(status: number, delayMs?: number): void;
  close(): Promise<void>;
}

/** An HTTP endpoint that records every POST it gets, standing in for the Event Grid subscriber. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedPost[] = [];
  let status = 200;
  let delayMs = 0;
  const server: Server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: text ? (JSON.parse(text) as unknown) : undefined, at: Date.now() });
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/runtime/webhooks/eventgrid?functionName=clusterEvents`,
    received,
    respondWith: (nextStatus, nextDelay = 0) => {
      status = nextStatus;
      delayMs = nextDelay;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function clusterId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

/** A cluster resource as ARM serves it, running, with two node pools. */
export function clusterResource(subscriptionId: string, resourceGroup: string, name: string, fqdn = `${name}-dns.hcp.westeurope.azmk8s.io`): SimulatedCluster['resource'] {
  const pool = (poolName: string) => ({ name: poolName, count: 3, provisioningState: 'Succeeded', powerState: { code: 'Running' }, osType: 'Linux' });
  return {
    id: clusterId(subscriptionId, resourceGroup, name),
    name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      enableRBAC: true,
      fqdn,
      agentPoolProfiles: [pool('system'), pool('apps')],
    },
  };
}

export interface CertifiedCluster {
  cluster: SimulatedCluster;
  ca: CertificateAuthority;
  /** Secret strings in its kubeconfigs (keys, tokens). */
  secrets: string[];
}

/**
 * A cluster whose certificates were issued `ageDays` ago: Cluster CA, one client certificate shared
 * by the user and admin kubeconfigs (as AKS does), its own for the monitoring user, tokens, an
 * API-server certificate for its fqdn, and a custom CA trust entry. `exec: true` makes the user
 * credential a kubelogin exec user (AAD clusters).
 */
export async function certifiedCluster(
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  options: { ageDays: number; exec?: boolean; customCa?: string },
): Promise<CertifiedCluster> {
  const now = Date.now();
  const issued = new Date(now - options.ageDays * DAY_MS);
  const expires = new Date(issued.getTime() + 730 * DAY_MS);
  const ca = await createCaCertificate({ key: await generateKey(), subject: 'CN=ca', notBefore: issued, notAfter: new Date(issued.getTime() + 10_950 * DAY_MS) });
  const leaf = async (subject: string, usage: 'client' | 'server', dnsNames?: string[]) => {
    const key = await generateKey();
    const certificate = await createLeafCertificate({ key, issuer: ca, subject, notBefore: issued, notAfter: expires, usage, ...(dnsNames ? { dnsNames, ipAddresses: ['10.0.0.1'] } : {}) });
    return { certificatePem: certificate.pem, keyPem: key.privateKeyPem };
  };
  const resource = clusterResource(subscriptionId, resourceGroup, name);
  const fqdn = (resource['properties'] as { fqdn: string }).fqdn;
  if (options.customCa !== undefined) (resource['properties'] as Record<string, unknown>)['securityProfile'] = { customCATrustCertificates: [options.customCa] };
  const [master, monitoring, apiServer] = await Promise.all([
    leaf('CN=masterclient, O=system:masters', 'client'),
    leaf('CN=clusterMonitoringUser', 'client'),
    leaf('CN=apiserver', 'server', [fqdn, 'kubernetes', 'kubernetes.default.svc']),
  ]);
  const secrets: string[] = [];
  const kubeconfig = (kind: string, user: Parameters<typeof buildKubeconfig>[0]['user']) => {
    const built = buildKubeconfig({ clusterName: name, server: `https://${fqdn}:443`, certificateAuthorityPem: ca.pem, user });
    secrets.push(...built.secrets);
    return { kubeconfig: built.text, name: kind };
  };
  const userName = (kind: string) => `${kind}_${resourceGroup}_${name}`;
  const withCertificate = (kind: string, cert: { certificatePem: string; keyPem: string }) =>
    kubeconfig(kind, { name: userName(kind), clientCertificatePem: cert.certificatePem, clientKeyPem: cert.keyPem, token: randomToken() });
  const cluster: SimulatedCluster = {
    subscriptionId,
    resource,
    credentials: {
      monitoring: withCertificate('clusterMonitoringUser', monitoring),
      user: options.exec ? kubeconfig('clusterUser', { name: userName('clusterUser'), exec: kubeloginExec(TENANT) }) : withCertificate('clusterUser', master),
      admin: withCertificate('clusterAdmin', master),
    },
    apiServer: { certificatePem: apiServer.certificatePem, privateKeyPem: apiServer.keyPem },
  };
  return { cluster, ca, secrets };
}
