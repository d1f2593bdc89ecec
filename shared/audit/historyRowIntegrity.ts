import { historyEntity } from '../store/complianceStore.js';
import { historyRecordFromEntity } from '../store/historyEntity.js';
import { historyRecordHash, type HistoryRecord } from '../store/historyRecord.js';
import { textOf, type TableRow } from './tableRows.js';

export type RowIntegrity = { intact: true; record: HistoryRecord } | { intact: false; damage: string; record?: HistoryRecord };

/** Properties the service adds to every entity; everything else in a row was written by the store. */
const SERVICE_PROPERTIES = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.etag', 'odata.metadata']);

/**
 * Whether a stored history row is exactly the row the store writes for the record it holds: the
 * record hashes to the stored hash, the keys are the ones derived from it, and every other column
 * (status, action, finding codes, ...) is the one derived from it, with nothing added. Editing any
 * column, even a copy such as `status` that is outside the hashed record, is damage.
 */
export function historyRowIntegrity(row: TableRow): RowIntegrity {
  let record: HistoryRecord;
  try {
    record = historyRecordFromEntity(row);
  } catch (error) {
    return { intact: false, damage: `it cannot be read (${(error as Error).message.replace(/^history row \S+: /, '')})` };
  }
  const storedHash = textOf(row, 'hash');
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
