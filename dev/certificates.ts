/**
 * The one place that builds X.509 material (for the demo fleet, the tests and the dev TLS CA): key
 * pairs, a self-signed CA, and leaf certificates signed by it, generated with @peculiar/x509 on
 * Node's WebCrypto. ECDSA P-256 by default (a few ms each); RSA 2048 is available for the odd
 * certificate that should look like an older AKS one (~150 ms).
 *
 * X.509 encodes times to the second, so every date is rounded here explicitly (floor by default)
 * rather than leaving it to the encoder; boundary fixtures pick `ceil` where they need to.
 */
import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API before it loads
import * as x509 from '@peculiar/x509';
import { createHash, createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';

// Node's webcrypto is a complete WebCrypto implementation; the cast only bridges the DOM `Crypto`
// type that @peculiar/x509's declarations name (this project compiles without the DOM lib).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export const DAY_MS = 86_400_000;

export type KeyKind = 'ec' | 'rsa';

export interface KeyMaterial {
  kind: KeyKind;
  keys: webcrypto.CryptoKeyPair;
  /** The public key as SubjectPublicKeyInfo DER (exported once: @peculiar/x509 takes it as is). */
  spki: ArrayBuffer;
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), ending with a newline. */
  privateKeyPem: string;
}

export interface IssuedCertificate {
  certificate: x509.X509Certificate;
  /** PEM text with LF line breaks, ending with a newline. */
  pem: string;
  der: Uint8Array;
}

export interface CertificateAuthority extends IssuedCertificate {
  key: KeyMaterial;
  /** The authorityKeyIdentifier extension for the certificates it signs (computed once). */
  authorityKeyIdentifier: x509.Extension;
}

const EC_GEN: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const RSA_GEN: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

function signingAlgorithm(kind: KeyKind): webcrypto.Algorithm & { hash: string } {
  return kind === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

type X509Key = Parameters<typeof x509.X509CertificateGenerator.create>[0] extends infer P
  ? P extends { signingKey: infer K }
    ? K
    : never
  : never;

export async function generateKey(kind: KeyKind = 'ec'): Promise<KeyMaterial> {
  const keys = (await webcrypto.subtle.generateKey(kind === 'ec' ? EC_GEN : RSA_GEN, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const [pkcs8, spki] = await Promise.all([
    webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    webcrypto.subtle.exportKey('spki', keys.publicKey),
  ]);
  return { kind, keys, spki, privateKeyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n` };
}

/**
 * Imports a PEM private key (PKCS#8, SEC1 or PKCS#1; EC P-256 or RSA) for signing. Node's KeyObject
 * tells us which algorithm the key is, which WebCrypto needs to be told up front.
 */
async function importKey(privateKeyPem: string): Promise<KeyMaterial> {
  const keyObject = createPrivateKey(privateKeyPem);
  const type = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  if (type !== 'rsa' && !(type === 'ec' && curve === 'prime256v1')) {
    throw new Error(`unsupported signing key: ${type ?? 'unknown'}${curve ? ` ${curve}` : ''}`);
  }
  const kind: KeyKind = type === 'ec' ? 'ec' : 'rsa';
  const params = kind === 'ec' ? EC_GEN : RSA_GEN;
  const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'der' });
  const spkiDer = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  const spki = spkiDer.buffer.slice(spkiDer.byteOffset, spkiDer.byteOffset + spkiDer.byteLength) as ArrayBuffer;
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']),
    webcrypto.subtle.importKey('spki', spki, params, true, ['verify']),
  ]);
  return { kind, keys: { privateKey, publicKey }, spki, privateKeyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n` };
}

export function floorToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export function ceilToSecond(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / 1000) * 1000);
}

/** A positive, random 16-byte serial number in hex. */
export function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f | 0x10;
  return bytes.toString('hex');
}

let tokenPool = Buffer.alloc(0);
let tokenOffset = 0;

/** A random 64-hex bearer token, like the `token` in an AKS kubeconfig. */
export function randomToken(): string {
  if (tokenOffset + 32 > tokenPool.length) {
    tokenPool = randomBytes(32 * 1024);
    tokenOffset = 0;
  }
  const token = tokenPool.toString('hex', tokenOffset, tokenOffset + 32);
  tokenOffset += 32;
  return token;
}

function issued(certificate: x509.X509Certificate): IssuedCertificate {
  return {
    certificate,
    pem: `${certificate.toString('pem').replace(/\r\n/g, '\n')}\n`,
    der: new Uint8Array(certificate.rawData),
  };
}

export interface CaOptions {
  key: KeyMaterial;
  /** Distinguished name, e.g. `CN=ca` (the AKS Cluster CA). */
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** A self-signed CA certificate (basicConstraints CA:true, keyCertSign|cRLSign). */
export async function createCaCertificate(options: CaOptions): Promise<CertificateAuthority> {
  const { key } = options;
  const [subjectKeyIdentifier, authorityKeyIdentifier] = await Promise.all([
    x509.SubjectKeyIdentifierExtension.create(key.spki),
    x509.AuthorityKeyIdentifierExtension.create(key.spki),
  ]);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: options.subject,
    notBefore: floorToSecond(options.notBefore),
    notAfter: floorToSecond(options.notAfter),
    publicKey: key.spki,
    signingKey: key.keys.privateKey as unknown as X509Key,
    signingAlgorithm: signingAlgorithm(key.kind),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      subjectKeyIdentifier,
    ],
  });
  return { ...issued(certificate), key, authorityKeyIdentifier };
}

/** A CA from PEM files (the dev CA), ready to sign leaves with `createLeafCertificate`. */
export async function loadCertificateAuthority(certificatePem: string, privateKeyPem: string): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(certificatePem);
  const key = await importKey(privateKeyPem);
  // Chain building (OpenSSL) matches authorityKeyIdentifier to the issuer's subjectKeyIdentifier.
  const keyId = certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const authorityKeyIdentifier =
    keyId === undefined ? await x509.AuthorityKeyIdentifierExtension.create(key.spki) : new x509.AuthorityKeyIdentifierExtension(keyId);
  return { ...issued(certificate), key, authorityKeyIdentifier };
}

export interface LeafOptions {
  key: KeyMaterial;
  issuer: CertificateAuthority;
  subject: string;
  notBefore: Date;
  notAfter: Date;
  usage: 'client' | 'server';
  dnsNames?: string[];
  ipAddresses?: string[];
}

/** A leaf certificate signed by `issuer` (clientAuth or serverAuth, with SANs for servers). */
export async function createLeafCertificate(options: LeafOptions): Promise<IssuedCertificate> {
  const { key, issuer } = options;
  // RSA TLS key exchange needs keyEncipherment; ECDSA keys only sign.
  const usageFlags =
    key.kind === 'rsa'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usageFlags, true),
    new x509.ExtendedKeyUsageExtension(
      [options.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth],
      false,
    ),
    issuer.authorityKeyIdentifier,
    await x509.SubjectKeyIdentifierExtension.create(key.spki),
  ];
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: issuer.certificate.subject,
    notBefore: floorToSecond(options.notBefore),
    notAfter: floorToSecond(options.notAfter),
    publicKey: key.spki,
    signingKey: issuer.key.keys.privateKey as unknown as X509Key,
    signingAlgorithm: signingAlgorithm(issuer.key.kind),
    extensions,
  });
  return issued(certificate);
}

/** Base64 of a string's UTF-8 bytes, or of raw bytes. */
export function base64(data: string | Uint8Array): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64');
}

/** `n` hex characters derived from a seed: stable across runs. */
export function stableHex(seed: string, n: number): string {
  let out = '';
  let counter = 0;
  while (out.length < n) out += createHash('sha256').update(`${seed}#${counter++}`).digest('hex');
  return out.slice(0, n);
}

/** A stable, version-4-shaped GUID derived from a seed. */
export function stableGuid(seed: string): string {
  const h = stableHex(seed, 32);
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
