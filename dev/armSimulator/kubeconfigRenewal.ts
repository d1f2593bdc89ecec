/**
 * Rewrites one kubeconfig after a certificate rotation, as a fresh `listCluster*Credential` would
 * return it: the new Cluster CA in every cluster entry, a new client certificate and key for every
 * certificate user, a new token for every token user. Exec users (kubelogin) keep their exec block;
 * user names, contexts and everything else stay as they were.
 *
 * The YAML document is edited in place rather than rebuilt with dev/kubeconfig.ts, so kubeconfigs of
 * any layout (the scale fleet assembles its text by hand) come out with the same structure. A text
 * that is not a kubeconfig (test fixtures) is returned unchanged.
 */
import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { base64 } from '../certificates.js';

export interface ReissuedCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface KubeconfigRenewal {
  /** The new Cluster CA, PEM. */
  caPem: string;
  /** The successor of a client certificate (PEM in, PEM out). */
  reissueClient(oldCertificatePem: string | undefined): Promise<ReissuedCertificate>;
  newToken(): string;
}

export interface RenewedKubeconfig {
  text: string;
  /** New secret strings: the key PEM (trimmed) and its base64 form, tokens; as buildKubeconfig lists them. */
  secrets: string[];
}

function parsed(text: string): Document | undefined {
  const document = parseDocument(text);
  return document.errors.length === 0 && isMap(document.contents) ? document : undefined;
}

function decoded(value: unknown): string | undefined {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

function entryCount(document: Document, key: string): number {
  const node = document.get(key);
  return isSeq(node) ? node.items.length : 0;
}

/** The PEM of the first cluster's `certificate-authority-data`, if the text is a kubeconfig that has one. */
export function kubeconfigCaPem(text: string): string | undefined {
  const document = parsed(text);
  return document === undefined ? undefined : decoded(document.getIn(['clusters', 0, 'cluster', 'certificate-authority-data']));
}

export async function renewKubeconfig(text: string, renewal: KubeconfigRenewal): Promise<RenewedKubeconfig> {
  const document = parsed(text);
  if (document === undefined) return { text, secrets: [] };
  const secrets: string[] = [];
  let changed = false;

  for (let i = 0; i < entryCount(document, 'clusters'); i++) {
    const path = ['clusters', i, 'cluster', 'certificate-authority-data'];
    if (document.hasIn(path)) {
      document.setIn(path, base64(renewal.caPem));
      changed = true;
    }
  }
  for (let i = 0; i < entryCount(document, 'users'); i++) {
    const user = ['users', i, 'user'];
    if (document.hasIn([...user, 'client-certificate-data'])) {
      const next = await renewal.reissueClient(decoded(document.getIn([...user, 'client-certificate-data'])));
      const keyData = base64(next.privateKeyPem);
      document.setIn([...user, 'client-certificate-data'], base64(next.certificatePem));
      document.setIn([...user, 'client-key-data'], keyData);
      secrets.push(next.privateKeyPem.trimEnd(), keyData);
      changed = true;
    }
    if (document.hasIn([...user, 'token'])) {
      const token = renewal.newToken();
      document.setIn([...user, 'token'], token);
      secrets.push(token);
      changed = true;
    }
  }
  return changed ? { text: document.toString({ lineWidth: 0 }), secrets } : { text, secrets };
}
