/**
 * The ARM simulator, exercised through the real SDK clients over real TLS (trusted through
 * NODE_EXTRA_CA_CERTS from test/globalSetup.ts, never through rejectUnauthorized: false).
 */
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import type { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLeafCertificate, generateKey, loadCertificateAuthority } from '../../../dev/certificates.js';
import type { SimulatedCluster, SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startArmSimulator, type ArmSimulator, type ArmSimulatorOptions } from '../../../dev/armSimulator/server.js';

type TokenCredential = ConstructorParameters<typeof ContainerServiceClient>[0];

const credential: TokenCredential = {
  getToken: async () => ({ token: 'simulator-token', expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
};

const TENANT = '72f988bf-0000-0000-0000-000000000000';
const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const SUB_C = '33333333-3333-3333-3333-333333333333';
const SUB_MISSING = '99999999-9999-9999-9999-999999999999';
const API_SERVER_FQDN = 'live-dns-1a2b3c4d.hcp.westeurope.azmk8s.io';

function cluster(sub: string, rg: string, name: string, extra: Partial<SimulatedCluster> = {}, idStyle = 'resourceGroups'): SimulatedCluster {
  return {
    subscriptionId: sub,
    resource: {
      id: `/subscriptions/${sub}/${idStyle}/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`,
      name,
      type: 'Microsoft.ContainerService/ManagedClusters',
      location: 'westeurope',
      properties: { provisioningState: 'Succeeded', powerState: { code: 'Running' }, enableRBAC: true, fqdn: `${name}-dns.hcp.westeurope.azmk8s.io` },
    },
    credentials: {
      monitoring: { kubeconfig: `apiVersion: v1\nkind: Config\n# monitoring ${name}\n` },
      user: { kubeconfig: `apiVersion: v1\nkind: Config\n# user ${name}\n` },
    },
    ...extra,
  };
}

function buildFleet(apiServer: { certificatePem: string; privateKeyPem: string }): SimulatedFleet {
  const many = Array.from({ length: 12 }, (_, i) => cluster(SUB_A, i % 2 === 0 ? 'rg-even' : 'rg-odd', `aks-${String(i).padStart(2, '0')}`));
  const live = cluster(SUB_A, 'rg-live', 'live', { apiServer }, 'resourcegroups');
  (live.resource['properties'] as Record<string, unknown>)['fqdn'] = API_SERVER_FQDN;
  return {
    subscriptions: [
      { subscriptionId: SUB_A, displayName: 'Team A', tenantId: TENANT },
      { subscriptionId: SUB_B, displayName: 'Team B', tenantId: TENANT, state: 'Enabled' },
      {
        subscriptionId: SUB_C,
        displayName: 'Locked down',
        tenantId: TENANT,
        listError: { status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action.' },
      },
    ],
    clusters: [
      ...many,
      live,
      cluster(SUB_B, 'rg-b', 'forbidden-creds', {
        credentials: {
          monitoring: { error: { status: 403, code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action listClusterMonitoringUserCredential.' } },
        },
      }),
      cluster(SUB_B, 'rg-b', 'rotate-me'),
      cluster(SUB_B, 'rg-b', 'rotate-raw'),
      cluster(SUB_B, 'rg-b', 'rotate-fails'),
    ],
    secrets: [],
  };
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Plain node:https, no CA option: works only because the worker trusts the dev CA from NODE_EXTRA_CA_CERTS. */
function raw(url: string, options: { method?: string; token?: string | null } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.token !== null) headers['authorization'] = `Bearer ${options.token ?? 'raw-token'}`;
    const req = httpsRequest(url, { method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function errorOf(promise: Promise<unknown>): Promise<{ statusCode?: number; code?: string; name?: string }> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as { statusCode?: number; code?: string; name?: string },
  );
}

const devTls = inject('devTls');
let apiServerCert: { certPem: string; keyPem: string };
let simulator: ArmSimulator;
const started: ArmSimulator[] = [];

async function start(overrides: Partial<ArmSimulatorOptions> = {}): Promise<ArmSimulator> {
  const sim = await startArmSimulator({
    fleet: buildFleet({ certificatePem: apiServerCert.certPem, privateKeyPem: apiServerCert.keyPem }),
    tls: devTls,
    pageSize: 5,
    ...overrides,
  });
  started.push(sim);
  return sim;
}

beforeAll(async () => {
  const ca = await loadCertificateAuthority(devTls.caPem, devTls.caKeyPem);
  const key = await generateKey('ec');
  const now = Date.now();
  const { pem } = await createLeafCertificate({
    key, issuer: ca, subject: 'CN=apiserver', usage: 'server', dnsNames: [API_SERVER_FQDN, 'kubernetes', 'kubernetes.default.svc'],
    notBefore: new Date(now - 3_600_000), notAfter: new Date(now + 365 * 86_400_000),
  });
  apiServerCert = { certPem: pem, keyPem: key.privateKeyPem };
  simulator = await start();
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

describe('trust', () => {
  it('runs in a worker that trusts the dev CA through NODE_EXTRA_CA_CERTS', async () => {
    expect(process.env['NODE_EXTRA_CA_CERTS']).toMatch(/\.dev[\\/]tls[\\/]/);
    const response = await raw(`${simulator.url}/subscriptions?api-version=2022-12-01`);
    expect(response.status).toBe(200);
  });
});

describe('subscriptions', () => {
  it('lists every subscription across nextLink pages', async () => {
    const client = new SubscriptionClient(credential, { endpoint: simulator.url });
    const before = simulator.requests.length;
    const subscriptions = [];
    for await (const sub of client.subscriptions.list()) subscriptions.push(sub);
    expect(subscriptions.map((s) => s.subscriptionId)).toEqual([SUB_A, SUB_B, SUB_C]);
    expect(subscriptions[0]).toMatchObject({ id: `/subscriptions/${SUB_A}`, displayName: 'Team A', state: 'Enabled', tenantId: TENANT });
    const calls = simulator.requests.slice(before).filter((r) => r.path === '/subscriptions');
    expect(calls).toHaveLength(2); // page size 2 for subscriptions
    expect(calls[1]?.search).toMatch(/skiptoken/i);
  });

  it('answers 404 SubscriptionNotFound for a subscription outside the fleet', async () => {
    const client = new ContainerServiceClient(credential, SUB_MISSING, { endpoint: simulator.url });
    const error = await errorOf(client.managedClusters.get('rg', 'x'));
    expect(error).toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
  });
});

describe('managed clusters', () => {
  it('pages through a subscription with absolute nextLinks', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const before = simulator.requests.length;
    const names: string[] = [];
    for await (const c of client.managedClusters.list()) names.push(c.name ?? '');
    expect(names).toHaveLength(13);
    expect(names[0]).toBe('aks-00');
    expect(names).toContain('live');
    const pages = simulator.requests.slice(before).filter((r) => /managedClusters$/i.test(r.path));
    expect(pages).toHaveLength(3); // 5 + 5 + 3
    expect(pages.every((p) => p.status === 200)).toBe(true);
  });

  it('lists one resource group', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const names: string[] = [];
    for await (const c of client.managedClusters.listByResourceGroup('RG-ODD')) names.push(c.name ?? '');
    expect(names).toEqual(['aks-01', 'aks-03', 'aks-05', 'aks-07', 'aks-09', 'aks-11']);
  });

  it('gets a cluster whose live id says "resourcegroups", returning the id as stored', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const live = await client.managedClusters.get('RG-Live', 'LIVE');
    expect(live.id).toBe(`/subscriptions/${SUB_A}/resourcegroups/rg-live/providers/Microsoft.ContainerService/managedClusters/live`);
    expect(live.enableRbac).toBe(true);
    expect(live.powerState?.code).toBe('Running');
  });

  it('answers 404 ResourceNotFound for an absent cluster', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const error = await errorOf(client.managedClusters.get('rg-even', 'nope'));
    expect(error).toMatchObject({ name: 'RestError', statusCode: 404, code: 'ResourceNotFound' });
  });

  it("surfaces a subscription's configured list error", async () => {
    const client = new ContainerServiceClient(credential, SUB_C, { endpoint: simulator.url });
    const error = await errorOf((async () => {
      for await (const c of client.managedClusters.list()) void c;
    })());
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });
});

describe('credentials', () => {
  it('returns base64 kubeconfigs that the SDK hands over as bytes', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const monitoring = await client.managedClusters.listClusterMonitoringUserCredentials('rg-even', 'aks-00');
    const entry = monitoring.kubeconfigs?.[0];
    expect(entry?.name).toBe('clusterMonitoringUser');
    expect(entry?.value).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(entry?.value ?? new Uint8Array()).toString('utf8')).toBe('apiVersion: v1\nkind: Config\n# monitoring aks-00\n');
    const user = await client.managedClusters.listClusterUserCredentials('rg-even', 'aks-00');
    expect(Buffer.from(user.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8')).toContain('# user aks-00');
  });

  it('answers 404 for a credential the cluster does not have', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    const error = await errorOf(client.managedClusters.listClusterAdminCredentials('rg-even', 'aks-00'));
    expect(error).toMatchObject({ statusCode: 404, code: 'NotFound' });
  });

  it('surfaces a configured 403 as a RestError with the ARM code', async () => {
    const client = new ContainerServiceClient(credential, SUB_B, { endpoint: simulator.url });
    const error = await errorOf(client.managedClusters.listClusterMonitoringUserCredentials('rg-b', 'forbidden-creds'));
    expect(error).toMatchObject({ name: 'RestError', statusCode: 403, code: 'AuthorizationFailed' });
  });
});

describe('ARM behaviour', () => {
  it('requires a bearer token and an api-version', async () => {
    const path = `${simulator.url}/subscriptions/${SUB_A}/providers/Microsoft.ContainerService/managedClusters`;
    const unauthenticated = await raw(`${path}?api-version=2026-04-01`, { token: null });
    expect(unauthenticated.status).toBe(401);
    expect(JSON.parse(unauthenticated.body)).toMatchObject({ error: { code: 'AuthenticationFailed' } });
    const noVersion = await raw(path);
    expect(noVersion.status).toBe(400);
    expect(JSON.parse(noVersion.body)).toMatchObject({ error: { code: 'MissingApiVersionParameter' } });
  });

  it('sends request ids and counts the read and write budgets down', async () => {
    const sim = await start({ throttle: { reads: { capacity: 100, refillPerSecond: 0.001 }, writes: { capacity: 50, refillPerSecond: 0.001 } } });
    const get = `${sim.url}/subscriptions/${SUB_A}/resourceGroups/rg-even/providers/Microsoft.ContainerService/managedClusters/aks-00?api-version=2026-04-01`;
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await raw(get));
    expect(reads.map((r) => r.headers['x-ms-ratelimit-remaining-subscription-reads'])).toEqual(['99', '98', '97']);
    expect(reads[0]?.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(reads[0]?.headers['x-ms-correlation-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const post = await raw(get.replace('?', '/listClusterUserCredential?'), { method: 'POST' });
    expect(post.status).toBe(200);
    expect(post.headers['x-ms-ratelimit-remaining-subscription-writes']).toBe('49');
    const tenant = await raw(`${sim.url}/subscriptions?api-version=2022-12-01`);
    expect(tenant.headers['x-ms-ratelimit-remaining-tenant-reads']).toBe('99');
  });

  it('throttles with 429 + Retry-After, and the SDK retries its way through', async () => {
    const sim = await start({ throttle: { reads: { capacity: 2, refillPerSecond: 2 }, writes: { capacity: 2, refillPerSecond: 2 } } });
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: sim.url });
    const started = Date.now();
    const results = await Promise.all(['aks-00', 'aks-02', 'aks-04'].map((name) => client.managedClusters.get('rg-even', name)));
    expect(results.map((r) => r.name)).toEqual(['aks-00', 'aks-02', 'aks-04']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900); // waited the Retry-After second
    const throttled = sim.requests.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(1);

    // The wire shape of a throttled answer.
    for (let i = 0; i < 3; i++) await raw(`${sim.url}/subscriptions/${SUB_A}/providers/Microsoft.ContainerService/managedClusters?api-version=x`);
    const rejected = await raw(`${sim.url}/subscriptions/${SUB_A}/providers/Microsoft.ContainerService/managedClusters?api-version=x`);
    expect(rejected.status).toBe(429);
    expect(Number(rejected.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(rejected.headers['retry-after']))).toBe(true);
    expect(rejected.headers['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    expect(JSON.parse(rejected.body)).toMatchObject({ error: { code: 'TooManyRequests' } });
  });

  it('injects faults for the next matching requests only', async () => {
    const client = new ContainerServiceClient(credential, SUB_A, { endpoint: simulator.url });
    simulator.injectFault({ method: 'GET', pathIncludes: '/managedClusters/aks-06', status: 429, times: 1, retryAfterSeconds: 1 });
    simulator.injectFault({ method: 'GET', pathIncludes: '/managedClusters/aks-08', status: 500, times: 1 });
    expect((await client.managedClusters.get('rg-even', 'aks-06')).name).toBe('aks-06');
    expect((await client.managedClusters.get('rg-even', 'aks-08')).name).toBe('aks-08');
    const statuses = simulator.requests.filter((r) => /aks-0[68]$/.test(r.path)).map((r) => `${r.path.slice(-6)} ${r.status}`);
    expect(statuses).toEqual(['aks-06 429', 'aks-06 200', 'aks-08 500', 'aks-08 200']);

    simulator.injectFault({ method: 'POST', pathIncludes: 'aks-10/listClusterMonitoringUserCredential', status: 403, code: 'AuthorizationFailed', times: 1 });
    const error = await errorOf(client.managedClusters.listClusterMonitoringUserCredentials('rg-even', 'aks-10'));
    expect(error).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
  });

  it('adds latency to every response', async () => {
    const sim = await start({ latencyMs: 150 });
    const t0 = Date.now();
    await raw(`${sim.url}/subscriptions?api-version=2022-12-01`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    sim.setLatency(0);
  });
});

describe('rotateClusterCertificates', () => {
  it('runs as a long-running operation through the SDK poller', async () => {
    const client = new ContainerServiceClient(credential, SUB_B, { endpoint: simulator.url });
    const poller = client.managedClusters.rotateClusterCertificates('rg-b', 'rotate-me', { updateIntervalInMs: 100 });
    await poller.submitted();
    const during = await client.managedClusters.get('rg-b', 'rotate-me');
    expect(during.provisioningState).toBe('RotatingClusterCertificates');
    await poller.pollUntilDone();
    expect(poller.isDone).toBe(true);
    const after = await client.managedClusters.get('rg-b', 'rotate-me');
    expect(after.provisioningState).toBe('Succeeded');
    const polled = simulator.requests.filter((r) => /\/locations\/westeurope\/operations\//i.test(r.path));
    expect(polled.length).toBeGreaterThanOrEqual(1);
  });

  it('speaks Azure-AsyncOperation and Location on the wire', async () => {
    simulator.setRotationDuration(500);
    const base = `${simulator.url}/subscriptions/${SUB_B}/resourceGroups/rg-b/providers/Microsoft.ContainerService/managedClusters/rotate-raw`;
    const accepted = await raw(`${base}/rotateClusterCertificates?api-version=2026-04-01`, { method: 'POST' });
    expect(accepted.status).toBe(202);
    expect(accepted.headers['retry-after']).toBe('1');
    const statusUrl = String(accepted.headers['azure-asyncoperation']);
    const resultUrl = String(accepted.headers['location']);
    expect(statusUrl.startsWith(`${simulator.url}/subscriptions/${SUB_B}/providers/Microsoft.ContainerService/locations/westeurope/operations/`)).toBe(true);
    expect(resultUrl).toContain('/operationresults/');

    expect(JSON.parse((await raw(statusUrl)).body)).toMatchObject({ status: 'InProgress' });
    expect((await raw(resultUrl)).status).toBe(202);
    const second = await raw(`${base}/rotateClusterCertificates?api-version=2026-04-01`, { method: 'POST' });
    expect(second.status).toBe(409);

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(JSON.parse((await raw(statusUrl)).body)).toMatchObject({ status: 'Succeeded' });
    expect((await raw(resultUrl)).status).toBe(204);
    expect(JSON.parse((await raw(`${base}?api-version=2026-04-01`)).body)).toMatchObject({ properties: { provisioningState: 'Succeeded' } });
    simulator.setRotationDuration(300);
  });

  it('reports a failed rotation through the poller and leaves the cluster Failed', async () => {
    const sim = await start({
      rotation: {
        durationMs: 100,
        fail: (c) => (c.resource.name === 'rotate-fails' ? { status: 500, code: 'RotateCertificatesFailed', message: 'node pool upgrade failed' } : undefined),
      },
    });
    const client = new ContainerServiceClient(credential, SUB_B, { endpoint: sim.url });
    const poller = client.managedClusters.rotateClusterCertificates('rg-b', 'rotate-fails', { updateIntervalInMs: 100 });
    await expect(poller.pollUntilDone()).rejects.toThrow();
    expect((await client.managedClusters.get('rg-b', 'rotate-fails')).provisioningState).toBe('Failed');
  });
});

describe('API-server endpoint', () => {
  function peerCertificate(servername: string): Promise<X509Certificate> {
    return new Promise((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: simulator.apiServer.port, servername }, () => {
        const certificate = socket.getPeerX509Certificate();
        socket.end();
        if (certificate === undefined) reject(new Error('no peer certificate'));
        else resolve(certificate);
      });
      socket.on('error', reject);
    });
  }

  it("presents the cluster's certificate for its fqdn (SNI, any case) and the dev certificate otherwise", async () => {
    const forCluster = await peerCertificate(API_SERVER_FQDN.toUpperCase());
    expect(forCluster.subject).toContain('CN=apiserver');
    expect(forCluster.checkHost(API_SERVER_FQDN)).toBe(API_SERVER_FQDN);
    const fallback = await peerCertificate('localhost');
    expect(fallback.subject).toContain('CN=localhost');
  });

  it('answers HTTP requests 401 like an API server without credentials', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: simulator.apiServer.port, servername: API_SERVER_FQDN, path: '/version' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(401);
  });
});
