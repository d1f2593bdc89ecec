import type { CertificateFacts, CertificateSource } from './certificate.js';

/**
 * The node probe's output, read strictly (docs/rules.md "Node probe"). The scripts (azure/nodeProbeScripts.ts)
 * print, between a first and a last marker line, one block per certificate file and whether the bootstrap
 * kubeconfig exists:
 *
 *   akscert-node-probe v1
 *   file=kubelet-client
 *   subject=O = system:nodes, CN = system:node:aks-nodepool1-12345678-vmss000000
 *   issuer=CN = ca
 *   serial=0A1B2C
 *   notBefore=Mar  1 12:00:00 2026 GMT
 *   notAfter=Mar  1 12:00:00 2027 GMT
 *   sha256 Fingerprint=AB:CD:...
 *   file=kubelet-serving
 *   missing
 *   file=node-apiserver
 *   unreadable
 *   bootstrap-kubeconfig=present
 *   akscert-node-probe end
 *
 * (`openssl x509 -noout -subject -issuer -serial -startdate -enddate -fingerprint -sha256`, whose
 * fingerprint line reads `SHA256 Fingerprint=` before OpenSSL 3.) Anything else is refused whole, and the
 * problem names a line number, never the text: what the node printed is not repeated anywhere.
 */

export type NodeCertificateSource = Extract<CertificateSource, 'kubelet-client' | 'kubelet-serving' | 'node-apiserver'>;

/** The files each script reads, in the order it prints them. */
export const NODE_CERTIFICATE_SOURCES: readonly NodeCertificateSource[] = ['kubelet-client', 'kubelet-serving', 'node-apiserver'];

export interface NodeProbeReading {
  certificates: CertificateFacts[];
  /** Files absent on the node. */
  missing: NodeCertificateSource[];
  /** Files present that the node could not read as a certificate. */
  unreadable: NodeCertificateSource[];
  bootstrapKubeconfig: boolean;
}

export type NodeProbeParse = { ok: true; reading: NodeProbeReading } | { ok: false; problem: string };

export const PROBE_BEGIN = 'akscert-node-probe v1';
export const PROBE_END = 'akscert-node-probe end';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const OPENSSL_DATE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ 1-3][0-9]) ([0-2][0-9]):([0-5][0-9]):([0-5][0-9]) ([0-9]{4}) GMT$/;
const FINGERPRINT = /^(?:sha256|SHA256) Fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/;
const SERIAL = /^serial=([0-9A-F]{1,64})$/;
/** A distinguished name as printed: printable, no control characters, of a sane length. */
const NAME = /^[^\x00-\x1f\x7f]{1,1024}$/;

/** `Mar  1 12:00:00 2026 GMT` as an instant, or undefined when it is not a real UTC time in that form. */
export function parseOpensslDate(text: string): Date | undefined {
  const match = OPENSSL_DATE.exec(text);
  if (!match) return undefined;
  const [, month, day, hours, minutes, seconds, year] = match as unknown as [string, string, string, string, string, string, string];
  const parts = [Number(year), MONTHS.indexOf(month), Number(day.trim()), Number(hours), Number(minutes), Number(seconds)] as const;
  const date = new Date(Date.UTC(...parts));
  // Date.UTC rolls 31 Feb over into March and 24:00 into the next day: such a date is not one OpenSSL prints.
  const roundTrip = [date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  return roundTrip.every((value, i) => value === parts[i]) ? date : undefined;
}

/** Reads a node probe's standard output; the first line out of place refuses it all. */
export function parseNodeProbeOutput(stdout: string): NodeProbeParse {
  const lines = stdout.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  if (lines[0] !== PROBE_BEGIN) return refused('line 1 is not the probe\'s first line');
  const certificates: CertificateFacts[] = [];
  const absent: Pick<NodeProbeReading, 'missing' | 'unreadable'> = { missing: [], unreadable: [] };
  let at = 1;
  for (const source of NODE_CERTIFICATE_SOURCES) {
    if (lines[at] !== `file=${source}`) return refused(`line ${at + 1} is not the start of the ${source} block`);
    at++;
    if (lines[at] === 'missing' || lines[at] === 'unreadable') {
      absent[lines[at] as 'missing' | 'unreadable'].push(source);
      at++;
      continue;
    }
    const certificate = certificateBlock(lines.slice(at, at + 6), source);
    if (typeof certificate === 'number') return refused(`line ${at + certificate + 1} is not the ${source} certificate's ${BLOCK_FIELDS[certificate]}`);
    certificates.push(certificate);
    at += 6;
  }
  const bootstrap = /^bootstrap-kubeconfig=(present|absent)$/.exec(String(lines[at]));
  if (!bootstrap) return refused(`line ${at + 1} does not say whether the bootstrap kubeconfig exists`);
  if (lines[at + 1] !== PROBE_END || lines.length !== at + 2) return refused(`line ${at + 2} is not the probe's last line`);
  return { ok: true, reading: { certificates, ...absent, bootstrapKubeconfig: bootstrap[1] === 'present' } };
}

const BLOCK_FIELDS = ['subject', 'issuer', 'serial', 'notBefore', 'notAfter', 'SHA-256 fingerprint'] as const;

/** One certificate's six lines as facts, or the index of the first line that is not what it must be. */
function certificateBlock(block: readonly string[], source: NodeCertificateSource): CertificateFacts | number {
  const [subjectLine, issuerLine, serialLine, notBeforeLine, notAfterLine, fingerprintLine] = block;
  const subject = field(subjectLine, 'subject=');
  if (!NAME.test(subject)) return 0;
  const issuer = field(issuerLine, 'issuer=');
  if (!NAME.test(issuer)) return 1;
  const serial = SERIAL.exec(String(serialLine));
  if (!serial) return 2;
  const notBefore = parseOpensslDate(field(notBeforeLine, 'notBefore='));
  if (!notBefore) return 3;
  const notAfter = parseOpensslDate(field(notAfterLine, 'notAfter='));
  if (!notAfter) return 4;
  const fingerprint = FINGERPRINT.exec(String(fingerprintLine));
  if (!fingerprint) return 5;
  return {
    source, subject, issuer, serialNumber: serial[1]!.toLowerCase(), notBefore, notAfter,
    sha256: fingerprint[1]!.replaceAll(':', '').toLowerCase(),
  };
}

/** The value of a `name=value` line, or '' when the line is not that field (or absent): '' is no valid value of any. */
function field(line: string | undefined, prefix: string): string {
  const text = String(line);
  return text.startsWith(prefix) ? text.slice(prefix.length) : '';
}

function refused(problem: string): NodeProbeParse {
  return { ok: false, problem: `the node probe's output is not in the expected form: ${problem}` };
}

/**
 * The standard output in a run-command result (`value[]`): Linux answers one status,
 * `ProvisioningState/succeeded`, whose message is `Enable succeeded: \n[stdout]\n...\n[stderr]\n...`;
 * Windows answers `ComponentStatus/StdOut/succeeded` and `ComponentStatus/StdErr/succeeded`, each message
 * the stream itself. A script that printed anything on its standard error is refused: the scripts print
 * nothing there when they work.
 */
export function runCommandStdout(value: ReadonlyArray<{ code?: string; message?: string }>): { ok: true; stdout: string } | { ok: false; problem: string } {
  const byCode = new Map(value.map((status) => [status.code, status.message ?? '']));
  const windowsOut = byCode.get('ComponentStatus/StdOut/succeeded');
  if (windowsOut !== undefined) {
    return (byCode.get('ComponentStatus/StdErr/succeeded') ?? '').trim() === '' ? { ok: true, stdout: windowsOut } : stderrProblem();
  }
  const linux = byCode.get('ProvisioningState/succeeded');
  if (linux === undefined) return { ok: false, problem: `the run command did not succeed (${value.map((s) => s.code ?? '?').join(', ') || 'no status'})` };
  // The stdout is everything up to the last [stderr] marker; the stderr everything after it.
  const match = /^Enable succeeded: ?\n\[stdout\]\n([\s\S]*)\n\[stderr\]\n/.exec(linux);
  if (!match) return { ok: false, problem: 'the run command\'s message is not in the [stdout]/[stderr] form' };
  return linux.slice(match[0].length).trim() === '' ? { ok: true, stdout: match[1]! } : stderrProblem();
}

function stderrProblem(): { ok: false; problem: string } {
  return { ok: false, problem: 'the node probe wrote to its standard error' };
}
