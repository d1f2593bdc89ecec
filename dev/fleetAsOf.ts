/**
 * A built fleet as it stood at an earlier instant, derived without inventing anything: the same
 * subscriptions and the same cluster objects (the same certificates, keys and tokens), minus the
 * clusters that did not exist in that form yet.
 *
 * A cluster stood at `at` when every certificate it serves (the kubeconfigs' Cluster CA and client
 * certificates, the API server's certificate, its custom CA trust certificates) was issued by then
 * (notBefore <= at) and its `systemData.createdAt`, when present, is not after it. A cluster created
 * after `at` is absent, and so is one rotated after `at`: what it served before the rotation was never
 * built, and showing it with made-up predecessors would put certificates in the history that no
 * cluster ever had.
 *
 * The clusters kept lose `expected`: it is what a scan at the build's `now` concludes, not at `at`.
 */
import { X509Certificate } from 'node:crypto';
import type { SimulatedCluster, SimulatedFleet } from './armSimulator/fleet.js';

export function fleetAsOf(fleet: SimulatedFleet, at: Date): SimulatedFleet {
  return {
    subscriptions: fleet.subscriptions,
    clusters: fleet.clusters.filter((cluster) => stoodAt(cluster, at)).map(withoutExpected),
    secrets: fleet.secrets,
  };
}

/** Whether the cluster, with the certificates it serves, existed at `at`. */
export function stoodAt(cluster: SimulatedCluster, at: Date): boolean {
  const createdAt = createdAtOf(cluster);
  if (createdAt !== undefined && createdAt > at) return false;
  return certificatesOf(cluster).every((certificate) => notBeforeOf(certificate) <= at);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `validFrom` as a Date: OpenSSL writes it `Jun 14 08:12:43 2021 GMT` (Node 20 has no `validFromDate`). */
function notBeforeOf(certificate: X509Certificate): Date {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(certificate.validFrom);
  const month = match ? MONTHS.indexOf(match[1]!) : -1;
  if (!match || month < 0) throw new Error(`unexpected validFrom: ${certificate.validFrom}`);
  return new Date(Date.UTC(Number(match[6]), month, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])));
}

function withoutExpected(cluster: SimulatedCluster): SimulatedCluster {
  const { expected: _expected, ...served } = cluster;
  return served;
}

function createdAtOf(cluster: SimulatedCluster): Date | undefined {
  const systemData = cluster.resource['systemData'] as { createdAt?: unknown } | undefined;
  if (typeof systemData?.createdAt !== 'string') return undefined;
  const date = new Date(systemData.createdAt);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Every certificate the cluster serves that can be read. Bytes that are no certificate (the API
 * example's custom CA entry, a double-base64 one) carry no date and cannot rule a cluster out.
 */
export function certificatesOf(cluster: SimulatedCluster): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  for (const credential of Object.values(cluster.credentials)) {
    if (credential !== undefined && 'kubeconfig' in credential) certificates.push(...kubeconfigCertificates(credential.kubeconfig));
  }
  if (cluster.apiServer !== undefined) certificates.push(...certificatesIn(cluster.apiServer.certificatePem));
  const properties = cluster.resource['properties'] as { securityProfile?: { customCATrustCertificates?: unknown } } | undefined;
  const customCAs = properties?.securityProfile?.customCATrustCertificates;
  if (Array.isArray(customCAs)) {
    for (const entry of customCAs) if (typeof entry === 'string') certificates.push(...certificatesIn(Buffer.from(entry, 'base64')));
  }
  return certificates;
}

/**
 * The certificates of every cluster entry (`certificate-authority-data`) and user
 * (`client-certificate-data`) of a kubeconfig. Read by line rather than by a YAML parser, which
 * costs milliseconds per kubeconfig: the values are single-line base64 scalars in every kubeconfig
 * AKS returns and the dev fleets build.
 */
function kubeconfigCertificates(text: string): X509Certificate[] {
  const values = text.matchAll(/^[ \t-]*(?:certificate-authority-data|client-certificate-data):[ \t]*["']?([A-Za-z0-9+/=]+)["']?[ \t]*$/gm);
  return [...values].flatMap((match) => certificatesIn(Buffer.from(match[1]!, 'base64')));
}

/** PEM (any number of blocks, LF or CRLF) or DER; nothing for bytes that are no certificate. */
function certificatesIn(bytes: Buffer | string): X509Certificate[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).flatMap(readable);
  return typeof bytes === 'string' ? [] : readable(bytes);
}

function readable(certificate: string | Buffer): X509Certificate[] {
  try {
    return [new X509Certificate(certificate)];
  } catch {
    return [];
  }
}
