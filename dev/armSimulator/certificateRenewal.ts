/**
 * What a successful `rotateClusterCertificates` leaves behind (the AKS certificate-rotation article, docs/rules.md): a new Cluster CA
 * (30 years, as for any CA created or rotated after May 2019), new client certificates and keys in
 * every kubeconfig, new tokens, and a new API-server certificate and key, all issued now, so that a
 * rescan after the rotation sees certificates of age ~0. Custom CA trust certificates are the
 * customer's and are not touched.
 *
 * Each new certificate keeps its predecessor's subject, SANs, key type and lifetime (AKS issues the
 * same kinds of certificate again). Kubeconfigs that shared a client certificate (AKS's user and
 * admin credentials do) share its successor.
 *
 * Renewal is split into an async part that builds everything (key generation takes time) and a
 * synchronous part that swaps it in, so a rotation cancelled meanwhile changes nothing.
 */
import {
  type CertificateAuthority,
  type KeyKind,
  DAY_MS,
  createCaCertificate,
  createLeafCertificate,
  generateKey,
  randomToken,
} from '../certificates.js';
// After certificates.js, which loads reflect-metadata and sets the crypto provider @peculiar/x509 needs.
import * as x509 from '@peculiar/x509';
import type { SimulatedCluster, SimulatedFleet } from './fleet.js';
import { kubeconfigCaPem, renewKubeconfig, type ReissuedCertificate } from './kubeconfigRenewal.js';

const CLUSTER_CA_VALIDITY_DAYS = 10_950;
/** AKS's other certificates live two years; used when the predecessor cannot be read. */
const DEFAULT_LEAF_VALIDITY_DAYS = 730;
const DEFAULT_CA_SUBJECT = 'CN=ca';
const DEFAULT_CLIENT_SUBJECT = 'CN=masterclient, O=system:masters';
const DEFAULT_SERVER_SUBJECT = 'CN=apiserver';
const CREDENTIAL_ENTRIES = ['monitoring', 'user', 'admin'] as const;

export interface RenewedCertificates {
  clusterCaPem: string;
  credentials: SimulatedCluster['credentials'];
  /** Absent when the cluster had no API-server certificate (private clusters). */
  apiServer?: { certificatePem: string; privateKeyPem: string };
  /** New secret strings in the kubeconfigs (keys, tokens), for the fleet's `secrets`. */
  secrets: string[];
}

function parse(pem: string | undefined): x509.X509Certificate | undefined {
  if (pem === undefined) return undefined;
  try {
    return new x509.X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function keyKindOf(certificate: x509.X509Certificate | undefined): KeyKind {
  return certificate?.publicKey.algorithm.name.startsWith('RSA') ? 'rsa' : 'ec';
}

function lifetimeMsOf(certificate: x509.X509Certificate | undefined, defaultDays: number): number {
  const ms = certificate === undefined ? 0 : certificate.notAfter.getTime() - certificate.notBefore.getTime();
  return ms > 0 ? ms : defaultDays * DAY_MS;
}

function subjectAltNames(certificate: x509.X509Certificate | undefined): { dnsNames: string[]; ipAddresses: string[] } {
  const items = certificate?.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
  return {
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: items.filter((n) => n.type === 'ip').map((n) => n.value),
  };
}

/** Issues the successor of a leaf certificate under the new CA: same subject, SANs, key type and lifetime. */
async function reissueLeaf(
  ca: CertificateAuthority,
  oldPem: string | undefined,
  usage: 'client' | 'server',
  now: Date,
): Promise<ReissuedCertificate> {
  const old = parse(oldPem);
  const key = await generateKey(keyKindOf(old));
  const issued = await createLeafCertificate({
    key,
    issuer: ca,
    subject: old?.subject ?? (usage === 'client' ? DEFAULT_CLIENT_SUBJECT : DEFAULT_SERVER_SUBJECT),
    notBefore: now,
    notAfter: new Date(now.getTime() + lifetimeMsOf(old, DEFAULT_LEAF_VALIDITY_DAYS)),
    usage,
    ...(usage === 'server' ? subjectAltNames(old) : {}),
  });
  return { certificatePem: issued.pem, privateKeyPem: key.privateKeyPem };
}

/** The cluster's current CA, read from the first kubeconfig that carries one. */
function currentCaOf(cluster: SimulatedCluster): x509.X509Certificate | undefined {
  for (const credential of Object.values(cluster.credentials)) {
    if (credential !== undefined && 'kubeconfig' in credential) {
      const ca = parse(kubeconfigCaPem(credential.kubeconfig));
      if (ca !== undefined) return ca;
    }
  }
  return undefined;
}

export async function renewClusterCertificates(cluster: SimulatedCluster, now: Date = new Date()): Promise<RenewedCertificates> {
  const oldCa = currentCaOf(cluster);
  const ca = await createCaCertificate({
    key: await generateKey(keyKindOf(oldCa)),
    subject: oldCa?.subject ?? DEFAULT_CA_SUBJECT,
    notBefore: now,
    notAfter: new Date(now.getTime() + CLUSTER_CA_VALIDITY_DAYS * DAY_MS),
  });

  const successors = new Map<string, Promise<ReissuedCertificate>>();
  const renewal = {
    caPem: ca.pem,
    reissueClient: (oldPem: string | undefined) => {
      if (oldPem === undefined) return reissueLeaf(ca, undefined, 'client', now);
      let successor = successors.get(oldPem);
      if (successor === undefined) {
        successor = reissueLeaf(ca, oldPem, 'client', now);
        successors.set(oldPem, successor);
      }
      return successor;
    },
    newToken: randomToken,
  };

  const secrets: string[] = [];
  const credentials: SimulatedCluster['credentials'] = {};
  for (const entry of CREDENTIAL_ENTRIES) {
    const credential = cluster.credentials[entry];
    if (credential === undefined) continue;
    if (!('kubeconfig' in credential)) {
      credentials[entry] = credential; // a configured refusal stays a refusal
      continue;
    }
    const renewed = await renewKubeconfig(credential.kubeconfig, renewal);
    credentials[entry] = { ...credential, kubeconfig: renewed.text };
    secrets.push(...renewed.secrets);
  }

  const result: RenewedCertificates = { clusterCaPem: ca.pem, credentials, secrets };
  if (cluster.apiServer !== undefined) result.apiServer = await reissueLeaf(ca, cluster.apiServer.certificatePem, 'server', now);
  return result;
}

/** Swaps the renewed certificates into the cluster and records the new secrets in the fleet. */
export function applyRenewal(cluster: SimulatedCluster, renewed: RenewedCertificates, fleet: SimulatedFleet): void {
  cluster.credentials = renewed.credentials;
  if (renewed.apiServer !== undefined) {
    cluster.apiServer = { certificatePem: renewed.apiServer.certificatePem, privateKeyPem: renewed.apiServer.privateKeyPem };
  }
  const known = new Set(fleet.secrets);
  for (const secret of renewed.secrets) {
    if (!known.has(secret)) {
      fleet.secrets.push(secret);
      known.add(secret);
    }
  }
}
