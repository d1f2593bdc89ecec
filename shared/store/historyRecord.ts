import type { ClusterVerdict } from '../domain/verdict.js';
import { canonicalJson, sha256Hex } from './canonicalJson.js';

/** One verdict in the audit trail, chained to the cluster's previous record by hash. */
export interface HistoryRecord {
  clusterId: string;
  scanId: string;
  recordedAt: Date;
  verdict: ClusterVerdict;
  /** Hash of the cluster's previous history record; empty for the first. */
  previousHash: string;
}

/** SHA-256 of the record's canonical content, previous hash included: editing any record breaks the chain after it. */
export function historyRecordHash(record: HistoryRecord): string {
  return sha256Hex(canonicalJson(record));
}
