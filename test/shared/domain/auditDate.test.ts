import { describe, expect, it } from 'vitest';
import { parseAuditDate } from '../../../shared/domain/auditDate.js';
import { clusterIdFromRef, clusterRefOf } from '../../../shared/domain/clusterId.js';

describe('parseAuditDate', () => {
  it('reads a day as its first or last millisecond (UTC)', () => {
    expect(parseAuditDate('2026-03-31', 'start')?.toISOString()).toBe('2026-03-31T00:00:00.000Z');
    expect(parseAuditDate('2026-03-31', 'end')?.toISOString()).toBe('2026-03-31T23:59:59.999Z');
  });

  it('reads an ISO 8601 date-time with a zone as that instant', () => {
    expect(parseAuditDate('2026-03-31T20:00:00+02:00', 'end')?.toISOString()).toBe('2026-03-31T18:00:00.000Z');
    expect(parseAuditDate('2026-03-31T18:00Z', 'start')?.toISOString()).toBe('2026-03-31T18:00:00.000Z');
  });

  it.each(['2026-02-30', '2026-13-01', '2026-03-31T18:00:00', '31/03/2026', 'yesterday', '2026-03-31T25:00:00Z', ''])('refuses %j', (text) => {
    expect(parseAuditDate(text, 'end')).toBeUndefined();
  });
});

describe('cluster references', () => {
  const id = '/subscriptions/0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34/resourcegroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1';
  it('round-trip through a slash-free path segment', () => {
    const ref = clusterRefOf(id);
    expect(ref).toBe('0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34~rg-prod~aks-1');
    expect(clusterIdFromRef(ref)?.clusterId.toLowerCase()).toBe(id.toLowerCase());
    expect(clusterIdFromRef(id)).toEqual({ clusterId: id, subscriptionId: '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34' });
  });

  it.each(['aks-1', 'a~b', 'a~b~c~d', '/subscriptions/x/resourceGroups/y'])('refuse %j', (ref) => {
    expect(clusterIdFromRef(ref)).toBeUndefined();
  });
});
