import type { TableEntityResult } from '@azure/data-tables';
import { StoredRowError } from '../domain/errors.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import type { HistoryRecord } from './historyRecord.js';
import { readChunkedProperty } from './tableKeys.js';

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

/** Certificate validity dates come back from JSON as strings; the verdict type holds Dates. */
function reviveDates(verdict: ClusterVerdict): ClusterVerdict {
  for (const certificate of verdict.certificates ?? []) {
    certificate.notBefore = new Date(certificate.notBefore);
    certificate.notAfter = new Date(certificate.notAfter);
  }
  return verdict;
}
