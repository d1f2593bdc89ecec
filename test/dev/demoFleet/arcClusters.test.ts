/**
 * The demo's AKS enabled by Azure Arc clusters: the REST shapes they are served in, and an independent
 * reading of docs/rules.md ("AKS enabled by Azure Arc"), not the project's domain code, that must reach
 * each one's `expected` verdict.
 */
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedConnectedCluster } from '../../../dev/armSimulator/connectedClusters.js';
import { buildArcClusters } from '../../../dev/demoFleet/arcClusters.js';
import { DEMO_TENANT_ID } from '../../../dev/demoFleet/index.js';

const DAY = 86_400_000;
const now = new Date();
let connected: SimulatedConnectedCluster[];
const secrets = new Set<string>();

beforeAll(async () => {
  connected = await buildArcClusters(now, DEMO_TENANT_ID, secrets);
});

const arc = () => connected.filter((c) => c.resource['kind'] === 'ProvisionedCluster');

/** Oracle: the codes a correct scan finds, from the wire shapes alone. */
function judge(cluster: SimulatedConnectedCluster): { status: string; findingCodes: string[] } {
  const findings: Array<[string, 'warning' | 'violation']> = [];
  const properties = cluster.resource['properties'] as Record<string, string>;
  const updatedAt = Date.parse((cluster.instance!['systemData'] as Record<string, string>)['lastModifiedAt']!);
  const sinceUpdate = now.getTime() - updatedAt;
  if (sinceUpdate > 90 * DAY) findings.push(['ARC_UPDATE_OVERDUE', 'violation']);
  else if (sinceUpdate > 60 * DAY) findings.push(['ARC_UPDATE_OVERDUE', 'warning']);
  if (properties['connectivityStatus'] === 'Expired' || Date.parse(properties['managedIdentityCertificateExpirationTime']!) <= now.getTime()) {
    findings.push(['ARC_CONNECTIVITY_EXPIRED', 'violation']);
  }
  const credential = cluster.userKubeconfig!;
  if (!('kubeconfig' in credential)) throw new Error('no kubeconfig');
  const kubeconfig = parse(credential.kubeconfig) as { clusters: Array<{ cluster: Record<string, string> }>; users: Array<{ user: Record<string, string> }> };
  const pems = [kubeconfig.clusters[0]!.cluster['certificate-authority-data']!, kubeconfig.users[0]!.user['client-certificate-data']!];
  for (const pem of pems) {
    const left = new Date(new X509Certificate(Buffer.from(pem, 'base64')).validTo).getTime() - now.getTime();
    if (left <= 0) findings.push(['CERT_EXPIRED', 'violation']);
    else if (left <= 7 * DAY) findings.push(['CERT_EXPIRING_CRITICAL', 'violation']);
    else if (left <= 30 * DAY) findings.push(['CERT_EXPIRING_SOON', 'warning']);
  }
  const status = findings.some(([, s]) => s === 'violation') ? 'violation' : findings.length > 0 ? 'warning' : 'compliant';
  return { status, findingCodes: [...new Set(findings.map(([code]) => code))].sort() };
}

describe('the demo AKS Arc clusters', () => {
  it('reach every expected verdict with an independent reading of docs/rules.md', () => {
    const mismatches = arc()
      .map((c) => ({ name: c.resource.name, expected: { status: c.expected!.status, findingCodes: c.expected!.findingCodes }, actual: judge(c) }))
      .filter((m) => JSON.stringify(m.expected) !== JSON.stringify(m.actual));
    expect(mismatches).toEqual([]);
  });

  it('trip each Arc rule, both severities of ARC_UPDATE_OVERDUE, an expiring client certificate, and include a compliant one', () => {
    const seen = arc().map((c) => `${c.expected!.status}:${c.expected!.findingCodes.join(',')}`).sort();
    expect(seen).toEqual([
      'compliant:', 'violation:ARC_CONNECTIVITY_EXPIRED', 'violation:ARC_UPDATE_OVERDUE', 'warning:ARC_UPDATE_OVERDUE', 'warning:CERT_EXPIRING_SOON',
    ]);
    for (const c of arc()) expect(c.expected!.purpose.length).toBeGreaterThan(20);
  });

  it('are served in the REST shapes: a connected cluster of kind ProvisionedCluster, its instance default, a base64-free kubeconfig', () => {
    for (const c of arc()) {
      expect(c.resource.id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Kubernetes\/connectedClusters\/[^/]+$/);
      expect(c.resource).toMatchObject({ type: 'microsoft.kubernetes/connectedclusters', kind: 'ProvisionedCluster', properties: { distribution: 'AKS', provisioningState: 'Succeeded' } });
      expect(c.instance).toMatchObject({ id: `${c.resource.id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`, name: 'default', properties: { status: { currentState: 'Succeeded' } } });
      expect(c.expected!.autoRotationReasons).toEqual([]);
    }
  });

  it('keep their secrets in the kubeconfigs only, never in the resources', () => {
    const resources = JSON.stringify(connected.map((c) => [c.resource, c.instance]));
    expect(secrets.size).toBeGreaterThanOrEqual(arc().length * 2);
    expect([...secrets].filter((s) => resources.includes(s))).toEqual([]);
  });

  it('include a connected cluster of another kind, without an instance or a verdict', () => {
    const other = connected.filter((c) => c.resource['kind'] !== 'ProvisionedCluster');
    expect(other.map((c) => [c.resource.name, c.instance, c.expected])).toEqual([['k3s-lab-01', undefined, undefined]]);
  });
});
