import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import { z } from 'zod';
import { isConflict, isNotFound, messageOf, StoreError } from '../domain/errors.js';
import { IN_FLIGHT_STATES, type RotationState } from '../domain/rotationGuards.js';
import type { RotationRecord, RotationRecords } from '../rotation/rotationRecord.js';
import { ROTATION_LEASES_TABLE } from './rotationLeases.js';
import { chunkedProperty, clusterKey, readChunkedProperty, subscriptionKey } from './tableKeys.js';

export const ROTATION_RECORDS_TABLE = 'RotationRecords';

/** The rotation orchestrator's tables, opened like the trail's (wiring/storage.ts). */
export interface RotationTables {
  leases: TableClient;
  records: TableClient;
}

export function rotationTables(openTable: (name: string) => TableClient): RotationTables {
  return { leases: openTable(ROTATION_LEASES_TABLE), records: openTable(ROTATION_RECORDS_TABLE) };
}

const STATES = ['requested', 'started', 'running', 'succeeded', 'failed', 'unverified'] as const satisfies readonly RotationState[];
const optionalText = z.string().optional().transform((v) => (v === '' ? undefined : v));

const recordRow = z.object({
  etag: z.string(),
  id: z.string(),
  leaseHolder: z.string(),
  clusterId: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  name: z.string(),
  state: z.enum(STATES),
  attempt: z.number().int().min(1),
  trigger: z.enum(['policy', 'manual']),
  reasons: z.string().transform((v) => (v ? v.split(',') : [])),
  actor: z.string(),
  requestedAt: z.coerce.date(),
  startedAt: z.coerce.date().optional(),
  finishedAt: z.coerce.date().optional(),
  operationId: optionalText,
  errorCode: optionalText,
  errorMessage: optionalText,
  verified: z.boolean().optional(),
  trailed: z.boolean(),
});

/**
 * RotationRecords: a row per rotation attempt (partition: subscription; row: cluster key, request
 * time, id, so a cluster's attempts sort by time), written before the POST and moved on by whoever
 * polls it, ETag-conditional, so two pollers never both act on one state. The poller's saved state
 * (`resumeFrom`) holds the operation's URLs, never a token.
 */
export class RotationRecordsTable implements RotationRecords {
  constructor(private readonly table: TableClient) {}

  async create(record: RotationRecord): Promise<RotationRecord> {
    try {
      const response = await this.table.createEntity(entityOf(record));
      return { ...record, etag: response.etag };
    } catch (error) {
      throw new StoreError(`could not record the rotation of ${record.clusterId}: ${messageOf(error)}`, { cause: error });
    }
  }

  async update(record: RotationRecord): Promise<RotationRecord | undefined> {
    try {
      const response = await this.table.updateEntity(entityOf(record), 'Replace', record.etag ? { etag: record.etag } : {});
      return { ...record, etag: response.etag };
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw new StoreError(`could not update the rotation of ${record.clusterId}: ${messageOf(error)}`, { cause: error });
    }
  }

  async list(filter: { state?: RotationState; clusterId?: string; subscriptionId?: string } = {}): Promise<RotationRecord[]> {
    const parts: string[] = [];
    if (filter.state) parts.push(odata`state eq ${filter.state}`);
    if (filter.subscriptionId) parts.push(odata`PartitionKey eq ${subscriptionKey(filter.subscriptionId)}`);
    if (filter.clusterId) parts.push(odata`RowKey ge ${`${clusterKey(filter.clusterId)}|`} and RowKey lt ${`${clusterKey(filter.clusterId)}|~`}`);
    return this.query(parts.join(' and '));
  }

  async pending(): Promise<RotationRecord[]> {
    return this.query([...IN_FLIGHT_STATES.map((state) => odata`state eq ${state}`), 'trailed eq false'].join(' or '));
  }

  private async query(filter: string): Promise<RotationRecord[]> {
    const records: RotationRecord[] = [];
    try {
      for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : {} })) {
        const parsed = recordRow.safeParse(row);
        if (!parsed.success) continue; // not a row this store writes; it names nothing to poll
        const resumeFrom = readChunkedProperty(row, 'resumeFrom');
        records.push({ ...withoutUndefined(parsed.data), ...(resumeFrom ? { resumeFrom } : {}) } as RotationRecord);
      }
    } catch (error) {
      if (isNotFound(error)) return []; // no rotation was ever recorded: readers create no table
      throw new StoreError(`could not read the rotation records: ${messageOf(error)}`, { cause: error });
    }
    return records.sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime() || a.attempt - b.attempt);
  }
}

function entityOf(record: RotationRecord): TableEntity {
  const { etag: _etag, resumeFrom, reasons, ...rest } = record;
  return {
    partitionKey: subscriptionKey(record.subscriptionId),
    rowKey: `${clusterKey(record.clusterId)}|${record.requestedAt.toISOString()}|${record.id}`,
    schemaVersion: 1,
    ...withoutUndefined(rest),
    reasons: reasons.join(','),
    ...(resumeFrom ? chunkedProperty('resumeFrom', resumeFrom) : {}),
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
