/**
 * ArcFleet through the core REST client (ArmClients.resourceManagerFor: the SDKs' credential, retries
 * and write budget) against the ARM simulator's connected clusters, provisioned cluster instances and
 * listUserKubeconfig long-running operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedConnectedCluster } from '../../../dev/armSimulator/connectedClusters.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_SUBSCRIPTIONS, DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';
import { demoSubscriptions } from '../../../dev/demoFleet/subscriptions.js';
import { ArmClients } from '../../../shared/azure/armClients.js';
import { ArcFleet } from '../../../shared/azure/arcFleet.js';
import { armTarget } from '../../../shared/azure/cloud.js';
import { StaticTokenCredential } from '../../../shared/azure/credential.js';
import { parseClusterId } from '../../../shared/domain/clusterId.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { SourceReadError } from '../../../shared/domain/errors.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const now = new Date();
const FAST = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };
let connected: SimulatedConnectedCluster[];
let secrets: string[];
let simulator: ArmSimulator;
let arc: ArcFleet;

beforeAll(async () => {
  const found = new Set<string>();
  connected = await buildArcClusters(now, DEMO_TENANT_ID, found);
  secrets = [...found];
  simulator = await simulatorFor({ subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters: [], connectedClusters: connected, secrets }, { pageSize: 2 });
  arc = new ArcFleet(new ArmClients(armTarget('AzureCloud', simulator.url), new StaticTokenCredential(TEST_TOKEN)), FAST);
});
afterAll(async () => simulator?.close());

async function listAll(subscriptionId: string): Promise<ClusterFacts[]> {
  const clusters: ClusterFacts[] = [];
  for await (const page of arc.listClusterPages(subscriptionId)) clusters.push(...page.clusters);
  return clusters;
}

const named = (name: string) => connected.find((c) => c.resource.name === name)!;

describe('ArcFleet', () => {
  it('lists the connected clusters of kind ProvisionedCluster, following nextLink, and leaves other kinds out', async () => {
    const production = await listAll(DEMO_SUBSCRIPTIONS.production.subscriptionId);
    expect(production.map((c) => c.name)).toEqual(['aks-arc-store-0142', 'aks-arc-store-0187', 'aks-arc-factory-03']);
    expect(await listAll(DEMO_SUBSCRIPTIONS.sandbox.subscriptionId)).toEqual([]); // only the k3s cluster lives there
    const pages = simulator.requests.filter((r) => /connectedClusters$/i.test(r.path) && r.search.includes('skiptoken'));
    expect(pages.length).toBeGreaterThan(0);
  });

  it('reads the connected cluster facts the rules judge', async () => {
    const [store] = await listAll(DEMO_SUBSCRIPTIONS.production.subscriptionId);
    const resource = named('aks-arc-store-0142').resource as unknown as { id: string; properties: Record<string, string> };
    expect(store).toMatchObject({
      ...parseClusterId(resource.id), location: 'eastus', provisioningState: 'Succeeded', kubernetesVersion: '1.30.4', agentPools: [], customCaTrustCertificates: [],
      connectedCluster: {
        connectivityStatus: 'Connected',
        managedIdentityCertificateExpirationTime: new Date(resource.properties['managedIdentityCertificateExpirationTime']!),
        lastConnectivityTime: new Date(resource.properties['lastConnectivityTime']!),
      },
    });
  });

  it('gets one cluster by id, and says a missing one or one of another kind does not exist', async () => {
    const depot = parseClusterId(named('aks-arc-depot-11').resource.id)!;
    expect((await arc.getCluster(depot))?.connectedCluster?.connectivityStatus).toBe('Expired');
    expect(await arc.getCluster({ ...depot, id: depot.id.replace('aks-arc-depot-11', 'gone'), name: 'gone' })).toBeUndefined();
    const k3s = parseClusterId(connected.find((c) => c.resource.name === 'k3s-lab-01')!.resource.id)!;
    expect(await arc.getCluster(k3s)).toBeUndefined();
  });

  it('reads the provisioned cluster instance and the user kubeconfig certificates through the long-running POST, and keeps no secret', async () => {
    const [kiosk] = (await listAll(DEMO_SUBSCRIPTIONS.staging.subscriptionId)).filter((c) => c.name === 'aks-arc-kiosk-22');
    const evidence = await arc.readCertificateEvidence(kiosk!);
    const instance = named('aks-arc-kiosk-22').instance as { systemData: { lastModifiedAt: string } };
    expect(evidence.arcInstance).toEqual({ kubernetesVersion: '1.30.4', provisioningState: 'Succeeded', currentState: 'Succeeded', lastUpdatedAt: new Date(instance.systemData.lastModifiedAt) });
    expect(evidence.unavailable).toEqual([]);
    expect(evidence.certificates.map((c) => c.source)).toEqual(['cluster-ca', 'client']);
    const client = evidence.certificates.find((c) => c.source === 'client')!;
    expect(Math.round((client.notAfter.getTime() - now.getTime()) / 86_400_000)).toBe(12);
    const text = JSON.stringify(evidence);
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    const kubeconfigCalls = simulator.requests.filter((r) => /listUserKubeconfig$/i.test(r.path));
    expect(kubeconfigCalls.at(-1)).toMatchObject({ method: 'POST', status: 202 });
    expect(simulator.requests.some((r) => /operationStatuses/i.test(r.path) && r.status === 200)).toBe(true);
  });

  it('retries a throttled call, the long-running POST included, as the SDK calls are retried', async () => {
    const store = parseClusterId(named('aks-arc-store-0187').resource.id)!;
    simulator.injectFault({ pathIncludes: 'aks-arc-store-0187/providers/microsoft.hybridcontainerservice/provisionedclusterinstances/default?', status: 429, times: 1 });
    simulator.injectFault({ method: 'POST', pathIncludes: 'aks-arc-store-0187/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default/listUserKubeconfig', status: 429, times: 2 });
    const evidence = await arc.readCertificateEvidence((await arc.getCluster(store))!);
    expect(evidence.unavailable).toEqual([]);
    expect(evidence.arcInstance?.kubernetesVersion).toBe('1.29.7');
    expect(evidence.certificates).toHaveLength(2);
  });

  it('says what could not be read, with the reason word, instead of throwing', async () => {
    const factory = (await arc.getCluster(parseClusterId(named('aks-arc-factory-03').resource.id)!))!;
    simulator.injectFault({ method: 'POST', pathIncludes: 'aks-arc-factory-03/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default/listUserKubeconfig', status: 403, code: 'AuthorizationFailed', message: 'The client may not perform action listUserKubeconfig.', times: 1 });
    simulator.injectFault({ method: 'GET', pathIncludes: 'aks-arc-factory-03/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default?', status: 404, times: 1 });
    const evidence = await arc.readCertificateEvidence(factory);
    expect(evidence.certificates).toEqual([]);
    expect(evidence.arcInstance).toBeUndefined();
    expect(evidence.unavailable).toEqual([
      { source: 'cluster', reason: 'not_found', message: expect.stringMatching(/^reading the provisioned cluster instance answered HTTP 404 NotFound/) },
      { source: 'kubeconfig', reason: 'forbidden', message: 'listUserKubeconfig answered HTTP 403 AuthorizationFailed: The client may not perform action listUserKubeconfig..' },
    ]);
  });

  it('fails a listing ARM refuses with a SourceReadError, and lists nothing where Microsoft.Kubernetes is not registered', async () => {
    const production = DEMO_SUBSCRIPTIONS.production.subscriptionId;
    simulator.injectFault({ pathIncludes: `${production}/providers/Microsoft.Kubernetes/connectedClusters?`, status: 403, times: 1 });
    await expect(listAll(production)).rejects.toBeInstanceOf(SourceReadError);
    simulator.injectFault({ pathIncludes: `${production}/providers/Microsoft.Kubernetes/connectedClusters?`, status: 409, code: 'MissingSubscriptionRegistration', message: "The subscription is not registered to use namespace 'Microsoft.Kubernetes'.", times: 1 });
    expect(await listAll(production)).toEqual([]);
  });
});
