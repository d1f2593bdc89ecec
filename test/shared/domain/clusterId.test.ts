import { describe, expect, it } from 'vitest';
import {
  CLUSTER_REF_HINT, clusterIdentity, clusterIdSchema, clusterOfResource, clusterRefOf, clusterResourceId, parseClusterId, parseClusterRef, platformOf, subscriptionIdSchema,
} from '../../../shared/domain/clusterId.js';

const subscriptionId = '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34';
const id = `/subscriptions/${subscriptionId}/resourcegroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-1`;

describe('parseClusterId', () => {
  it('reads the parts of a managed cluster id, keeping its spelling (live ids may say resourcegroups)', () => {
    expect(parseClusterId(id)).toEqual({ id, subscriptionId, resourceGroup: 'rg-prod', name: 'aks-1' });
    expect(parseClusterId(id.toUpperCase().replace('SUBSCRIPTIONS', 'subscriptions'))?.name).toBe('AKS-1');
  });

  it.each([
    `${id}/agentPools/user1`,
    `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss`,
    'aks-1',
    '',
  ])('refuses %j, which is not a managed cluster itself', (text) => {
    expect(parseClusterId(text)).toBeUndefined();
  });
});

describe('clusterOfResource', () => {
  it('names the cluster of a child resource, and the child', () => {
    expect(clusterOfResource(`${id}/agentPools/user1`)).toEqual({ cluster: { id, subscriptionId, resourceGroup: 'rg-prod', name: 'aks-1' }, child: '/agentPools/user1' });
  });

  it('names the cluster itself without a child', () => {
    expect(clusterOfResource(id)).toEqual({ cluster: { id, subscriptionId, resourceGroup: 'rg-prod', name: 'aks-1' } });
  });
});

describe('cluster references', () => {
  it('round-trip through a slash-free path segment', () => {
    const ref = clusterRefOf(id);
    expect(ref).toBe(`${subscriptionId}~rg-prod~aks-1`);
    expect(parseClusterRef(ref)?.id.toLowerCase()).toBe(id.toLowerCase());
    expect(parseClusterRef(id)).toEqual({ id, subscriptionId, resourceGroup: 'rg-prod', name: 'aks-1' });
  });

  it.each(['aks-1', 'a~b', 'a~b~c~d', '/subscriptions/x/resourceGroups/y', `${id}/agentPools/system`, `/tenants/t${id}`])('refuse %j', (ref) => {
    expect(parseClusterRef(ref)).toBeUndefined();
  });

  it('leave a text that is not exactly a managed cluster id as it is', () => {
    for (const other of [`/tenants/t${id}`, `${id}/agentPools/system`, 'aks-1']) expect(clusterRefOf(other)).toBe(other);
  });

  it('ignore spaces around an id or a reference', () => {
    expect(clusterRefOf(` ${id}\n`)).toBe(`${subscriptionId}~rg-prod~aks-1`);
    expect(parseClusterRef(' s~rg~aks-1 ')).toEqual({ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1', subscriptionId: 's', resourceGroup: 'rg', name: 'aks-1' });
  });
});

describe('clusterIdSchema', () => {
  it('parses a queue message field into the identity, and names what is wrong otherwise', () => {
    expect(clusterIdSchema.parse(id)).toEqual({ id, subscriptionId, resourceGroup: 'rg-prod', name: 'aks-1' });
    const refused = clusterIdSchema.safeParse(`${id}/agentPools/x`);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ code: 'custom', message: 'is not a managed or connected cluster resource id' });
  });
});

describe('clusterIdentity', () => {
  it('is the same for two spellings of one cluster id, and differs between clusters', () => {
    expect(clusterIdentity(id)).toBe(clusterIdentity(` ${id.replace('resourcegroups', 'resourceGroups').replace('aks-1', 'AKS-1')} `));
    expect(clusterIdentity(id)).not.toBe(clusterIdentity(id.replace('aks-1', 'aks-2')));
  });
});

describe('subscriptionIdSchema', () => {
  it('takes a GUID, in either case, with spaces around it', () => {
    expect(subscriptionIdSchema.parse(` ${subscriptionId.toUpperCase()}\n`)).toBe(subscriptionId.toUpperCase());
  });

  it.each([
    `x${subscriptionId}`, `${subscriptionId}x`, '0b6f4c2-8d3a-4f1b-9c7e-5a2d1e6f8b34', '0b6f4c2e-8d3-4f1b-9c7e-5a2d1e6f8b34',
    '0b6f4c2e-8d3a-4f1-9c7e-5a2d1e6f8b34', '0b6f4c2e-8d3a-4f1b-9c7-5a2d1e6f8b34', '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b3',
    'gb6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34', '0b6f4c2e-8g3a-4f1b-9c7e-5a2d1e6f8b34', '0b6f4c2e-8d3a-gf1b-9c7e-5a2d1e6f8b34',
    '0b6f4c2e-8d3a-4f1b-gc7e-5a2d1e6f8b34', '0b6f4c2e-8d3a-4f1b-9c7e-ga2d1e6f8b34',
  ])('refuses %j, saying it is not a subscription id', (text) => {
    const parsed = subscriptionIdSchema.safeParse(text);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('is not a subscription id (a GUID)');
  });
});

describe('clusterIdentity, as text', () => {
  it('is the id lower-cased and trimmed: what two spellings of one cluster share', () => {
    expect(clusterIdentity(` ${id.replace('resourcegroups', 'resourceGroups')}\n`)).toBe(id.toLowerCase());
  });
});

describe('a resource id with a line break', () => {
  it('is no cluster, even when what comes before the break would be one', () => {
    expect(clusterOfResource(`${id}/agentPools/x\n/y`)).toBeUndefined();
  });
});

describe('CLUSTER_REF_HINT', () => {
  it('shows both forms a cluster can be named in', () => {
    expect(CLUSTER_REF_HINT).toContain('<subscription id>~<resource group>~<cluster name>');
    expect(CLUSTER_REF_HINT).toContain('/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>');
  });
});

describe('an AKS enabled by Azure Arc cluster (a connected cluster)', () => {
  const arcId = `/subscriptions/${subscriptionId}/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/arc-1`;

  it('is a cluster id of platform aks-arc; a managed cluster is aks', () => {
    expect(parseClusterId(arcId)).toEqual({ id: arcId, subscriptionId, resourceGroup: 'rg-edge', name: 'arc-1' });
    expect(platformOf({ id: arcId })).toBe('aks-arc');
    expect(platformOf({ id: arcId.toLowerCase() })).toBe('aks-arc');
    expect(platformOf({ id: ` ${arcId}\n` })).toBe('aks-arc');
    expect(platformOf({ id })).toBe('aks');
    expect(platformOf({ id: `${arcId}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default` })).toBe('aks');
  });

  it('names its connected cluster for a child resource, as events do', () => {
    const child = '/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default';
    expect(clusterOfResource(`${arcId}${child}`)).toEqual({ cluster: { id: arcId, subscriptionId, resourceGroup: 'rg-edge', name: 'arc-1' }, child });
    expect(parseClusterId(`${arcId}${child}`)).toBeUndefined();
    expect(clusterIdSchema.parse(arcId).name).toBe('arc-1');
  });

  it('round-trips through a reference that says ~aks-arc, apart from a managed cluster of the same name', () => {
    expect(clusterRefOf(arcId)).toBe(`${subscriptionId}~rg-edge~arc-1~aks-arc`);
    expect(parseClusterRef(`${subscriptionId}~rg-edge~arc-1~aks-arc`)).toEqual({ id: arcId, subscriptionId, resourceGroup: 'rg-edge', name: 'arc-1' });
    expect(parseClusterRef(`${subscriptionId}~rg-edge~arc-1~AKS-ARC`)?.id).toBe(arcId);
    expect(platformOf(parseClusterRef(`${subscriptionId}~rg-edge~arc-1`)!)).toBe('aks');
    expect(parseClusterRef(`${subscriptionId}~rg-edge~arc-1~arc`)).toBeUndefined();
  });

  it('is built from its parts on either platform', () => {
    expect(clusterResourceId('s', 'g', 'n', 'aks-arc')).toBe('/subscriptions/s/resourceGroups/g/providers/Microsoft.Kubernetes/connectedClusters/n');
    expect(clusterResourceId('s', 'g', 'n', 'aks')).toBe('/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerService/managedClusters/n');
  });

  it('is shown in the hint of both forms', () => {
    expect(CLUSTER_REF_HINT).toContain('~aks-arc');
    expect(CLUSTER_REF_HINT).toContain('.../providers/Microsoft.Kubernetes/connectedClusters/<name>');
  });
});
