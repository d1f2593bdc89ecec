import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { findFreePort } from '../../../dev/freePort.js';
import { TlsApiServerProbe } from '../../../shared/azure/apiServerProbe.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import { certificateFactsFromDer } from '../../../shared/domain/certificate.js';
import { apiServerProbeFor, simulatorFor } from '../../support/environment.js';
import { X509Certificate } from '@peculiar/x509';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet);
});
afterAll(async () => simulator?.close());

/** What the probe reads of a cluster: its FQDNs (the wire's privateFQDN is the SDK's privateFqdn). */
const factsOf = (cluster: SimulatedFleet['clusters'][number]): ClusterFacts => {
  const properties = cluster.resource['properties'] as { fqdn?: string; privateFQDN?: string };
  return {
    id: cluster.resource.id, subscriptionId: cluster.subscriptionId, resourceGroup: 'rg', name: cluster.resource.name, location: '',
    tags: {}, agentPools: [], customCaTrustCertificates: [], fqdn: properties.fqdn, privateFqdn: properties.privateFQDN,
  };
};

describe('TlsApiServerProbe', () => {
  it('reads the certificate the API server presents for the cluster FQDN (SNI)', async () => {
    const cluster = fleet.clusters.find((c) => c.apiServer)!;
    const evidence = await apiServerProbeFor(simulator).readCertificate(factsOf(cluster));
    const expected = certificateFactsFromDer(new Uint8Array(new X509Certificate(cluster.apiServer!.certificatePem).rawData), 'apiserver');
    expect(evidence).toEqual({ certificates: [expected], unavailable: [] });
  });

  it('says a private cluster has no public API server to probe', async () => {
    const cluster = fleet.clusters.find((c) => !c.apiServer)!;
    expect(await apiServerProbeFor(simulator).readCertificate(factsOf(cluster))).toMatchObject({
      certificates: [], unavailable: [{ source: 'apiserver', reason: 'private_cluster' }],
    });
  });

  it('reports an API server it cannot reach as unreachable, naming the FQDN', async () => {
    const cluster = fleet.clusters.find((c) => c.apiServer)!;
    const probe = new TlsApiServerProbe({ connectTo: { host: '127.0.0.1', port: await findFreePort() }, timeoutMs: 2_000 });
    const evidence = await probe.readCertificate(factsOf(cluster));
    expect(evidence.unavailable).toEqual([{ source: 'apiserver', reason: 'unreachable', message: expect.stringMatching(/azmk8s\.io:443 failed \(ECONNREFUSED\)/) }]);
  });
});
