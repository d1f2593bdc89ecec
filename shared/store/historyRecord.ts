import type { ClusterVerdict } from '../domain/verdict.js';
import type { RotationStep } from '../rotation/orchestratorPorts.js';
import { canonicalJson, sha256Hex } from './canonicalJson.js';

interface ChainedRecord {
  clusterId: string;
  subscriptionId: string;
  recordedAt: Date;
  /** Hash of the cluster's previous history record; empty for the first. */
  previousHash: string;
}

/** A verdict in the audit trail, chained to the cluster's previous record by hash. */
export interface VerdictRecord extends ChainedRecord {
  kind: 'verdict';
  scanId: string;
  verdict: ClusterVerdict;
}

/** The cluster's deletion, seen in an event: history is kept, the latest state is removed. */
export interface DeletionRecord extends ChainedRecord {
  kind: 'deleted';
  /** The event that reported it (idempotency: a redelivered event lands on the same row). */
  eventId: string;
  /** When ARM deleted it (the event's time). */
  deletedAt: Date;
}

/** A step of a certificate rotation (store/rotationRecords.ts): started, succeeded (verified or not), failed. */
export interface RotationEventRecord extends ChainedRecord, RotationStep {
  kind: 'rotation';
}

/**
 * A certificate revocation an operator issued for an AKS enabled by Azure Arc cluster (`akscert
 * revocation`): what the RenewRevocation manifest revokes, never the manifest's secrets (it has none).
 */
export interface RevocationRecord extends ChainedRecord {
  kind: 'revocation';
  event: 'REVOCATION_ISSUED';
  /** Names the row (idempotency: a retry of the same revocation lands on the same row). */
  revocationId: string;
  /** The manifest entry's kind: `serialnumber`, `Group`, `DNS` or `IP`. */
  revocationKind: string;
  /** The serial number (taken from the recorded certificate), group, DNS name or IP address. */
  value: string;
  /** The entry's notBefore (ISO, to the second), '' when none. */
  notBefore: string;
  /** SHA-256 of the recorded certificate revoked by serial number; '' for the other kinds. */
  certificate: string;
  /** The RenewRevocation object's `metadata.name`, and the SHA-256 of the YAML printed. */
  manifestName: string;
  manifestSha256: string;
  /** Who issued it (never a token). */
  actor: string;
}

export type HistoryRecord = VerdictRecord | DeletionRecord | RotationEventRecord | RevocationRecord;

/** SHA-256 of the record's canonical content, previous hash included: editing any record breaks the chain after it. */
export function historyRecordHash(record: HistoryRecord): string {
  return sha256Hex(canonicalJson(record));
}
