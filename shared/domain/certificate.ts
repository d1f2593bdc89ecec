import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API before it loads
import { createHash } from 'node:crypto';
import { X509Certificate } from '@peculiar/x509';

/** Where a certificate was read (the JSON report's `certificates[].source`). */
export type CertificateSource = 'cluster-ca' | 'client' | 'apiserver' | 'custom-ca';

/** Certificates that `rotateClusterCertificates` renews, so the maximum-age rule applies (reference/001). */
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

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Facts of one DER-encoded certificate; throws when the bytes are not a certificate. */
export function certificateFactsFromDer(der: Uint8Array, source: CertificateSource): CertificateFacts {
  const certificate = new X509Certificate(der);
  return {
    source,
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    sha256: createHash('sha256').update(der).digest('hex'),
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
  // reference/000: "files with CAs don't have CRLF line breaks"
  if (text.includes('\r\n')) return { ok: false, problem: 'the PEM has CRLF line breaks, which AKS does not accept' };
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length === 0) return { ok: false, problem: 'the PEM holds no complete CERTIFICATE block' };
  const certificates: CertificateFacts[] = [];
  for (const [index, block] of blocks.entries()) {
    const body = (block[1] ?? '').replace(/\s+/g, '');
    try {
      if (!/^[A-Za-z0-9+/]+=*$/.test(body)) throw new Error('not base64');
      certificates.push(certificateFactsFromDer(Buffer.from(body, 'base64'), source));
    } catch {
      return { ok: false, problem: `PEM block ${index + 1} is not a valid certificate` };
    }
  }
  return { ok: true, certificates };
}
