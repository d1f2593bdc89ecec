import { z } from 'zod';
import type { RecordedEvidence } from '../domain/carryEvidence.js';
import type { CertificateSource } from '../domain/certificate.js';
import type { UnavailableSource } from '../domain/verdict.js';

/** The ClusterState column that holds the certificate evidence of the latest verdict (warm scans). */
export const EVIDENCE_COLUMN = 'evidenceJson';

/**
 * One string property holds 64 KiB (32K UTF-16 characters); evidence longer than this is not kept
 * (the cluster is then read in full every scan) rather than split over columns a query cannot name.
 */
const EVIDENCE_MAX_CHARS = 30_000;

const CERTIFICATE_SOURCES = ['cluster-ca', 'client', 'apiserver', 'custom-ca'] as const satisfies readonly CertificateSource[];

const evidenceSchema = z.object({
  schemaVersion: z.literal(1),
  fingerprint: z.string().min(1),
  readAt: z.iso.datetime().transform((text) => new Date(text)),
  apiServerProbed: z.boolean(),
  certificates: z.array(z.object({
    source: z.enum(CERTIFICATE_SOURCES),
    subject: z.string(),
    issuer: z.string(),
    serialNumber: z.string(),
    notBefore: z.iso.datetime().transform((text) => new Date(text)),
    notAfter: z.iso.datetime().transform((text) => new Date(text)),
    sha256: z.string(),
  })),
  unavailable: z.array(z.object({ source: z.string(), reason: z.string(), message: z.string() })),
});

/** The column's value for the evidence, or nothing when it is too long to keep in one property. */
export function evidenceColumn(evidence: RecordedEvidence | undefined): Record<string, string> {
  if (!evidence) return {};
  const text = JSON.stringify({ schemaVersion: 1, ...evidence });
  return text.length <= EVIDENCE_MAX_CHARS ? { [EVIDENCE_COLUMN]: text } : {};
}

/**
 * The evidence a state row's column holds, parsed here when a scan asks for it (the states keep the
 * text, far smaller than its parse); undefined for anything it does not recognise: that cluster is read in full.
 */
export function evidenceOfText(text: string): RecordedEvidence | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = evidenceSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { schemaVersion: _, ...evidence } = parsed.data;
  return { ...evidence, unavailable: evidence.unavailable as UnavailableSource[] };
}
