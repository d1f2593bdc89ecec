/**
 * The scale fleet: many ordinary clusters, built cheaply, for benchmarks. It shares the ARM resource
 * shape with the demo fleet but none of its specifications.
 */
import type { SimulatedCluster, SimulatedCredential, SimulatedFleet } from '../armSimulator/fleet.js';
import {
  type CertificateAuthority,
  DAY_MS,
  base64,
  createCaCertificate,
  createLeafCertificate,
  generateKey,
  randomToken,
  stableGuid,
} from '../certificates.js';
import { type ClusterShape, clusterResource, endpoints } from './clusterResource.js';
import { CA_VALIDITY_DAYS, LEAF_VALIDITY_DAYS, systemPool, tags, userPool } from './clusterSpec.js';

const SCALE_LOCATIONS = ['westeurope', 'northeurope', 'eastus2', 'uksouth', 'swedencentral', 'westus3'];
const SCALE_TEAMS = ['payments', 'orders', 'search', 'identity', 'analytics', 'catalog', 'media', 'billing', 'crm', 'edge'];
const SCALE_ENVS = ['prod', 'stg', 'dev'];
const SCALE_VERSIONS = ['1.29.9', '1.30.6', '1.31.2'];

/**
 * How many clusters each of `subscriptions` subscriptions holds when `clusters` are spread unevenly,
 * as real fleets are: the first holds `largest`, the others fewer and fewer (weights falling linearly,
 * rounded so that the sizes add up to `clusters` exactly). The largest comes first, so that a scan
 * which starts subscriptions in order meets it at once.
 */
export function unevenSubscriptionSizes(options: { clusters: number; subscriptions: number; largest: number }): number[] {
  const { clusters, subscriptions, largest } = options;
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`unevenSubscriptionSizes: ${name} must be a non-negative integer`);
  }
  const rest = subscriptions - 1;
  if (subscriptions === 0 ? clusters > 0 : largest > clusters || largest * subscriptions < clusters || (rest === 0 && largest !== clusters)) {
    throw new RangeError(`unevenSubscriptionSizes: ${clusters} clusters cannot be spread over ${subscriptions} subscriptions with the largest holding ${largest}`);
  }
  if (subscriptions === 0) return [];
  const remaining = clusters - largest;
  const weights = Array.from({ length: rest }, (_, i) => rest - i);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (remaining * w) / totalWeight);
  const sizes = exact.map(Math.floor);
  // Largest remainders first, for the clusters the rounding down left over.
  const order = exact.map((x, i) => ({ i, fraction: x - Math.floor(x) })).sort((a, b) => b.fraction - a.fraction || a.i - b.i);
  const leftOver = remaining - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; k < leftOver; k++) sizes[order[k]!.i]!++;
  // No other subscription may outgrow the largest: move the excess down the line.
  for (let i = 0; i < rest; i++) {
    const excess = sizes[i]! - largest;
    if (excess > 0 && i + 1 < rest) {
      sizes[i] = largest;
      sizes[i + 1]! += excess;
    }
  }
  return [largest, ...sizes];
}

/**
 * Many ordinary clusters, cheaply, for benchmarks: one CA key pair per subscription, one client key
 * pair and one API-server key pair for the whole fleet, and a handful of certificates per
 * subscription shared between its clusters. Every kubeconfig has its own token. No `expected`.
 * `sizes` (clusters in each subscription, e.g. from `unevenSubscriptionSizes`) replaces
 * `subscriptions` × `clustersPerSubscription`.
 */
export async function buildScaleFleet(
  options: { now: Date } & ({ subscriptions: number; clustersPerSubscription: number } | { sizes: readonly number[] }),
): Promise<SimulatedFleet> {
  const { now } = options;
  const sizes = 'sizes' in options ? options.sizes : evenSizes(options.subscriptions, options.clustersPerSubscription);
  if (sizes.some((size) => !Number.isInteger(size) || size < 0)) {
    throw new RangeError('buildScaleFleet: every subscription size must be a non-negative integer');
  }
  const subscriptionCount = sizes.length;
  const tenantId = stableGuid('scale-tenant');
  const secrets = new Set<string>();
  const [clientKey, serverKey] = await Promise.all([generateKey('ec'), generateKey('ec')]);
  secrets.add(clientKey.privateKeyPem.trimEnd());
  secrets.add(base64(clientKey.privateKeyPem));
  const clientKeyBase64 = base64(clientKey.privateKeyPem);
  const wildcards = SCALE_LOCATIONS.flatMap((l) => [`*.hcp.${l}.azmk8s.io`]);

  const subscriptionSets = await Promise.all(
    Array.from({ length: subscriptionCount }, async (_, s) => {
      const subscriptionId = stableGuid(`scale-subscription-${s}`);
      const caKey = await generateKey('ec');
      const day = (d: number) => new Date(now.getTime() - d * DAY_MS);
      const [oldCa, newCa] = await Promise.all([
        createCaCertificate({ key: caKey, subject: 'CN=ca', notBefore: day(400), notAfter: new Date(day(400).getTime() + CA_VALIDITY_DAYS * DAY_MS) }),
        createCaCertificate({ key: caKey, subject: 'CN=ca', notBefore: day(20), notAfter: new Date(day(20).getTime() + CA_VALIDITY_DAYS * DAY_MS) }),
      ]);
      const leaf = (issuer: CertificateAuthority, age: number, usage: 'client' | 'server') =>
        createLeafCertificate({
          key: usage === 'client' ? clientKey : serverKey,
          issuer,
          subject: usage === 'client' ? 'CN=masterclient, O=system:masters' : 'CN=apiserver',
          notBefore: day(age),
          notAfter: new Date(day(age).getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
          usage,
          ...(usage === 'server' ? { dnsNames: [...wildcards, 'kubernetes', 'kubernetes.default'], ipAddresses: ['10.0.0.1'] } : {}),
        });
      // Variants: rotated recently (compliant), never rotated (exceeds), client auto-rotated (CA exceeds).
      const variants = await Promise.all(
        [
          { ca: newCa, age: 20 },
          { ca: oldCa, age: 400 },
          { ca: oldCa, age: 75 },
        ].map(async (v) => ({
          ca: v.ca,
          caBase64: base64(v.ca.pem),
          client: await leaf(v.ca, v.age, 'client'),
          server: await leaf(v.ca, v.age, 'server'),
        })),
      );
      return {
        subscription: {
          subscriptionId,
          displayName: `Contoso Scale ${String(s + 1).padStart(3, '0')}`,
          tenantId,
          state: 'Enabled' as const,
        },
        variants: variants.map((v) => ({ ...v, clientBase64: base64(v.client.pem) })),
      };
    }),
  );

  const clusters: SimulatedCluster[] = [];
  subscriptionSets.forEach(({ subscription, variants }, s) => {
    for (let c = 0; c < sizes[s]!; c++) {
      const team = SCALE_TEAMS[c % SCALE_TEAMS.length]!;
      const env = SCALE_ENVS[Math.floor(c / SCALE_TEAMS.length) % SCALE_ENVS.length]!;
      const location = SCALE_LOCATIONS[(c + s) % SCALE_LOCATIONS.length]!;
      const name = `aks-${team}-${env}-${String(c + 1).padStart(4, '0')}`;
      const resourceGroup = `rg-${team}-${env}`;
      const variant = variants[(c * 7 + s) % variants.length]!;
      const version = SCALE_VERSIONS[(c + s) % SCALE_VERSIONS.length]!;
      const shape: ClusterShape = {
        subscriptionId: subscription.subscriptionId,
        name,
        resourceGroup,
        location,
        lowercaseResourceGroups: c % 5 === 0,
        tags: tags(env === 'prod' ? 'production' : env === 'stg' ? 'staging' : 'sandbox', team, `${team}-team`),
        ...(c % 4 === 0 ? {} : { createdAt: new Date(now.getTime() - (400 + ((c * 37) % 500)) * DAY_MS) }),
        kubernetesVersion: version,
        currentKubernetesVersion: version,
        pools: [systemPool('Standard_D4ds_v5', 3), userPool('apps', 'Standard_D8ds_v5', 2 + (c % 6))],
        enableRBAC: true,
        powerState: 'Running',
        provisioningState: 'Succeeded',
        privateCluster: false,
        tier: env === 'prod' ? 'Standard' : 'Free',
      };
      const ep = endpoints(shape);
      const server = `https://${ep.serverHost}:443`;
      const credential = (kind: string): SimulatedCredential => {
        const token = randomToken();
        secrets.add(token);
        const userName = `${kind}_${resourceGroup}_${name}`;
        // The shape buildKubeconfig writes, assembled as text: this runs thousands of times.
        const text =
          'apiVersion: v1\nclusters:\n  - cluster:\n' +
          `      certificate-authority-data: ${variant.caBase64}\n      server: ${server}\n    name: ${name}\n` +
          `contexts:\n  - context:\n      cluster: ${name}\n      user: ${userName}\n    name: ${name}\n` +
          `current-context: ${name}\nkind: Config\npreferences: {}\nusers:\n  - name: ${userName}\n    user:\n` +
          `      client-certificate-data: ${variant.clientBase64}\n      client-key-data: ${clientKeyBase64}\n` +
          `      token: ${token}\n`;
        return { kubeconfig: text, name: kind };
      };
      clusters.push({
        subscriptionId: subscription.subscriptionId,
        resource: clusterResource(shape, tenantId),
        credentials: {
          monitoring: credential('clusterMonitoringUser'),
          user: credential('clusterUser'),
          admin: credential('clusterAdmin'),
        },
        apiServer: { certificatePem: variant.server.pem, privateKeyPem: serverKey.privateKeyPem },
      });
    }
  });

  return { subscriptions: subscriptionSets.map((s) => s.subscription), clusters, secrets: [...secrets] };
}

function evenSizes(subscriptions: number, clustersPerSubscription: number): number[] {
  if (!Number.isInteger(subscriptions) || subscriptions < 0) {
    throw new RangeError('buildScaleFleet: subscriptions must be a non-negative integer');
  }
  if (!Number.isInteger(clustersPerSubscription) || clustersPerSubscription < 0) {
    throw new RangeError('buildScaleFleet: clustersPerSubscription must be a non-negative integer');
  }
  return Array.from({ length: subscriptions }, () => clustersPerSubscription);
}
