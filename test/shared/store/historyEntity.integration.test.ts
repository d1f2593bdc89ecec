import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningAzurite } from '../../../dev/azurite.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import { ComplianceStore , type ComplianceTables } from '../../../shared/store/complianceStore.js';
import { historyRecordFromEntity, type HistoryEntity } from '../../../shared/store/historyEntity.js';
import { historyRecordHash } from '../../../shared/store/historyRecord.js';
import { certificateFacts } from '../../support/certificates.js';
import { azuriteStore } from '../../support/environment.js';

let azurite: RunningAzurite;
let store: ComplianceStore;
let tables: ComplianceTables;
beforeAll(async () => ({ azurite, store, tables } = await azuriteStore()));
afterAll(async () => azurite?.stop());

const now = new Date('2026-11-23T06:00:00Z');
async function verdict(name: string): Promise<ClusterVerdict> {
  return {
    id: `/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`,
    subscriptionId: '11111111-1111-1111-1111-111111111111', resourceGroup: 'rg', name, location: 'westeurope', status: 'violation',
    autoRotation: { eligible: false, reasons: ['RBAC_DISABLED'] },
    certificates: [await certificateFacts('client', now, 100, 730)],
    findings: [{ code: 'CERT_AGE_EXCEEDS_POLICY', severity: 'violation', message: 'old', certificate: 'ab' }],
    action: 'alert',
  };
}

describe('history rows', () => {
  it('rebuild exactly the record they were written from, so the stored hash can be recomputed', async () => {
    await store.recordVerdicts('scan-1', now, [await verdict('a'), await verdict('b')]);
    const rows: HistoryEntity[] = [];
    for await (const row of tables.history.listEntities<Record<string, unknown>>()) rows.push(row);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      const record = historyRecordFromEntity(row);
      expect(record.kind).toBe('verdict');
      expect(historyRecordHash(record)).toBe(row['hash']);
    }
  });

  it('name the row and the field when a row cannot be read', () => {
    expect(() => historyRecordFromEntity({ partitionKey: 'p', rowKey: 'r', etag: '', kind: 'verdict', clusterId: 'c', subscriptionId: 's', recordedAt: now, scanId: 'x' }))
      .toThrow('history row p/r: "verdictJson" is missing');
  });
});
