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
import './certificates.js'; // before @peculiar/x509: loads reflect-metadata and sets the crypto provider
import * as x509 from '@peculiar/x509';
import { parse } from 'yaml';
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
  return certificatesOf(cluster).every((certificate) => certificate.notBefore <= at);
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
export function certificatesOf(cluster: SimulatedCluster): x509.X509Certificate[] {
  const certificates: x509.X509Certificate[] = [];
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

/** The certificates of every cluster entry (CA) and user (client certificate) of a kubeconfig. */
function kubeconfigCertificates(text: string): x509.X509Certificate[] {
  let document: unknown;
  try {
    document = parse(text);
  } catch {
    return [];
  }
  const entries = (key: string, inner: string): Record<string, unknown>[] => {
    const list = (document as Record<string, unknown> | null)?.[key];
    return Array.isArray(list) ? list.map((item) => (item as Record<string, unknown> | null)?.[inner] as Record<string, unknown>).filter(Boolean) : [];
  };
  const data = [
    ...entries('clusters', 'cluster').map((c) => c['certificate-authority-data']),
    ...entries('users', 'user').map((u) => u['client-certificate-data']),
  ];
  return data.flatMap((value) => (typeof value === 'string' ? certificatesIn(Buffer.from(value, 'base64')) : []));
}

/** PEM (any number of blocks, LF or CRLF) or DER; nothing for bytes that are no certificate. */
function certificatesIn(bytes: Buffer | string): x509.X509Certificate[] {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  if (text.includes('-----BEGIN')) return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).flatMap(readable);
  return typeof bytes === 'string' ? [] : readable(bytes);
}

function readable(certificate: string | Buffer): x509.X509Certificate[] {
  try {
    return [new x509.X509Certificate(certificate)];
  } catch {
    return [];
  }
}
