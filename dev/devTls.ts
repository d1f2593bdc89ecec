/**
 * Development TLS material: a local CA and a server certificate for the loopback addresses.
 *
 * Why: the Azure SDKs refuse to send bearer tokens over plain HTTP, so the ARM simulator must speak
 * TLS, and the SDK must trust it without `rejectUnauthorized: false`. Node trusts the dev CA when
 * `NODE_EXTRA_CA_CERTS` points at `ca.pem` (read once, at process start).
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API before it loads
import * as x509 from '@peculiar/x509';
import {
  createPrivateKey,
  createPublicKey,
  randomBytes,
  webcrypto,
  X509Certificate as NodeX509Certificate,
} from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// Node's webcrypto is a complete WebCrypto implementation; the cast only bridges the DOM `Crypto`
// type that @peculiar/x509's declarations name (this project compiles without the DOM lib).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type WebCryptoKey = webcrypto.CryptoKey;
type WebCryptoKeyPair = webcrypto.CryptoKeyPair;
type PeculiarCryptoKey = Parameters<typeof x509.X509CertificateGenerator.create>[0] extends infer P
  ? P extends { signingKey: infer K }
    ? K
    : never
  : never;

const DAY_MS = 24 * 60 * 60 * 1000;
/** Reuse existing files only when they stay valid at least this long, so a test run never straddles expiry. */
const MIN_REMAINING_VALIDITY_MS = 30 * DAY_MS;
const SERVER_NAMES = { dns: ['localhost'], ip: ['127.0.0.1', '::1'] };

export type KeyAlgorithm = 'ec-p256' | 'ec-p384' | 'rsa-2048' | 'rsa-4096';

export interface CertificateIssuer {
  certPem: string;
  keyPem: string;
}

export interface IssueCertificateOptions {
  /** Distinguished name, e.g. `CN=apiserver, O=system:masters`. */
  subject: string;
  /** Signs the new certificate; absent means self-signed (a root CA, or a throw-away leaf). */
  issuer?: CertificateIssuer;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** A CA certificate (basicConstraints cA, keyCertSign) instead of a leaf. */
  isCa?: boolean;
  /** Leaf usages; default serverAuth. Ignored for CAs. */
  extendedKeyUsages?: Array<'serverAuth' | 'clientAuth'>;
  /** Default: now minus one hour (tolerates small clock differences). Set in the past to age a certificate. */
  notBefore?: Date;
  /** Default: `notBefore` plus `validityDays`. */
  notAfter?: Date;
  /** Used when `notAfter` is absent; default 365. */
  validityDays?: number;
  /** Default `ec-p256`: fast to generate. AKS itself uses RSA, hence the RSA choices. */
  keyAlgorithm?: KeyAlgorithm;
  /** Hex; default 16 random bytes (positive). */
  serialNumber?: string;
}

export interface IssuedCertificate {
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

function keyGenParams(algorithm: KeyAlgorithm): webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams {
  switch (algorithm) {
    case 'ec-p256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ec-p384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'rsa-2048':
    case 'rsa-4096':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: algorithm === 'rsa-2048' ? 2048 : 4096,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
  }
}

/**
 * Imports a PEM private key (PKCS#8, SEC1 or PKCS#1) for WebCrypto signing. Node's KeyObject tells
 * us which algorithm the key is, which WebCrypto needs to be told up front.
 */
async function importSigningKey(keyPem: string): Promise<{ key: WebCryptoKey; signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm }> {
  const keyObject = createPrivateKey(keyPem);
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : undefined;
    if (namedCurve === undefined) throw new Error(`unsupported EC curve for a signing key: ${curve ?? 'unknown'}`);
    const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve }, false, ['sign']);
    return { key, signingAlgorithm: { name: 'ECDSA', hash: namedCurve === 'P-256' ? 'SHA-256' : 'SHA-384' } };
  }
  if (keyObject.asymmetricKeyType === 'rsa') {
    const key = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    return { key, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  throw new Error(`unsupported signing key type: ${keyObject.asymmetricKeyType ?? 'unknown'}`);
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // a DER INTEGER serial must be positive
  return bytes.toString('hex');
}

/**
 * Issues a certificate with a fresh key pair: a CA or a leaf, self-signed or signed by `issuer`.
 * Generic on purpose: the dev server certificate, the simulator's API-server certificates and demo
 * cluster CAs are all made with it.
 */
export async function issueCertificate(options: IssueCertificateOptions): Promise<IssuedCertificate> {
  const keyAlgorithm = options.keyAlgorithm ?? 'ec-p256';
  const keys = (await webcrypto.subtle.generateKey(keyGenParams(keyAlgorithm), true, ['sign', 'verify'])) as WebCryptoKeyPair;
  const notBefore = options.notBefore ?? new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = options.notAfter ?? new Date(notBefore.getTime() + (options.validityDays ?? 365) * DAY_MS);

  const extensions: x509.Extension[] = [];
  if (options.isCa) {
    extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true));
  } else {
    extensions.push(new x509.BasicConstraintsExtension(false, undefined, true));
    // RSA TLS key exchange needs keyEncipherment; ECDSA keys only sign.
    const rsa = keyAlgorithm.startsWith('rsa');
    extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0), true));
    const usages = options.extendedKeyUsages ?? ['serverAuth'];
    extensions.push(new x509.ExtendedKeyUsageExtension(usages.map((u) => x509.ExtendedKeyUsage[u])));
  }
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const publicKey = keys.publicKey as unknown as PeculiarCryptoKey;
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicKey));

  let certificate: x509.X509Certificate;
  const serialNumber = options.serialNumber ?? randomSerial();
  if (options.issuer === undefined) {
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: options.subject,
      issuer: options.subject,
      notBefore,
      notAfter,
      extensions,
      publicKey,
      signingKey: keys.privateKey as unknown as PeculiarCryptoKey,
      signingAlgorithm: keyAlgorithm.startsWith('rsa') ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: keyAlgorithm === 'ec-p384' ? 'SHA-384' : 'SHA-256' },
    });
  } else {
    const issuerCert = new x509.X509Certificate(options.issuer.certPem);
    // Chain building (OpenSSL) matches authorityKeyIdentifier to the issuer's subjectKeyIdentifier.
    const issuerSki =
      issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ??
      (await x509.SubjectKeyIdentifierExtension.create(issuerCert.publicKey)).keyId;
    extensions.push(new x509.AuthorityKeyIdentifierExtension(issuerSki));
    const signer = await importSigningKey(options.issuer.keyPem);
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject: options.subject,
      issuer: issuerCert.subject,
      notBefore,
      notAfter,
      extensions,
      publicKey,
      signingKey: signer.key as unknown as PeculiarCryptoKey,
      signingAlgorithm: signer.signingAlgorithm,
    });
  }
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certPem: certificate.toString('pem') + '\n',
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n',
  };
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
    if (!SERVER_NAMES.dns.every((name) => server.checkHost(name) !== undefined)) return false;
    return SERVER_NAMES.ip.every((ip) => server.checkIP(ip) !== undefined);
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
  const ca = await issueCertificate({
    subject: 'CN=aks-cert-compliance dev CA, O=aks-cert-compliance (local development only)',
    isCa: true,
    validityDays: 3650,
  });
  const server = await issueCertificate({
    subject: 'CN=localhost, O=aks-cert-compliance (local development only)',
    issuer: { certPem: ca.certPem, keyPem: ca.keyPem },
    dnsNames: SERVER_NAMES.dns,
    ipAddresses: SERVER_NAMES.ip,
    validityDays: 397,
  });
  // Keys first, certificates last: a reader that sees the new certificates also finds their keys.
  await writeAtomically(paths.caKey, ca.keyPem, 0o600);
  await writeAtomically(paths.key, server.keyPem, 0o600);
  await writeAtomically(paths.ca, ca.certPem, 0o644);
  await writeAtomically(paths.cert, server.certPem, 0o644);
  return { caPath: paths.ca, caPem: ca.certPem, caKeyPem: ca.keyPem, certPem: server.certPem, keyPem: server.keyPem };
}
