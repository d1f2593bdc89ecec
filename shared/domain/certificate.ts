import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API before it loads
import { createHash } from 'node:crypto';
import { X509Certificate } from '@peculiar/x509';
import { LruMap } from './lruMap.js';

/** Where a certificate was read (the JSON report's `certificates[].source`). */
export type CertificateSource = 'cluster-ca' | 'client' | 'apiserver' | 'custom-ca' | 'kubelet-client' | 'kubelet-serving' | 'node-apiserver';

/** Certificates that `rotateClusterCertificates` renews, so the maximum-age rule applies (AKS certificate rotation, docs/rules.md 001). */
export const CLUSTER_ROTATED_SOURCES: readonly CertificateSource[] = ['cluster-ca', 'client', 'apiserver'];

export interface CertificateFacts {
  source: CertificateSource;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER encoding, hex: the certificate's identity in findings and the store. */
  sha256: string;
}

export type CertificateReading =
  | { ok: true; certificates: CertificateFacts[] }
  | { ok: false; problem: string };

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';

type ParsedFacts = Omit<CertificateFacts, 'source'>;

/**
 * Distinct certificates remembered: a fleet shares its CAs, custom CA bundles and often leaves, and
 * parsing costs about a millisecond a certificate. The facts are a pure function of the bytes, so the
 * memo changes no result; it is bounded, so memory does not grow with the fleet.
 */
export const PARSED_CERTIFICATES_HELD = 4096;
const parsedCertificates = new LruMap<string, ParsedFacts>(PARSED_CERTIFICATES_HELD);

/** Facts of one DER-encoded certificate; throws when the bytes are not a certificate. */
export function certificateFactsFromDer(der: Uint8Array, source: CertificateSource): CertificateFacts {
  const sha256 = createHash('sha256').update(der).digest('hex');
  const facts = parsedCertificates.getOrCompute(sha256, () => parseDer(der, sha256));
  // Fresh dates: a caller that changed one would otherwise change the memo.
  return { source, ...facts, notBefore: new Date(facts.notBefore), notAfter: new Date(facts.notAfter) };
}

function parseDer(der: Uint8Array, sha256: string): ParsedFacts {
  const certificate = new X509Certificate(der);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    sha256,
  };
}

/**
 * Reads the certificates in some bytes: PEM text (one or more blocks) or DER. Says what is wrong
 * instead of throwing, in words safe to show (never the bytes themselves).
 */
export function readCertificates(bytes: Uint8Array, source: CertificateSource): CertificateReading {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN')) return readPem(text, source);
  try {
    return { ok: true, certificates: [certificateFactsFromDer(bytes, source)] };
  } catch {
    if (/^[A-Za-z0-9+/=\s]+$/.test(text) && Buffer.from(text, 'base64').toString('latin1').includes('-----BEGIN')) {
      return { ok: false, problem: 'the certificate is base64-encoded PEM text; AKS expects the PEM itself, not base64 of it' };
    }
    return { ok: false, problem: `the ${bytes.length} bytes are neither a PEM nor a DER certificate` };
  }
}

function readPem(text: string, source: CertificateSource): CertificateReading {
  // AKS custom CA (docs/rules.md 000): "files with CAs don't have CRLF line breaks"
  if (text.includes('\r\n')) return { ok: false, problem: 'the PEM has CRLF line breaks, which AKS does not accept' };
  // Each BEGIN line starts a block that must end with its END line: a block cut short (a truncated
  // copy, a bundle missing its last line) is an error, never a bundle of the complete blocks before it.
  const blocks = text.split(PEM_BEGIN).slice(1);
  if (blocks.length === 0) return { ok: false, problem: 'the PEM holds no CERTIFICATE block' };
  const certificates: CertificateFacts[] = [];
  for (const [index, block] of blocks.entries()) {
    const end = block.indexOf(PEM_END);
    if (end === -1) return { ok: false, problem: `PEM block ${index + 1} is incomplete: it has no END CERTIFICATE line` };
    const body = block.slice(0, end).replace(/\s/g, '');
    // Node's base64 decoder skips characters that are not base64: a body holding any is refused here.
    if (!/^[A-Za-z0-9+/]+=*$/.test(body)) return notACertificate(index);
    try {
      certificates.push(certificateFactsFromDer(Buffer.from(body, 'base64'), source));
    } catch {
      return notACertificate(index);
    }
  }
  return { ok: true, certificates };
}

function notACertificate(index: number): CertificateReading {
  return { ok: false, problem: `PEM block ${index + 1} is not a valid certificate` };
}
