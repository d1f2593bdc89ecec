import { CORE_SCHEMA, load } from 'js-yaml';
import { z } from 'zod';
import { readCertificates, type CertificateFacts, type CertificateSource } from '../domain/certificate.js';
import type { UnavailableSource } from '../domain/verdict.js';

/**
 * Only the public parts of a kubeconfig are described; keys and tokens (`client-key-data`, `token`,
 * exec plugins) are never read into any value of ours: they are dropped before parsing (below).
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
    // js-yaml, not the `yaml` package the rest uses: a kubeconfig is read on every cluster's hot path,
    // and js-yaml loads one in about a quarter of the CPU (bench/kubeconfigParse.ts). The core schema,
    // as `yaml` parses: no timestamps or other YAML 1.1 types made of a kubeconfig's strings.
    document = load(withoutSecretEntries(kubeconfigText), { schema: CORE_SCHEMA });
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

/**
 * A mapping entry whose key holds secrets (or, for exec and auth-provider, the blocks that hold them),
 * its key plain and at the start of its line (indentation aside); `value` is what follows the colon.
 */
const SECRET_ENTRY = /^( *)(?:client-key-data|token|password|exec|auth-provider):(?<value>[ \t][^\r]*)?\r?$/;
/** The cheap test that most kubeconfigs without secrets pass by. */
const SECRET_KEY = /^ *(?:client-key-data|token|password|exec|auth-provider):/m;

/**
 * The kubeconfig without its secret entries: each such key's line and the lines of its value (those
 * indented deeper, blank or comment lines among them, and the items of a block sequence at the key's
 * own indentation), which is how YAML bounds a block mapping's entry. The secrets then never become
 * values of ours, and the parser has fewer tokens to read.
 * A key it does not recognise (quoted, in a flow mapping, after `- `) stays, for the schema to drop.
 */
export function withoutSecretEntries(text: string): string {
  if (!SECRET_KEY.test(text)) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const entry = SECRET_ENTRY.exec(lines[i]!);
    if (!entry) {
      kept.push(lines[i]!);
      continue;
    }
    const indent = entry[1]!.length;
    const blockValue = /^[ \t]*(?:#.*)?$/.test(entry.groups?.['value'] ?? '');
    while (i + 1 < lines.length && !isFinalLineEnd(lines, i + 1) && isPartOfValue(lines[i + 1]!, indent, blockValue)) i++;
  }
  return kept.join('\n');
}

/** The empty string after the text's last line break: it stays, so the last kept line keeps its end. */
const isFinalLineEnd = (lines: readonly string[], i: number) => i === lines.length - 1 && lines[i] === '';

function isPartOfValue(line: string, keyIndent: number, blockValue: boolean): boolean {
  if (/^[ \t]*(?:#.*)?\r?$/.test(line)) return true;
  const indent = /^ */.exec(line)![0].length;
  return indent > keyIndent || (blockValue && indent === keyIndent && /^ *-(?:[ \t]|\r?$)/.test(line));
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
