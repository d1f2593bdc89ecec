/**
 * One demo cluster from its specification at `now`: the ARM resource, a real Cluster CA with its
 * client and API-server certificates, the custom CA trust entries in the encoding the spec asks
 * for, and the credentials.
 */
import type { SimulatedCluster } from '../armSimulator/fleet.js';
import {
  type KeyMaterial,
  DAY_MS,
  base64,
  createCaCertificate,
  createLeafCertificate,
  generateKey,
} from '../certificates.js';
import { type ClusterShape, clusterResource, endpoints } from './clusterResource.js';
import {
  type CustomCaSpec,
  type DemoClusterSpec,
  CA_VALIDITY_DAYS,
  LEAF_VALIDITY_DAYS,
} from './clusterSpec.js';
import { type ClusterCertificates, credentialsFor } from './credentials.js';
import { demoNodes } from './nodes.js';
import { type SubscriptionKey, DEMO_SUBSCRIPTIONS } from './subscriptions.js';

/**
 * Keys that are no secret of any kubeconfig are shared to save time: the API servers' keys (one per
 * subscription) and the custom CAs' keys. Client keys are each cluster's own.
 */
export interface SharedKeys {
  apiServer: Record<SubscriptionKey, KeyMaterial>;
  customCa: KeyMaterial[];
}

export async function sharedKeys(): Promise<SharedKeys> {
  const [production, staging, sandbox, ...customCa] = await Promise.all(
    Array.from({ length: 7 }, () => generateKey('ec')),
  );
  return { apiServer: { production: production!, staging: staging!, sandbox: sandbox! }, customCa };
}

/** The custom CA entry of the AKS API spec example: base64 of a text that is no certificate. */
export const SPEC_EXAMPLE_CUSTOM_CA = 'ZHVtbXlFeGFtcGxlVGVzdFZhbHVlRm9yQ2VydGlmaWNhdGVUb0JlQWRkZWQ=';

/**
 * A custom CA trust entry as AKS stores it (base64): a fresh CA certificate in the spec's encoding,
 * including the mistakes people make (CRLF PEM, double base64), or the API example's non-certificate.
 */
async function customCaEntry(spec: CustomCaSpec, now: Date, key: KeyMaterial): Promise<string> {
  if (spec.encoding === 'spec-example') return SPEC_EXAMPLE_CUSTOM_CA;
  const ca = await createCaCertificate({
    key,
    subject: spec.subject,
    notBefore: spec.notBefore(now),
    notAfter: spec.notAfter(now),
  });
  switch (spec.encoding) {
    case 'pem':
      return base64(ca.pem);
    case 'der':
      return base64(ca.der);
    case 'pem-crlf':
      return base64(ca.pem.replace(/\n/g, '\r\n'));
    case 'double-base64':
      return base64(base64(ca.pem));
  }
}

/** The names an AKS API server certificate covers. */
function apiServerDnsNames(host: string): string[] {
  return [
    host,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
}

/** Every secret written into a kubeconfig is added to `secrets`. */
export async function buildDemoCluster(
  spec: DemoClusterSpec,
  now: Date,
  tenantId: string,
  keys: SharedKeys,
  secrets: Set<string>,
  /** Also the nodes the node probe reads (nodes.ts): the demo's; off by default, signing them takes time. */
  options: { nodes?: boolean } = {},
): Promise<SimulatedCluster> {
  const subscriptionId = DEMO_SUBSCRIPTIONS[spec.subscription].subscriptionId;
  const customCATrustCertificates = spec.customCAs
    ? await Promise.all(
        spec.customCAs.map((c, i) => customCaEntry(c, now, keys.customCa[i % keys.customCa.length]!)),
      )
    : undefined;

  const rotatedAt = spec.ca ? spec.ca.notBefore(now) : undefined;
  const shape: ClusterShape = {
    subscriptionId,
    name: spec.name,
    resourceGroup: spec.resourceGroup,
    location: spec.location,
    lowercaseResourceGroups: spec.lowercaseResourceGroups ?? false,
    tags: spec.tags,
    ...(spec.createdAt ? { createdAt: spec.createdAt(now) } : {}),
    ...(spec.createdBy ? { createdBy: spec.createdBy } : {}),
    ...(rotatedAt && rotatedAt <= now ? { lastModifiedAt: rotatedAt } : {}),
    kubernetesVersion: spec.kubernetesVersion,
    currentKubernetesVersion: spec.currentKubernetesVersion ?? spec.kubernetesVersion,
    pools: spec.pools,
    enableRBAC: spec.enableRBAC ?? true,
    powerState: spec.powerState ?? 'Running',
    provisioningState: spec.provisioningState ?? 'Succeeded',
    privateCluster: spec.privateCluster ?? false,
    ...(spec.aad ? { aad: spec.aad } : {}),
    ...(spec.dnsPrefix ? { dnsPrefix: spec.dnsPrefix } : {}),
    tier: spec.tier ?? 'Standard',
    ...(customCATrustCertificates ? { customCATrustCertificates } : {}),
    ...(spec.supportPlan ? { supportPlan: spec.supportPlan } : {}),
  };
  const ep = endpoints(shape);

  let certs: ClusterCertificates | undefined;
  let apiServer: SimulatedCluster['apiServer'];
  let nodes: SimulatedCluster['nodes'];
  if (spec.ca) {
    const caNotBefore = spec.ca.notBefore(now);
    const ca = await createCaCertificate({
      key: await generateKey(spec.ca.key ?? 'ec'),
      subject: 'CN=ca',
      notBefore: caNotBefore,
      notAfter: new Date(caNotBefore.getTime() + (spec.ca.validityDays ?? CA_VALIDITY_DAYS) * DAY_MS),
    });
    certs = { ca };
    const leafDates = spec.client ?? spec.ca;
    const leafNotBefore = leafDates.notBefore(now);
    const leafNotAfter = new Date(
      leafNotBefore.getTime() + (spec.client?.validityDays ?? LEAF_VALIDITY_DAYS) * DAY_MS,
    );
    if (spec.client && !spec.aad?.disableLocalAccounts) {
      // (Local accounts disabled: AKS hands out no client certificate.)
      const key = await generateKey(spec.client.key ?? 'ec');
      const certificate = await createLeafCertificate({
        key,
        issuer: ca,
        subject: 'CN=masterclient, O=system:masters',
        notBefore: leafNotBefore,
        notAfter: leafNotAfter,
        usage: 'client',
      });
      certs.client = { certificate, key };
    }
    if (!shape.privateCluster) {
      // Same dates as the client certificate (or the CA where no client certificate is exposed),
      // so that a scan with the API-server probe reaches the same verdict as one without.
      const key = keys.apiServer[spec.subscription];
      const certificate = await createLeafCertificate({
        key,
        issuer: ca,
        subject: 'CN=apiserver',
        notBefore: leafNotBefore,
        notAfter: leafNotAfter,
        usage: 'server',
        dnsNames: apiServerDnsNames(ep.serverHost),
        ipAddresses: ['10.0.0.1'],
      });
      apiServer = { certificatePem: certificate.pem, privateKeyPem: key.privateKeyPem };
    }
    if (options.nodes) nodes = await demoNodes({ clusterName: spec.name, pools: spec.pools, ca, key: keys.apiServer[spec.subscription], notBefore: leafNotBefore, notAfter: leafNotAfter, ...(apiServer ? { apiServerPem: apiServer.certificatePem } : {}), now });
  }
  const credentials = credentialsFor(spec.credentials ?? 'normal', shape, ep, certs, tenantId, secrets);
  const cluster: SimulatedCluster = {
    subscriptionId,
    resource: clusterResource(shape, tenantId),
    credentials,
    expected: expectedOf(spec.expectedAt?.(now) ?? spec.expected),
  };
  if (apiServer) cluster.apiServer = apiServer;
  if (spec.upgrades) cluster.upgrades = spec.upgrades.map((kubernetesVersion) => ({ kubernetesVersion }));
  if (nodes) cluster.nodes = nodes;
  if (spec.maintenance) cluster.maintenanceConfigurations = spec.maintenance.map((configuration) => configuration(now));
  return cluster;
}

function expectedOf(expected: DemoClusterSpec['expected']): NonNullable<SimulatedCluster['expected']> {
  return { ...expected, findingCodes: [...expected.findingCodes], autoRotationReasons: [...expected.autoRotationReasons] };
}
