import { isIP } from 'node:net';
import { parse, stringify } from 'yaml';
import { z } from 'zod';
import type { CertificateFacts } from './certificate.js';
import { RevocationError } from './errors.js';

/**
 * The `RenewRevocation` object of AKS enabled by Azure Arc (docs/rules.md "Revocation", 002): a
 * Kubernetes custom resource (`certificates.microsoft.com/v1`) in `kube-system` whose entries revoke
 * certificates by serial number, group, DNS name or IP address, optionally only those issued before
 * `notBefore`. 002 says to give `notBefore` for every kind but a serial number, so it is required there.
 */
export type RevocationTarget =
  | { kind: 'serialnumber'; serialNumber: string }
  | { kind: 'Group'; group: string }
  | { kind: 'DNS'; dns: string }
  | { kind: 'IP'; ip: string };

export type RevocationKind = RevocationTarget['kind'];

export interface RevocationRequest {
  clusterName: string;
  target: RevocationTarget;
  notBefore?: Date;
  /** When the manifest is written: it names the object, so two revocations never overwrite each other. */
  issuedAt: Date;
}

/** What the target's value is, whatever its kind (the serial number, the group, the DNS name, the IP). */
export function revocationValue(target: RevocationTarget): string {
  switch (target.kind) {
    case 'serialnumber': return target.serialNumber;
    case 'Group': return target.group;
    case 'DNS': return target.dns;
    case 'IP': return target.ip;
  }
}

/**
 * The manifest's shape, as 002's example writes it: what `validateRevocationManifest` holds the text to.
 * Built when asked (its expressions live here, not at module level, so that each is tested in a test).
 */
function renewRevocationSchema() {
  const serial = /^[0-9a-f]+$/;
  // A DNS name (`kubernetes.default.svc.`, a trailing dot allowed) or a suffix (`.cluster.local`), as 002's example.
  const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
  const dns = new RegExp(`^\\.?${label}(\\.${label})*\\.?$`, 'i');
  // 002 writes notBefore to the second in UTC: "2020-04-17T17:22:05Z".
  const notBefore = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'must be a UTC instant to the second (2020-04-17T17:22:05Z)')
    .refine((value) => !Number.isNaN(Date.parse(value)), 'is not a real instant');
  const description = z.string().min(1);
  const entry = z.discriminatedUnion('kind', [
    z.strictObject({ description, kind: z.literal('serialnumber'), notBefore: notBefore.optional(),
      serialNumber: z.string().regex(serial, 'must be the serial number in lower-case hex') }),
    z.strictObject({ description, kind: z.literal('Group'), notBefore, group: z.string().regex(/^\S+$/, 'must be a group name without spaces') }),
    z.strictObject({ description, kind: z.literal('DNS'), notBefore, dns: z.string().max(253).regex(dns, 'must be a DNS name or a suffix starting with a dot') }),
    z.strictObject({ description, kind: z.literal('IP'), notBefore, ip: z.string().refine((value) => isIP(value) !== 0, 'must be an IPv4 or IPv6 address') }),
  ]);
  return z.strictObject({
    apiVersion: z.literal('certificates.microsoft.com/v1'),
    kind: z.literal('RenewRevocation'),
    metadata: z.strictObject({ name: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a Kubernetes object name'), namespace: z.literal('kube-system') }),
    spec: z.strictObject({ description, revocations: z.array(entry).min(1) }),
  });
}

export type RenewRevocation = z.infer<ReturnType<typeof renewRevocationSchema>>;

/** Reads a manifest's YAML and holds it to the shape; a RevocationError names the first field that is wrong. */
export function validateRevocationManifest(yamlText: string): RenewRevocation {
  let document: unknown;
  try {
    document = parse(yamlText);
  } catch (error) {
    throw new RevocationError(`the manifest is not YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = renewRevocationSchema().safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RevocationError(`the manifest's ${issue.path.join('.') || 'document'} ${issue.message}`);
  }
  return parsed.data;
}

const KIND_WORDS: Record<RevocationKind, string> = { serialnumber: 'serial number', Group: 'group', DNS: 'DNS name', IP: 'IP address' };

/** The manifest for one revocation, as YAML ready for `kubectl apply -f -`, checked against the shape before it is returned. */
export function buildRevocationManifest(request: RevocationRequest): { manifest: RenewRevocation; yaml: string } {
  const { target, notBefore } = request;
  if (target.kind !== 'serialnumber' && notBefore === undefined) {
    throw new RevocationError(`--not-before is required to revoke by ${KIND_WORDS[target.kind]}: without it every future certificate matching it is revoked too (AKS Arc certificates overview)`);
  }
  if (notBefore !== undefined && Number.isNaN(notBefore.getTime())) throw new RevocationError('--not-before is not a date-time');
  const entry = {
    description: `Revoked by aks-cert-compliance on ${isoSecond(request.issuedAt)}: ${KIND_WORDS[target.kind]} ${revocationValue(target)}`,
    ...target,
    ...(notBefore ? { notBefore: isoSecond(notBefore) } : {}),
  };
  const document = {
    apiVersion: 'certificates.microsoft.com/v1',
    kind: 'RenewRevocation',
    metadata: { name: objectName(request.clusterName, request.issuedAt), namespace: 'kube-system' },
    spec: { description: `Certificate revocations for ${request.clusterName}`, revocations: [entry] },
  };
  const yaml = stringify(document);
  return { manifest: validateRevocationManifest(yaml), yaml };
}

function isoSecond(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `revocation-<cluster>-<yyyymmddhhmmss>`: a DNS label, so the cluster's name is cut and cleaned to fit. */
function objectName(clusterName: string, issuedAt: Date): string {
  const stamp = isoSecond(issuedAt).replace(/\D/g, '');
  const cluster = clusterName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63 - 'revocation--'.length - stamp.length).replace(/^-+|-+$/g, '');
  return cluster ? `revocation-${cluster}-${stamp}` : `revocation-${stamp}`;
}

/** A serial number as typed (any case, `:` separators, leading zeros), as the certificate facts hold it. */
function normalSerial(hex: string): string {
  return hex.trim().toLowerCase().replace(/:/g, '').replace(/^0+(?=.)/, '');
}

/**
 * The recorded certificate whose serial number `hex` names: the serial is taken from the trail, never
 * typed into the manifest, so only a certificate the trail recorded can be revoked by serial number.
 */
export function recordedCertificateBySerial(certificates: readonly CertificateFacts[], hex: string): CertificateFacts {
  const wanted = normalSerial(hex);
  if (!/^[0-9a-f]+$/.test(wanted)) throw new RevocationError(`--serial ${JSON.stringify(hex)} is not a hexadecimal serial number`);
  const found = certificates.find((c) => normalSerial(c.serialNumber) === wanted);
  if (!found) {
    const known = certificates.map((c) => `${c.serialNumber} (${c.source})`).join(', ') || 'none';
    throw new RevocationError(`--serial ${hex}: no certificate of the cluster's latest record has this serial number (recorded: ${known})`);
  }
  return found;
}
