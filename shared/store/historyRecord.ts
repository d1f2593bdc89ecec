import type { ClusterVerdict } from '../domain/verdict.js';
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

export type HistoryRecord = VerdictRecord | DeletionRecord;

/** SHA-256 of the record's canonical content, previous hash included: editing any record breaks the chain after it. */
export function historyRecordHash(record: HistoryRecord): string {
  return sha256Hex(canonicalJson(record));
}
