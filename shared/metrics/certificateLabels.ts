import 'reflect-metadata'; // @peculiar/x509 needs the Reflect metadata API before it loads
import { Name } from '@peculiar/x509';
import type { CertificateFacts } from '../domain/certificate.js';

/**
 * The distinguished-name fields the x509-certificate-exporter puts in its labels, in its order
 * (enix/x509-certificate-exporter pkg/registry/labels.go `fieldsAll`): `subject_C` ... `subject_CN`,
 * `issuer_C` ... `issuer_CN`, each the field's first value, empty when the name has none.
 */
export const DN_FIELDS = ['C', 'ST', 'L', 'O', 'OU', 'CN'] as const;

export const CERTIFICATE_LABEL_NAMES = [
  'serial_number',
  ...DN_FIELDS.map((field) => `subject_${field}` as const),
  ...DN_FIELDS.map((field) => `issuer_${field}` as const),
] as const;

export type CertificateLabels = Record<(typeof CERTIFICATE_LABEL_NAMES)[number], string>;

/** The exporter's per-certificate labels of one certificate, read from the facts the trail recorded. */
export function certificateLabels(certificate: Pick<CertificateFacts, 'subject' | 'issuer' | 'serialNumber'>): CertificateLabels {
  const subject = nameFields(certificate.subject);
  const issuer = nameFields(certificate.issuer);
  const labels: Record<string, string> = { serial_number: decimalSerial(certificate.serialNumber) };
  for (const field of DN_FIELDS) {
    labels[`subject_${field}`] = subject(field);
    labels[`issuer_${field}`] = issuer(field);
  }
  return labels as CertificateLabels;
}

/**
 * The exporter labels serials in decimal (Go's `big.Int.String()`); the trail keeps them in hex as
 * @peculiar/x509 reads them. A value that is not hex is labelled as stored rather than dropped.
 */
export function decimalSerial(hex: string): string {
  return /^[0-9a-fA-F]+$/.test(hex) ? BigInt(`0x${hex}`).toString(10) : hex;
}

/** A field of a name as @peculiar/x509 wrote it (`CN=apiserver, O=system:masters`); '' when absent or unreadable. */
function nameFields(text: string): (field: string) => string {
  let name: Name | undefined;
  try {
    name = new Name(text);
  } catch {
    name = undefined;
  }
  return (field) => name?.getField(field)[0] ?? '';
}
