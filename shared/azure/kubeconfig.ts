import { parse } from 'yaml';
import { z } from 'zod';
import { readCertificates, type CertificateFacts, type CertificateSource } from '../domain/certificate.js';
import type { UnavailableSource } from '../domain/verdict.js';

/**
 * Only the public parts of a kubeconfig are described; keys and tokens (`client-key-data`, `token`,
 * exec plugins) are never read into any value of ours.
 */
const kubeconfigSchema = z.object({
  'current-context': z.string().nullish(),
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ 'certificate-authority-data': z.string().nullish() }) })).min(1),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }) })).nullish(),
  users: z.array(z.object({ name: z.string(), user: z.object({ 'client-certificate-data': z.string().nullish() }).nullish() })).nullish(),
});

export interface KubeconfigCertificates {
  certificates: CertificateFacts[];
  unavailable: UnavailableSource[];
}

/**
 * The Cluster CA and client certificate of the kubeconfig's current context (or its only cluster and
 * user). What cannot be read becomes an `unavailable` entry with a reason word, never an exception.
 */
export function readKubeconfigCertificates(kubeconfigText: string, noClientCertificateReason: 'no_certificate' | 'local_accounts_disabled' = 'no_certificate'): KubeconfigCertificates {
  let document: unknown;
  try {
    document = parse(kubeconfigText);
  } catch {
    return unreadable('the kubeconfig is not valid YAML');
  }
  const parsed = kubeconfigSchema.safeParse(document);
  if (!parsed.success) {
    return unreadable(`the kubeconfig has no usable "${parsed.error.issues[0]?.path.join('.')}"`);
  }
  const config = parsed.data;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters.find((c) => c.name === context?.cluster) ?? config.clusters[0]!;
  const user = config.users?.find((u) => u.name === context?.user) ?? config.users?.[0];

  const result: KubeconfigCertificates = { certificates: [], unavailable: [] };
  readEmbedded(result, 'cluster-ca', cluster.cluster['certificate-authority-data'], 'no_certificate', 'certificate-authority-data');
  readEmbedded(result, 'client', user?.user?.['client-certificate-data'], noClientCertificateReason, 'client-certificate-data');
  return result;
}

function readEmbedded(
  result: KubeconfigCertificates,
  source: CertificateSource,
  base64: string | null | undefined,
  missingReason: 'no_certificate' | 'local_accounts_disabled',
  field: string,
): void {
  if (!base64) {
    const why = missingReason === 'local_accounts_disabled'
      ? 'the cluster disables local accounts, so its kubeconfig carries no client certificate'
      : `the kubeconfig has no ${field}`;
    result.unavailable.push({ source, reason: missingReason, message: `${capitalised(source)} certificate unavailable: ${why}.` });
    return;
  }
  const reading = readCertificates(Buffer.from(base64, 'base64'), source);
  if (reading.ok) result.certificates.push(reading.certificates[0]!);
  else result.unavailable.push({ source, reason: 'bad_pem', message: `${capitalised(source)} certificate unreadable: ${reading.problem}.` });
}

function unreadable(message: string): KubeconfigCertificates {
  return { certificates: [], unavailable: [{ source: 'kubeconfig', reason: 'bad_kubeconfig', message: `Kubeconfig unreadable: ${message}.` }] };
}

const capitalised = (source: CertificateSource) => (source === 'cluster-ca' ? 'Cluster CA' : 'Client');
