import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import { StoredRowError } from '../domain/errors.js';
import { distinctCodes } from '../domain/findings.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { historyRecordHash, type HistoryRecord, type RevocationRecord, type RotationEventRecord } from './historyRecord.js';
import { chunkedProperty, clusterKey, readChunkedProperty, subscriptionKey } from './tableKeys.js';

/** A history row as Table Storage returns it. */
export type HistoryEntity = TableEntityResult<Record<string, unknown>>;

/**
 * Rebuilds the record a history row was written from, exactly, so that its hash can be recomputed
 * (`verify`) and its verdict read (reports). Throws StoredRowError naming the row when it cannot.
 */
export function historyRecordFromEntity(entity: HistoryEntity): HistoryRecord {
  const where = `history row ${entity.partitionKey}/${entity.rowKey}`;
  const text = (name: string) => {
    const value = entity[name];
    if (typeof value !== 'string') throw new StoredRowError(`${where}: "${name}" is missing`);
    return value;
  };
  const date = (name: string) => {
    const value = entity[name];
    const parsed = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    if (!parsed || Number.isNaN(parsed.getTime())) throw new StoredRowError(`${where}: "${name}" is not a date`);
    return parsed;
  };
  const common = {
    clusterId: text('clusterId'),
    subscriptionId: text('subscriptionId'),
    recordedAt: date('recordedAt'),
    previousHash: typeof entity['previousHash'] === 'string' ? entity['previousHash'] : '',
  };
  if (entity['kind'] === 'deleted') return { kind: 'deleted', ...common, eventId: text('eventId'), deletedAt: date('deletedAt') };
  if (entity['kind'] === 'rotation') return rotationRecordFromEntity(entity, common, text);
  if (entity['kind'] === 'revocation') return revocationRecordFromEntity(entity, common, text);
  if (entity['kind'] !== 'verdict') throw new StoredRowError(`${where}: unknown kind ${JSON.stringify(entity['kind'])}`);
  const json = readChunkedProperty(entity, 'verdictJson');
  if (json === undefined) throw new StoredRowError(`${where}: "verdictJson" is missing`);
  let verdict: ClusterVerdict;
  try {
    verdict = reviveDates(JSON.parse(json)) as ClusterVerdict;
  } catch {
    throw new StoredRowError(`${where}: "verdictJson" is not valid JSON`);
  }
  return { kind: 'verdict', ...common, scanId: text('scanId'), verdict };
}

const ROTATION_EVENTS = new Set(['ROTATION_STARTED', 'ROTATION_SUCCEEDED', 'ROTATION_FAILED']);

function rotationRecordFromEntity(entity: HistoryEntity, common: Omit<RotationEventRecord, 'kind' | 'event' | 'rotationId' | 'attempt' | 'operationId' | 'reasons' | 'actor' | 'message' | 'refreshCommand'>, text: (name: string) => string): RotationEventRecord {
  const where = `history row ${entity.partitionKey}/${entity.rowKey}`;
  const event = text('event');
  if (!ROTATION_EVENTS.has(event)) throw new StoredRowError(`${where}: unknown rotation event ${JSON.stringify(event)}`);
  const attempt = entity['attempt'];
  if (typeof attempt !== 'number' || !Number.isInteger(attempt)) throw new StoredRowError(`${where}: "attempt" is not a number`);
  const reasons = text('reasons');
  return {
    kind: 'rotation', ...common, event: event as RotationEventRecord['event'], rotationId: text('rotationId'), attempt,
    operationId: text('operationId'), reasons: reasons ? reasons.split(',') : [], actor: text('actor'), message: text('message'), refreshCommand: text('refreshCommand'),
  };
}

const REVOCATION_FIELDS = ['revocationId', 'revocationKind', 'value', 'notBefore', 'certificate', 'manifestName', 'manifestSha256', 'actor'] as const;

function revocationRecordFromEntity(entity: HistoryEntity, common: Pick<RevocationRecord, 'clusterId' | 'subscriptionId' | 'recordedAt' | 'previousHash'>, text: (name: string) => string): RevocationRecord {
  const event = text('event');
  if (event !== 'REVOCATION_ISSUED') throw new StoredRowError(`history row ${entity.partitionKey}/${entity.rowKey}: unknown revocation event ${JSON.stringify(event)}`);
  const fields = Object.fromEntries(REVOCATION_FIELDS.map((name) => [name, text(name)])) as Record<(typeof REVOCATION_FIELDS)[number], string>;
  return { kind: 'revocation', ...common, event, ...fields };
}

/** Certificate validity dates come back from JSON as strings; the verdict type holds Dates. */
function reviveDates(verdict: ClusterVerdict): ClusterVerdict {
  for (const certificate of verdict.certificates ?? []) {
    certificate.notBefore = new Date(certificate.notBefore);
    certificate.notAfter = new Date(certificate.notAfter);
  }
  if (verdict.lastSeenAt !== undefined) verdict.lastSeenAt = new Date(verdict.lastSeenAt);
  if (verdict.evidence !== undefined) verdict.evidence.readAt = new Date(verdict.evidence.readAt);
  return verdict;
}

/** History row key: the cluster, then the time, then what recorded it, so a cluster's rows sort by time. */
export function historyRowKey(clusterId: string, recordedAt: Date, recordedBy: string): string {
  return historyRowKeyOf(clusterKey(clusterId), recordedAt, recordedBy);
}

/** The same, from the cluster's key (`recordedBy`: the scan id, or `event-<id>` for a deletion). */
export function historyRowKeyOf(clusterKeyText: string, recordedAt: Date, recordedBy: string): string {
  return `${clusterKeyText}|${recordedAt.toISOString()}|${recordedBy}`;
}

/** What wrote a record into its row key: the scan's id, `event-<id>` for a deletion, `rotation-<id>-<event>` for a rotation step. */
export function recordedByOf(record: HistoryRecord): string {
  if (record.kind === 'rotation') return `rotation-${record.rotationId}-${record.event}`;
  if (record.kind === 'revocation') return `revocation-${record.revocationId}`;
  return record.kind === 'deleted' ? `event-${record.eventId}` : record.scanId;
}

/**
 * The row a history record is stored as (so that `verify` can tell whether a stored row is exactly that).
 * `verdictJson`: `JSON.stringify(record.verdict)` when the caller has it already (a scan's store writes
 * it to the state row too: a verdict is serialised once, not once a row).
 */
export function historyEntity(record: HistoryRecord, hash: string, verdictJson?: string): TableEntity {
  const common = {
    partitionKey: subscriptionKey(record.subscriptionId),
    rowKey: historyRowKey(record.clusterId, record.recordedAt, recordedByOf(record)),
    schemaVersion: 1,
    kind: record.kind,
    clusterId: record.clusterId,
    subscriptionId: record.subscriptionId,
    recordedAt: record.recordedAt,
    previousHash: record.previousHash,
    hash,
  };
  if (record.kind === 'deleted') return { ...common, eventId: record.eventId, deletedAt: record.deletedAt, status: 'deleted' };
  if (record.kind === 'rotation') {
    // No `status` column: a rotation step leaves the cluster's status as its last verdict said (the chart reads `status`).
    return {
      ...common, event: record.event, rotationId: record.rotationId, attempt: record.attempt, operationId: record.operationId,
      reasons: record.reasons.join(','), actor: record.actor, message: record.message, refreshCommand: record.refreshCommand,
    };
  }
  if (record.kind === 'revocation') {
    // No `status` column either: a revocation leaves the cluster's status as its last verdict said.
    return { ...common, event: record.event, ...Object.fromEntries(REVOCATION_FIELDS.map((name) => [name, record[name]])) };
  }
  const { verdict } = record;
  return {
    ...common,
    scanId: record.scanId,
    status: verdict.status,
    action: verdict.action,
    findingCodes: distinctCodes(verdict.findings).join(','),
    ...chunkedProperty('verdictJson', verdictJson ?? JSON.stringify(verdict)),
  };
}

export type RowIntegrity = { intact: true; record: HistoryRecord } | { intact: false; damage: string; record?: HistoryRecord };

/** Properties the service adds to every entity; everything else in a row was written by the store. */
const SERVICE_PROPERTIES = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.etag', 'odata.metadata']);

/**
 * Whether a stored history row is exactly the row the store writes for the record it holds: the
 * record hashes to the stored hash, the keys are the ones derived from it, and every other column
 * (status, action, finding codes, ...) is the one derived from it, with nothing added. Editing any
 * column, even a copy such as `status` that is outside the hashed record, is damage. `verify` reads
 * rows with it, and the store checks with it a row it finds unfinished before it completes it.
 */
export function historyRowIntegrity(row: HistoryEntity): RowIntegrity {
  let record: HistoryRecord;
  try {
    record = historyRecordFromEntity(row);
  } catch (error) {
    return { intact: false, damage: `it cannot be read (${(error as Error).message.replace(/^history row \S+: /, '')})` };
  }
  const storedHash = typeof row['hash'] === 'string' ? row['hash'] : '';
  if (historyRecordHash(record) !== storedHash) return { intact: false, record, damage: 'its content does not match its hash' };
  const expected = historyEntity(record, storedHash);
  if (expected.partitionKey !== row.partitionKey || expected.rowKey !== row.rowKey) {
    return { intact: false, record, damage: 'its keys are not the ones its content is stored under' };
  }
  for (const [name, value] of Object.entries(expected)) {
    if (SERVICE_PROPERTIES.has(name)) continue;
    if (!sameValue(row[name], value)) return { intact: false, record, damage: `its "${name}" column is not the one recorded with it` };
  }
  for (const name of Object.keys(row)) {
    if (!SERVICE_PROPERTIES.has(name) && !(name in expected)) return { intact: false, record, damage: `it has a column "${name}" that the store never writes` };
  }
  return { intact: true, record };
}

/** Dates may come back as Date or as text with more digits; everything else compares as is. */
function sameValue(stored: unknown, expected: unknown): boolean {
  if (expected instanceof Date) {
    const date = stored instanceof Date ? stored : typeof stored === 'string' ? new Date(stored) : undefined;
    return date !== undefined && date.getTime() === expected.getTime();
  }
  return stored === expected;
}
