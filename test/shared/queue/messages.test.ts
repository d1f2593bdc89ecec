import { describe, expect, it } from 'vitest';
import { MAX_CLUSTERS_PER_SCAN_MESSAGE, scanClusterMessage } from '../../../shared/queue/messages.js';

const subscriptionId = '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34';
const idOf = (name: string, subscription = subscriptionId) =>
  `/subscriptions/${subscription}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/${name}`;
const requestedAt = '2026-01-02T03:04:05.000Z';
const many = (clusters: Array<{ clusterId: string; eventId: string }>) =>
  ({ schemaVersion: 2, kind: 'scan-cluster', subscriptionId, trigger: 'leading', clusters, requestedAt });

describe('scanClusterMessage', () => {
  it('reads a message in the first form (one cluster) as one naming that cluster alone', () => {
    const old = { schemaVersion: 1, kind: 'scan-cluster', clusterId: idOf('aks-a'), subscriptionId, trigger: 'trailing', eventId: 'e-1', requestedAt };
    expect(scanClusterMessage.parse(old)).toEqual({
      schemaVersion: 2, kind: 'scan-cluster', subscriptionId, trigger: 'trailing', requestedAt,
      clusters: [{ clusterId: { id: idOf('aks-a'), subscriptionId, resourceGroup: 'rg', name: 'aks-a' }, eventId: 'e-1' }],
    });
  });

  it('reads the clusters of a message naming several, each with its event', () => {
    const parsed = scanClusterMessage.parse(many([{ clusterId: idOf('aks-a'), eventId: 'e-1' }, { clusterId: idOf('aks-b'), eventId: 'e-2' }]));
    expect(parsed.clusters.map((c) => [c.clusterId.name, c.eventId])).toEqual([['aks-a', 'e-1'], ['aks-b', 'e-2']]);
  });

  it(`takes up to ${MAX_CLUSTERS_PER_SCAN_MESSAGE} clusters, and refuses more or none`, () => {
    const clusters = (n: number) => Array.from({ length: n }, (_, i) => ({ clusterId: idOf(`aks-${i}`), eventId: `e-${i}` }));
    expect(scanClusterMessage.safeParse(many(clusters(MAX_CLUSTERS_PER_SCAN_MESSAGE))).success).toBe(true);
    expect(scanClusterMessage.safeParse(many(clusters(MAX_CLUSTERS_PER_SCAN_MESSAGE + 1))).error?.issues[0]?.path).toEqual(['clusters']);
    expect(scanClusterMessage.safeParse(many([])).error?.issues[0]?.path).toEqual(['clusters']);
  });

  it('refuses a cluster of another subscription than the message\'s, and takes its own in another case', () => {
    const stray = many([{ clusterId: idOf('aks-a'), eventId: 'e-1' }, { clusterId: idOf('aks-b', '11111111-2222-4333-8444-555555555555'), eventId: 'e-2' }]);
    expect(scanClusterMessage.safeParse(stray).error?.issues[0]).toMatchObject({ path: ['clusters'], message: 'names a cluster of another subscription' });
    expect(scanClusterMessage.safeParse(many([{ clusterId: idOf('aks-a', subscriptionId.toUpperCase()), eventId: 'e-1' }])).success).toBe(true);
  });

  it('refuses an unknown form, and fields of the other form mixed in', () => {
    expect(scanClusterMessage.safeParse({ ...many([{ clusterId: idOf('aks-a'), eventId: 'e-1' }]), schemaVersion: 3 }).error?.issues[0]?.path).toEqual(['schemaVersion']);
    expect(scanClusterMessage.safeParse({ ...many([{ clusterId: idOf('aks-a'), eventId: 'e-1' }]), eventId: 'e-1' }).success).toBe(false);
    expect(scanClusterMessage.safeParse({ schemaVersion: 1, kind: 'scan-cluster', clusterId: idOf('aks-a'), subscriptionId, trigger: 'leading', requestedAt }).success).toBe(false);
  });
});
