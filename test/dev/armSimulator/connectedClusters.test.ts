/**
 * The simulator's AKS enabled by Azure Arc routes, called directly: what ARM answers for connected
 * clusters, their provisioned cluster instance and the listUserKubeconfig long-running operation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { connectedClusterRoute, KubeconfigOperations, type ConnectedClusterContext, type SimulatedConnectedCluster } from '../../../dev/armSimulator/connectedClusters.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';

const base = 'https://127.0.0.1:1';
const subscriptions = demoSubscriptions(DEMO_TENANT_ID);
let connected: SimulatedConnectedCluster[];

beforeAll(async () => {
  connected = await buildArcClusters(new Date(), DEMO_TENANT_ID, new Set());
});

function call(ctx: ConnectedClusterContext, method: string, path: string) {
  const url = new URL(`${path}${path.includes('?') ? '&' : '?'}api-version=2024-01-01`, base);
  const raw = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const sub = subscriptions.find((s) => s.subscriptionId.toLowerCase() === raw[1]!.toLowerCase())!;
  return connectedClusterRoute(ctx, method, url, sub, raw, raw.map((s) => s.toLowerCase()));
}

const contextOf = (pollsBeforeDone = 0): ConnectedClusterContext => ({ connectedClusters: connected, kubeconfigOperations: new KubeconfigOperations(pollsBeforeDone), baseUrl: base, pageSize: 2 });

describe('the connected cluster routes', () => {
  it('page the subscription\'s connected clusters with an absolute nextLink', () => {
    const sub = connected[0]!.subscriptionId;
    const first = call(contextOf(), 'GET', `/subscriptions/${sub}/providers/Microsoft.Kubernetes/connectedClusters`)!;
    const body = first.body as { value: unknown[]; nextLink?: string };
    expect(body.value).toHaveLength(2);
    expect(body.nextLink).toMatch(/^https:\/\/127\.0\.0\.1:1\/subscriptions\/.*connectedClusters\?api-version=2024-01-01&%24skiptoken=/);
  });

  it('serve a connected cluster and its instance case-insensitively, 404 for what does not exist, 405 for other methods', () => {
    const { id } = connected[0]!.resource;
    expect(call(contextOf(), 'GET', id.toUpperCase().replace('SUBSCRIPTIONS', 'subscriptions'))).toMatchObject({ status: 200, body: { id } });
    expect(call(contextOf(), 'GET', `${id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`)).toMatchObject({ status: 200, body: { name: 'default' } });
    expect(call(contextOf(), 'GET', id.replace(/[^/]+$/, 'nope'))).toMatchObject({ status: 404, body: { error: { code: 'ResourceNotFound' } } });
    const k3s = connected.find((c) => !c.instance)!.resource.id;
    expect(call(contextOf(), 'GET', `${k3s}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`)).toMatchObject({ status: 404 });
    expect(call(contextOf(), 'DELETE', id)).toMatchObject({ status: 405 });
    expect(call(contextOf(), 'GET', `${id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default/listUserKubeconfig`)).toMatchObject({ status: 405 });
  });

  it('run listUserKubeconfig as a long-running operation: 202 and a Location, 202 while it runs, then the ListCredentialResponse', () => {
    const ctx = contextOf(1);
    const cluster = connected[0]!;
    const accepted = call(ctx, 'POST', `${cluster.resource.id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default/listUserKubeconfig`)!;
    expect(accepted).toMatchObject({ status: 202, headers: { location: expect.stringMatching(/\/providers\/Microsoft\.HybridContainerService\/locations\/eastus\/operationStatuses\/[0-9a-f-]{36}\?api-version=2024-01-01$/) } });
    const poll = new URL(accepted.headers!['location']!).pathname;
    expect(call(ctx, 'GET', poll)).toMatchObject({ status: 202 });
    const done = call(ctx, 'GET', poll)!;
    expect(done).toMatchObject({ status: 200, body: { status: 'Succeeded', resourceId: cluster.resource.id } });
    const value = (done.body as { properties: { kubeconfigs: Array<{ value: string }> } }).properties.kubeconfigs[0]!.value;
    expect(Buffer.from(value, 'base64').toString('utf8')).toBe((cluster.userKubeconfig as { kubeconfig: string }).kubeconfig);
    expect(call(ctx, 'GET', poll.replace(/[0-9a-f-]{36}$/, '00000000-0000-0000-0000-000000000000'))).toMatchObject({ status: 404 });
  });

  it('leave every other path to the managed cluster routes', () => {
    const sub = connected[0]!.subscriptionId;
    expect(call(contextOf(), 'GET', `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters`)).toBeUndefined();
  });
});
