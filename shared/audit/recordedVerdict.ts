import { StoredRowError } from '../domain/errors.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { dateOf, textOf, type TableRow } from './tableRows.js';
import { readChunkedProperty } from '../store/tableKeys.js';

/**
 * A verdict as the trail recorded it: the JSON report's cluster entry (a contract: docs/architecture.md), plus when
 * it was recorded, by which scan, and the hash of its history row (the evidence an auditor can check).
 */
export interface RecordedVerdict extends ClusterVerdict {
  recordedAt: Date;
  scanId: string;
  hash: string;
}

/** The verdict JSON of a row; certificate dates come back as Dates, as the verdict type says. */
export function verdictFromJson(json: string): ClusterVerdict {
  const verdict = JSON.parse(json) as ClusterVerdict;
  for (const certificate of verdict.certificates ?? []) {
    certificate.notBefore = new Date(certificate.notBefore);
    certificate.notAfter = new Date(certificate.notAfter);
  }
  if (verdict.lastSeenAt !== undefined) verdict.lastSeenAt = new Date(verdict.lastSeenAt);
  if (verdict.evidence !== undefined) verdict.evidence.readAt = new Date(verdict.evidence.readAt);
  if (verdict.nodeProbe !== undefined) verdict.nodeProbe.probedAt = new Date(verdict.nodeProbe.probedAt);
  return verdict;
}

/** A ClusterState or history verdict row as a RecordedVerdict; throws StoredRowError naming the row when it cannot. */
export function recordedVerdictFromRow(row: TableRow): RecordedVerdict {
  const where = `row ${row.partitionKey}/${row.rowKey}`;
  const json = readChunkedProperty(row, 'verdictJson');
  const recordedAt = dateOf(row, 'recordedAt');
  if (json === undefined) throw new StoredRowError(`${where}: "verdictJson" is missing`);
  if (!recordedAt) throw new StoredRowError(`${where}: "recordedAt" is not a date`);
  let verdict: ClusterVerdict;
  try {
    verdict = verdictFromJson(json);
  } catch {
    throw new StoredRowError(`${where}: "verdictJson" is not valid JSON`);
  }
  return { ...verdict, recordedAt, scanId: textOf(row, 'scanId'), hash: textOf(row, 'hash') };
}
