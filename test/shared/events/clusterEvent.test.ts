import { describe, expect, it } from 'vitest';
import { readClusterEvent } from '../../../shared/events/clusterEvent.js';
import { aksEvent, asCloudEvent, resourceEvent } from '../../support/events.js';

const clusterId = '/subscriptions/0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34/resourceGroups/rg-orders/providers/Microsoft.ContainerService/managedClusters/aks-orders';
const op = (suffix: string) => `Microsoft.ContainerService/managedClusters/${suffix}`;

describe('readClusterEvent', () => {
  describe.each([
    ['Event Grid schema', (e: ReturnType<typeof resourceEvent> | ReturnType<typeof aksEvent>) => e],
    ['CloudEvents 1.0', asCloudEvent],
  ])('%s', (_schema, shape) => {
    it.each([
      ['a cluster write', 'ResourceWriteSuccess', op('write')],
      ['a certificate rotation', 'ResourceActionSuccess', op('rotateClusterCertificates/action')],
      ['a start', 'ResourceActionSuccess', op('start/action')],
      ['a stop', 'ResourceActionSuccess', op('stop/action')],
    ] as const)('asks for a rescan after %s', (_what, type, operationName) => {
      const event = resourceEvent({ type, resourceUri: clusterId, operationName, time: new Date('2026-11-23T06:00:00Z') });
      expect(readClusterEvent(shape(event))).toEqual({
        kind: 'cluster',
        event: { id: event.id, type: `Microsoft.Resources.${type}`, time: new Date('2026-11-23T06:00:00Z'), cluster: { id: clusterId, subscriptionId: '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34', resourceGroup: 'rg-orders', name: 'aks-orders' }, change: 'rescan', operation: operationName },
      });
    });

    it('rescans the cluster when one of its node pools changes or is deleted', () => {
      for (const type of ['ResourceWriteSuccess', 'ResourceDeleteSuccess'] as const) {
        const reading = readClusterEvent(shape(resourceEvent({ type, resourceUri: `${clusterId}/agentPools/user1`, operationName: op(`agentPools/${type === 'ResourceWriteSuccess' ? 'write' : 'delete'}`) })));
        expect(reading).toMatchObject({ kind: 'cluster', event: { cluster: { id: clusterId }, change: 'rescan' } });
      }
    });

    it('records a deletion of the cluster itself', () => {
      const reading = readClusterEvent(shape(resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: clusterId, operationName: op('delete') })));
      expect(reading).toMatchObject({ kind: 'cluster', event: { cluster: { id: clusterId }, change: 'delete' } });
    });

    it('ignores the credential listings the scan itself causes, so a scan never triggers another', () => {
      for (const action of ['listClusterMonitoringUserCredential', 'listClusterUserCredential', 'listClusterAdminCredential']) {
        const reading = readClusterEvent(shape(resourceEvent({ type: 'ResourceActionSuccess', resourceUri: clusterId, operationName: op(`${action}/action`) })));
        expect(reading).toMatchObject({ kind: 'ignored', reason: expect.stringContaining(action) });
      }
    });

    it.each([
      'Microsoft.ContainerService.NewKubernetesVersionAvailable',
      'Microsoft.ContainerService.ClusterSupportEnding',
      'Microsoft.ContainerService.ClusterSupportEnded',
      'Microsoft.ContainerService.NodePoolRollingStarted',
      'Microsoft.ContainerService.NodePoolRollingSucceeded',
      'Microsoft.ContainerService.NodePoolRollingFailed',
    ])('asks for a rescan on the AKS system topic event %s', (type) => {
      const reading = readClusterEvent(shape(aksEvent({ type, clusterId, data: { nodePoolName: 'nodepool1' } })));
      expect(reading).toMatchObject({ kind: 'cluster', event: { cluster: { id: clusterId }, change: 'rescan', operation: type } });
    });

    it('ignores events about other resources and unknown event types', () => {
      const storage = resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st', operationName: 'Microsoft.Storage/storageAccounts/write' });
      expect(readClusterEvent(shape(storage))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not a managed cluster') });
      const other = aksEvent({ type: 'Microsoft.ContainerService.SomethingNew', clusterId });
      expect(readClusterEvent(shape(other))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('Microsoft.ContainerService.SomethingNew') });
    });
  });

  it('uses Microsoft\'s published ClusterSupportEnding sample as it is, once its topic names a real cluster', () => {
    const sample = aksEvent({ type: 'Microsoft.ContainerService.ClusterSupportEnding', clusterId });
    expect(readClusterEvent(sample)).toMatchObject({ kind: 'cluster', event: { cluster: { id: clusterId } } });
    expect(readClusterEvent({ ...sample, topic: '/subscriptions/{subscription-id}/resourceGroups/{resource-group}' })).toMatchObject({ kind: 'invalid' });
  });

  it('reads the validation handshake event', () => {
    const validation = { id: 'v1', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', subject: '', eventTime: '2026-11-23T06:00:00Z', data: { validationCode: 'ABC-123' }, dataVersion: '2' };
    expect(readClusterEvent(validation)).toEqual({ kind: 'validation', id: 'v1', validationCode: 'ABC-123' });
  });

  it.each([
    ['not an object', 'hello', /must be a JSON object/],
    ['an array', [], /must be a JSON object/],
    ['no id', { eventType: 'x', eventTime: '2026-01-01T00:00:00Z' }, /"id"/],
    ['a bad time', { id: 'e1', eventType: 'x', eventTime: 'yesterday' }, /event e1 .*"eventTime" is not a date-time/],
    ['a CloudEvent without source', { specversion: '1.0', id: 'c1', type: 'x' }, /event c1 \(CloudEvents\): "source"/],
  ])('rejects %s with a message naming the problem', (_what, input, message) => {
    const reading = readClusterEvent(input);
    expect(reading.kind).toBe('invalid');
    expect(reading.kind === 'invalid' && reading.reason).toMatch(message);
  });

  it('carries nothing of the event\'s claims or authorization', () => {
    const reading = readClusterEvent(resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: clusterId, operationName: op('write') }));
    expect(JSON.stringify(reading)).not.toMatch(/claims|authorization|Subscription Admin/);
  });
});

describe('events about AKS enabled by Azure Arc clusters', () => {
  const arcId = '/subscriptions/0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-1';
  const instance = `${arcId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`;

  it('rescan the connected cluster when it or its provisioned cluster instance changes, and record its deletion', () => {
    const write = readClusterEvent(resourceEvent({ type: 'ResourceWriteSuccess', resourceUri: instance, operationName: 'Microsoft.HybridContainerService/provisionedClusterInstances/write' }));
    expect(write).toMatchObject({ kind: 'cluster', event: { cluster: { id: arcId, name: 'arc-1' }, change: 'rescan' } });
    const deleted = readClusterEvent(resourceEvent({ type: 'ResourceDeleteSuccess', resourceUri: arcId, operationName: 'Microsoft.Kubernetes/connectedClusters/delete' }));
    expect(deleted).toMatchObject({ kind: 'cluster', event: { cluster: { id: arcId }, change: 'delete' } });
  });

  it('ignore the kubeconfig listings the scan itself makes, which change nothing', () => {
    for (const action of ['listUserKubeconfig', 'listAdminKubeconfig']) {
      const reading = readClusterEvent(resourceEvent({ type: 'ResourceActionSuccess', resourceUri: `${instance}/${action}`, operationName: `Microsoft.HybridContainerService/provisionedClusterInstances/${action}/action` }));
      expect(reading).toMatchObject({ kind: 'ignored', reason: expect.stringContaining("does not change the cluster's certificates") });
    }
  });
});
