/**
 * The nodes of a demo cluster as the node probe finds them (armSimulator/nodePools.ts): per agent pool,
 * a kubelet client and a kubelet serving certificate signed by the cluster's CA, and the API server
 * certificate copied to the node, with TLS bootstrapping on. The dates are the client certificate's,
 * as the API server's are, so a scan with the node probe reaches the same finding codes as one without;
 * nodeProbeScenarios.ts changes a few clusters' pools to show what the probe finds on the others.
 */
import type { SimulatedNodePool } from '../armSimulator/fleet.js';
import { type CertificateAuthority, type KeyMaterial, DAY_MS, createLeafCertificate, floorToSecond } from '../certificates.js';
import type { PoolSpec } from './clusterSpec.js';
import { NODE_PROBE_SCENARIOS } from './nodeProbeScenarios.js';

export interface NodeInputs {
  clusterName: string;
  pools: readonly PoolSpec[];
  ca: CertificateAuthority;
  /** Signs nothing: the nodes' public key (the probe never reads a key). */
  key: KeyMaterial;
  notBefore: Date;
  notAfter: Date;
  /** The API server's certificate (PEM), absent for private clusters: then one with the same dates is made. */
  apiServerPem?: string;
  now: Date;
}

export async function demoNodes(inputs: NodeInputs): Promise<SimulatedNodePool[]> {
  const { ca, key, notBefore, notAfter } = inputs;
  const scenario = NODE_PROBE_SCENARIOS[inputs.clusterName] ?? {};
  const apiServerPem = inputs.apiServerPem
    ?? (await createLeafCertificate({ key, issuer: ca, subject: 'CN=apiserver', notBefore, notAfter, usage: 'server', dnsNames: ['kubernetes'] })).pem;
  return Promise.all(inputs.pools.map(async (pool): Promise<SimulatedNodePool> => {
    const node = `aks-${pool.name}-vmss000000`;
    const poolScenario = scenario[pool.name] ?? {};
    const servingNotAfter = poolScenario.servingExpiresInDays === undefined ? notAfter : floorToSecond(new Date(inputs.now.getTime() + poolScenario.servingExpiresInDays * DAY_MS));
    const [client, serving] = await Promise.all([
      createLeafCertificate({ key, issuer: ca, subject: `CN=system:node:${node}, O=system:nodes`, notBefore, notAfter, usage: 'client' }),
      createLeafCertificate({ key, issuer: ca, subject: `CN=${node}`, notBefore, notAfter: servingNotAfter, usage: 'server', dnsNames: [node] }),
    ]);
    return {
      pool: pool.name,
      files: { 'kubelet-client': client.pem, 'kubelet-serving': serving.pem, 'node-apiserver': apiServerPem },
      bootstrapKubeconfig: poolScenario.bootstrapKubeconfig ?? true,
      ...(poolScenario.runCommandError ? { runCommandError: poolScenario.runCommandError } : {}),
      ...(poolScenario.stdoutPrefix !== undefined ? { stdoutPrefix: poolScenario.stdoutPrefix } : {}),
    };
  }));
}
