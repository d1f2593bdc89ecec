/**
 * A successful rotateClusterCertificates re-issues the cluster's certificates: what the credential
 * listings hand out and what the API server presents afterwards are new (issued now, new CA, new
 * keys and tokens), read back through the real SDK and a real TLS handshake.
 */
import { certifiedCluster, credential, TENANT, type CertifiedCluster } from './simulatorKit.js';
// After the kit, which loads dev/certificates.ts (reflect-metadata and the crypto provider).
import * as x509 from '@peculiar/x509';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { createPublicKey } from 'node:crypto';
import { connect as tlsConnect, type PeerCertificate } from 'node:tls';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DAY_MS } from '../../../dev/certificates.js';
import { buildScaleFleet } from '../../../dev/demoFleet/index.js';
import { renewClusterCertificates } from '../../../dev/armSimulator/certificateRenewal.js';
import { startArmSimulator, type ArmSimulator } from '../../../dev/armSimulator/server.js';

const SUB = '55555555-5555-5555-5555-555555555555';
const RG = 'rg-renewal';
const CUSTOM_CA = 'ZHVtbXlFeGFtcGxlVGVzdFZhbHVlRm9yQ2VydGlmaWNhdGVUb0JlQWRkZWQ=';
const POLL = { updateIntervalInMs: 50 };

interface KubeconfigYaml {
  clusters: { cluster: { 'certificate-authority-data': string; server: string } }[];
  users: { name: string; user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string; exec?: { command: string } } }[];
}

interface ReadKubeconfig {
  text: string;
  ca: x509.X509Certificate;
  userName: string;
  client?: x509.X509Certificate;
  keyPem?: string;
  token?: string;
  exec?: { command: string };
}

const pemOf = (data: string): string => Buffer.from(data, 'base64').toString('utf8');

function readKubeconfig(value: Uint8Array | undefined): ReadKubeconfig {
  const text = Buffer.from(value ?? new Uint8Array()).toString('utf8');
  const doc = parse(text) as KubeconfigYaml;
  const user = doc.users[0]!;
  const read: ReadKubeconfig = {
    text,
    ca: new x509.X509Certificate(pemOf(doc.clusters[0]!.cluster['certificate-authority-data'])),
    userName: user.name,
  };
  if (user.user['client-certificate-data']) read.client = new x509.X509Certificate(pemOf(user.user['client-certificate-data']));
  if (user.user['client-key-data']) read.keyPem = pemOf(user.user['client-key-data']);
  if (user.user.token) read.token = user.user.token;
  if (user.user.exec) read.exec = user.user.exec;
  return read;
}

async function credentialsOf(client: ContainerServiceClient, name: string): Promise<Record<'monitoring' | 'user' | 'admin', ReadKubeconfig>> {
  const [monitoring, user, admin] = await Promise.all([
    client.managedClusters.listClusterMonitoringUserCredentials(RG, name),
    client.managedClusters.listClusterUserCredentials(RG, name),
    client.managedClusters.listClusterAdminCredentials(RG, name),
  ]);
  return {
    monitoring: readKubeconfig(monitoring.kubeconfigs?.[0]?.value),
    user: readKubeconfig(user.kubeconfigs?.[0]?.value),
    admin: readKubeconfig(admin.kubeconfigs?.[0]?.value),
  };
}

function expectIssuedNow(certificate: { notBefore: Date }): void {
  expect(Math.abs(certificate.notBefore.getTime() - Date.now())).toBeLessThan(60_000);
}

/** The certificate the simulated API server presents for `fqdn`, verified against `caPem`. */
function apiServerCertificate(port: number, fqdn: string, caPem: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, servername: fqdn, ca: caPem }, () => {
      const certificate = socket.getPeerCertificate();
      socket.end();
      resolve(certificate);
    });
    socket.on('error', reject);
  });
}

const devTls = inject('devTls');
let simulator: ArmSimulator;
let client: ContainerServiceClient;
let plain: CertifiedCluster;
let aad: CertifiedCluster;

beforeAll(async () => {
  [plain, aad] = await Promise.all([
    certifiedCluster(SUB, RG, 'renew-me', { ageDays: 400, customCa: CUSTOM_CA }),
    certifiedCluster(SUB, RG, 'renew-aad', { ageDays: 200, exec: true }),
  ]);
  simulator = await startArmSimulator({
    fleet: {
      subscriptions: [{ subscriptionId: SUB, displayName: 'Renewal', tenantId: TENANT }],
      clusters: [plain.cluster, aad.cluster],
      secrets: [...plain.secrets, ...aad.secrets],
    },
    tls: devTls,
    throttle: false,
    rotation: { durationMs: 100 },
  });
  client = new ContainerServiceClient(credential, SUB, { endpoint: simulator.url });
});

afterAll(async () => {
  await simulator?.close();
});

describe('certificate renewal on rotation', () => {
  it('hands out kubeconfigs with a new 30-year CA, new client certificates and keys, and new tokens', async () => {
    const before = await credentialsOf(client, 'renew-me');
    expect(Date.now() - before.monitoring.client!.notBefore.getTime()).toBeGreaterThan(399 * DAY_MS);

    await client.managedClusters.rotateClusterCertificates(RG, 'renew-me', POLL).pollUntilDone();
    const after = await credentialsOf(client, 'renew-me');

    const ca = after.monitoring.ca;
    expect(ca.serialNumber).not.toBe(before.monitoring.ca.serialNumber);
    expect(ca.subject).toBe('CN=ca');
    expectIssuedNow(ca);
    expect((ca.notAfter.getTime() - ca.notBefore.getTime()) / DAY_MS).toBe(10_950);

    for (const kind of ['monitoring', 'user', 'admin'] as const) {
      const old = before[kind];
      const renewed = after[kind];
      expect(renewed.ca.serialNumber).toBe(ca.serialNumber);
      expect(renewed.userName).toBe(old.userName);
      expect(renewed.client!.subject).toBe(old.client!.subject);
      expect(renewed.client!.serialNumber).not.toBe(old.client!.serialNumber);
      expectIssuedNow(renewed.client!);
      expect((renewed.client!.notAfter.getTime() - renewed.client!.notBefore.getTime()) / DAY_MS).toBe(730);
      expect(await renewed.client!.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
      // The new key is the new certificate's key, and not the old one.
      const keySpki = createPublicKey(renewed.keyPem!).export({ type: 'spki', format: 'der' });
      expect(Buffer.compare(keySpki, Buffer.from(renewed.client!.publicKey.rawData))).toBe(0);
      expect(renewed.keyPem).not.toBe(old.keyPem);
      expect(renewed.token).toMatch(/^[0-9a-f]{64}$/);
      expect(renewed.token).not.toBe(old.token);
      expect(simulator.fleet.secrets).toContain(renewed.keyPem!.trimEnd());
      expect(simulator.fleet.secrets).toContain(renewed.token);
    }
    // User and admin shared a certificate before (as in AKS) and share its successor; monitoring has its own.
    expect(after.user.client!.serialNumber).toBe(after.admin.client!.serialNumber);
    expect(after.monitoring.client!.serialNumber).not.toBe(after.user.client!.serialNumber);
    // The old secrets stay listed: tests still search outputs for them.
    for (const secret of plain.secrets) expect(simulator.fleet.secrets).toContain(secret);

    const cluster = await client.managedClusters.get(RG, 'renew-me');
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.securityProfile?.customCATrustCertificates?.map((c) => Buffer.from(c).toString('base64'))).toEqual([CUSTOM_CA]);
  });

  it('presents a new API-server certificate, signed by the new CA, for the same names', async () => {
    const fqdn = (plain.cluster.resource['properties'] as { fqdn: string }).fqdn;
    // Whatever rotated before, the API server and the kubeconfigs agree on the CA; rotate and compare.
    const previousCaPem = (await credentialsOf(client, 'renew-me')).monitoring.ca.toString('pem');
    const old = await apiServerCertificate(simulator.apiServer.port, fqdn, previousCaPem);
    await client.managedClusters.rotateClusterCertificates(RG, 'renew-me', POLL).pollUntilDone();
    const { monitoring } = await credentialsOf(client, 'renew-me');

    const presented = await apiServerCertificate(simulator.apiServer.port, fqdn, monitoring.ca.toString('pem'));
    expect(presented.serialNumber).not.toBe(old.serialNumber);
    expect(presented.subject.CN).toBe('apiserver');
    expect(presented.subjectaltname).toBe(old.subjectaltname);
    expect(Math.abs(new Date(presented.valid_from).getTime() - Date.now())).toBeLessThan(60_000);
    // The cluster's previous CA no longer vouches for it.
    await expect(apiServerCertificate(simulator.apiServer.port, fqdn, previousCaPem)).rejects.toThrow(/unable to verify/);
  });

  it('keeps an exec (kubelogin) user an exec user, with the new CA', async () => {
    const before = await credentialsOf(client, 'renew-aad');
    await client.managedClusters.rotateClusterCertificates(RG, 'renew-aad', POLL).pollUntilDone();
    const after = await credentialsOf(client, 'renew-aad');
    expect(after.user.exec?.command).toBe('kubelogin');
    expect(after.user.client).toBeUndefined();
    expect(after.user.token).toBeUndefined();
    expect(after.user.userName).toBe(before.user.userName);
    expect(after.user.ca.serialNumber).not.toBe(before.user.ca.serialNumber);
    expect(after.user.ca.serialNumber).toBe(after.monitoring.ca.serialNumber);
    expectIssuedNow(after.monitoring.client!);
  });
});

describe('renewal of other kubeconfig layouts', () => {
  it("renews the scale fleet's hand-assembled kubeconfigs and leaves texts that are no kubeconfig alone", async () => {
    const scale = await buildScaleFleet({ now: new Date(), subscriptions: 1, clustersPerSubscription: 1 });
    const cluster = scale.clusters[0]!;
    cluster.credentials.user = { kubeconfig: 'apiVersion: v1\nkind: Config\n# not a real kubeconfig\n' };
    const renewed = await renewClusterCertificates(cluster);

    const oldMonitoring = readKubeconfig(Buffer.from((cluster.credentials.monitoring as { kubeconfig: string }).kubeconfig));
    const monitoring = readKubeconfig(Buffer.from((renewed.credentials.monitoring as { kubeconfig: string }).kubeconfig));
    expect(monitoring.userName).toBe(oldMonitoring.userName);
    expect(monitoring.client!.subject).toBe(oldMonitoring.client!.subject);
    expectIssuedNow(monitoring.client!);
    expectIssuedNow(monitoring.ca);
    expect(await monitoring.client!.verify({ publicKey: monitoring.ca.publicKey, signatureOnly: true })).toBe(true);
    expect(renewed.credentials.user).toEqual(cluster.credentials.user);
    expect(renewed.secrets).toContain(monitoring.token);
  });
});
