/**
 * Development TLS material: a local CA and a server certificate for the loopback addresses.
 *
 * Why: the Azure SDKs refuse to send bearer tokens over plain HTTP, so the ARM simulator must speak
 * TLS, and the SDK must trust it without `rejectUnauthorized: false`. Node trusts the dev CA when
 * `NODE_EXTRA_CA_CERTS` points at `ca.pem` (read once, at process start).
 */
import { createPrivateKey, createPublicKey, randomBytes, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DAY_MS,
  createCaCertificate,
  createLeafCertificate,
  generateKey,
  type CertificateAuthority,
} from './certificates.js';

/** Reuse existing files only when they stay valid at least this long, so a test run never straddles expiry. */
const MIN_REMAINING_VALIDITY_MS = 30 * DAY_MS;
const SERVER_NAMES = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] };
const ORGANIZATION = 'O=aks-cert-compliance (local development only)';

interface PemCertificate {
  certPem: string;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  keyPem: string;
}

export interface DevTls {
  /** Path of the CA certificate: the value for `NODE_EXTRA_CA_CERTS`. */
  caPath: string;
  caPem: string;
  /** The CA's private key, so other dev tools can issue certificates that chain to the same trust. */
  caKeyPem: string;
  /** Server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
  certPem: string;
  keyPem: string;
}

/** From an hour ago (tolerates small clock differences) for `days` days. */
function validity(days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

async function issueServerCertificate(
  ca: CertificateAuthority,
  options: { subject: string; dnsNames?: string[]; ipAddresses?: string[] },
  validityDays: number,
): Promise<PemCertificate> {
  const key = await generateKey('ec');
  const { pem } = await createLeafCertificate({ ...options, ...validity(validityDays), key, issuer: ca, usage: 'server' });
  return { certPem: pem, keyPem: key.privateKeyPem };
}

interface DevTlsFiles {
  caPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

/** True when the stored material is complete, consistent and valid long enough to reuse. */
function isReusable(files: DevTlsFiles, now: number): boolean {
  try {
    const ca = new NodeX509Certificate(files.caPem);
    const server = new NodeX509Certificate(files.certPem);
    const minValidTo = now + MIN_REMAINING_VALIDITY_MS;
    if (!ca.ca || Date.parse(ca.validTo) < minValidTo || Date.parse(server.validTo) < minValidTo) return false;
    if (Date.parse(ca.validFrom) > now || Date.parse(server.validFrom) > now) return false;
    if (!ca.checkPrivateKey(createPrivateKey(files.caKeyPem))) return false;
    if (!server.checkPrivateKey(createPrivateKey(files.keyPem))) return false;
    if (!server.verify(createPublicKey(files.caPem))) return false;
    if (!SERVER_NAMES.dnsNames.every((name) => server.checkHost(name) !== undefined)) return false;
    return SERVER_NAMES.ipAddresses.every((ip) => server.checkIP(ip) !== undefined);
  } catch {
    return false; // unreadable or garbled: regenerate
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write then rename, so a concurrent reader never sees half a PEM file. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode });
  await rename(temporary, path);
}

/**
 * Makes sure `dir` holds a dev CA (`ca.pem`, `ca.key`) and a server certificate (`server.pem`,
 * `server.key`) for 127.0.0.1, ::1 and localhost, reusing existing files when they are valid for at
 * least 30 more days. Private keys are written with mode 0600.
 */
export async function ensureDevTls(dir: string): Promise<DevTls> {
  const paths = {
    ca: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server.key'),
  };
  const [caPem, caKeyPem, certPem, keyPem] = await Promise.all([
    readIfPresent(paths.ca),
    readIfPresent(paths.caKey),
    readIfPresent(paths.cert),
    readIfPresent(paths.key),
  ]);
  if (caPem !== undefined && caKeyPem !== undefined && certPem !== undefined && keyPem !== undefined) {
    const existing = { caPem, caKeyPem, certPem, keyPem };
    if (isReusable(existing, Date.now())) return { caPath: paths.ca, ...existing };
  }

  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createCaCertificate({
    key: await generateKey('ec'),
    subject: `CN=aks-cert-compliance dev CA, ${ORGANIZATION}`,
    ...validity(3650),
  });
  const server = await issueServerCertificate(ca, { subject: `CN=localhost, ${ORGANIZATION}`, ...SERVER_NAMES }, 397);
  // Keys first, certificates last: a reader that sees the new certificates also finds their keys.
  await writeAtomically(paths.caKey, ca.key.privateKeyPem, 0o600);
  await writeAtomically(paths.key, server.keyPem, 0o600);
  await writeAtomically(paths.ca, ca.pem, 0o644);
  await writeAtomically(paths.cert, server.certPem, 0o644);
  return { caPath: paths.ca, caPem: ca.pem, caKeyPem: ca.key.privateKeyPem, ...server };
}
