import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { isConflict, isNotFound, messageOf, StoreError } from '../domain/errors.js';
import type { RotationLeases } from '../rotation/rotationRecord.js';
import { clusterKey, subscriptionKey } from './tableKeys.js';

export const ROTATION_LEASES_TABLE = 'RotationLeases';

const leaseRow = z.object({ holder: z.string(), until: z.coerce.date(), etag: z.string() });

/**
 * RotationLeases: one row per cluster (partition: subscription, row: cluster key) naming who may
 * rotate it, taken before ARM is called. Taking is insert-if-absent, or update-if-match of a lease
 * that expired: of 20 runs (or instances) that try at once, exactly one gets it; the others get 409
 * or 412 and see it held. The lease outlives the invocation: it is held until the rotation ends
 * (the poller releases it) or `until` passes (a run that stopped before it wrote its record).
 */
export class RotationLeasesTable implements RotationLeases {
  constructor(private readonly table: TableClient) {}

  async take(cluster: { id: string; subscriptionId: string }, holder: string, until: Date, now: Date): Promise<boolean> {
    const keys = { partitionKey: subscriptionKey(cluster.subscriptionId), rowKey: clusterKey(cluster.id) };
    const entity = { ...keys, schemaVersion: 1, clusterId: cluster.id, holder, until, takenAt: now };
    try {
      try {
        await this.table.createEntity(entity);
        return true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      const current = await this.read(cluster);
      if (!current) return this.take(cluster, holder, until, now); // released meanwhile: try again
      if (current.holder === holder) return true;
      if (current.until > now) return false;
      await this.table.updateEntity(entity, 'Replace', { etag: current.etag });
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw new StoreError(`could not take the rotation lease of ${cluster.id}: ${messageOf(error)}`, { cause: error });
    }
  }

  async holderOf(cluster: { id: string; subscriptionId: string }, now: Date): Promise<string | undefined> {
    const current = await this.read(cluster);
    return current && current.until > now ? current.holder : undefined;
  }

  async release(cluster: { id: string; subscriptionId: string }, holder: string): Promise<void> {
    const current = await this.read(cluster);
    if (current?.holder !== holder) return;
    try {
      await this.table.deleteEntity(subscriptionKey(cluster.subscriptionId), clusterKey(cluster.id), { etag: current.etag });
    } catch (error) {
      if (isNotFound(error) || isConflict(error)) return; // gone, or taken over by someone else
      throw new StoreError(`could not release the rotation lease of ${cluster.id}: ${messageOf(error)}`, { cause: error });
    }
  }

  private async read(cluster: { id: string; subscriptionId: string }): Promise<z.output<typeof leaseRow> | undefined> {
    try {
      const row = await this.table.getEntity(subscriptionKey(cluster.subscriptionId), clusterKey(cluster.id));
      const parsed = leaseRow.safeParse(row);
      // A row the store never writes holds nobody: an update-if-match replaces it.
      return parsed.success ? parsed.data : { holder: '', until: new Date(0), etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new StoreError(`could not read the rotation lease of ${cluster.id}: ${messageOf(error)}`, { cause: error });
    }
  }
}
