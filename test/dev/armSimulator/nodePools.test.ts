/**
 * The simulator's Compute surface on the wire (dev/armSimulator/nodePools.ts): the node resource group's
 * scale sets and instances, and run-command as a long-running operation in run-command's output format.
 */
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { probeStdout } from '../../../dev/armSimulator/nodePools.js';
import { startArmSimulator, type ArmSimulator } from '../../../dev/armSimulator/server.js';
import { parseNodeProbeOutput, runCommandStdout } from '../../../shared/domain/nodeProbeOutput.js';
import { realCertificate } from '../../support/certificates.js';
import { TENANT, clusterResource } from './simulatorKit.js';

const SUB = '77777777-7777-4777-8777-777777777777';
const NODE_RG = 'MC_rg-nodes_nodes_westeurope';
let simulator: ArmSimulator;
let kubeletPem: string;

beforeAll(async () => {
  kubeletPem = (await realCertificate(new Date('2026-03-01T12:00:00Z'), new Date('2027-03-01T12:00:00Z'), 'CN=system:node:aks-system-vmss000000, O=system:nodes')).pem;
  const resource = clusterResource(SUB, 'rg-nodes', 'nodes');
  const properties = resource['properties'] as Record<string, unknown> & { agentPoolProfiles: Array<Record<string, unknown>> };
  properties['nodeResourceGroup'] = NODE_RG;
  Object.assign(properties.agentPoolProfiles[1]!, { name: 'win', osType: 'Windows', count: 2 });
  const stopped = clusterResource(SUB, 'rg-nodes', 'stopped');
  Object.assign(stopped['properties'] as object, { nodeResourceGroup: 'MC_rg-nodes_stopped_westeurope', powerState: { code: 'Stopped' } });
  const fleet: SimulatedFleet = {
    subscriptions: [{ subscriptionId: SUB, displayName: 'Nodes', tenantId: TENANT }],
    clusters: [
      { subscriptionId: SUB, resource, credentials: {}, nodes: [{ pool: 'system', files: { 'kubelet-client': kubeletPem }, bootstrapKubeconfig: false }, { pool: 'win', files: {}, bootstrapKubeconfig: true }] },
      { subscriptionId: SUB, resource: stopped, credentials: {}, nodes: [] },
    ],
    secrets: [],
  };
  simulator = await startArmSimulator({ fleet, tls: inject('devTls'), throttle: false });
});
afterAll(async () => simulator?.close());

function call(method: string, pathOrUrl: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  const url = new URL(pathOrUrl, simulator.url);
  if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', '2026-04-01');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers: { authorization: 'Bearer raw', 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? JSON.stringify({ commandId: 'RunShellScript', script: ['true'] }) : undefined);
  });
}
const scaleSets = `/subscriptions/${SUB}/resourceGroups/${NODE_RG}/providers/Microsoft.Compute/virtualMachineScaleSets`;

describe('the simulated node resource group', () => {
  it('lists one scale set per agent pool, tagged with its pool and named aks-<pool>-<n>-vmss, and their instances', async () => {
    const { status, body } = await call('GET', scaleSets);
    expect(status).toBe(200);
    expect(body.value.map((s: any) => [s.name.replace(/\d{8}/, 'N'), s.tags['aks-managed-poolName'], s.properties.virtualMachineProfile.storageProfile.osDisk.osType]))
      .toEqual([['aks-system-N-vmss', 'system', 'Linux'], ['aks-win-N-vmss', 'win', 'Windows']]);
    const win = body.value[1].name;
    const instances = await call('GET', `${scaleSets}/${win}/virtualMachines`);
    expect(instances.body.value.map((vm: any) => vm.instanceId)).toEqual(['0', '1']);
    expect((await call('GET', `/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Compute/virtualMachineScaleSets`)).body.value).toEqual([]);
  });

  it('runs a command as a long-running operation whose result is in run-command\'s output format', async () => {
    const [linux, windows] = (await call('GET', scaleSets)).body.value.map((s: any) => s.name);
    const accepted = await call('POST', `${scaleSets}/${linux}/virtualMachines/0/runCommand`);
    expect(accepted.status).toBe(202);
    const asyncUrl = String(accepted.headers['azure-asyncoperation']);
    expect(asyncUrl).toMatch(new RegExp(`/subscriptions/${SUB}/providers/Microsoft.Compute/locations/westeurope/operations/[0-9a-f-]{36}\\?api-version=`));
    expect(String(accepted.headers['location'])).toContain('monitor=true');
    const status = await call('GET', asyncUrl);
    expect(status.body).toMatchObject({ status: 'Succeeded', properties: { output: { value: [{ code: 'ProvisioningState/succeeded', level: 'Info' }] } } });
    const result = await call('GET', String(accepted.headers['location']));
    expect(result.body.value[0].message).toMatch(/^Enable succeeded: \n\[stdout\]\nakscert-node-probe v1\n[\s\S]*\n\[stderr\]\n$/);
    const stdout = runCommandStdout(result.body.value);
    expect(stdout.ok && parseNodeProbeOutput(stdout.stdout)).toMatchObject({ ok: true, reading: { missing: ['kubelet-serving', 'node-apiserver'], bootstrapKubeconfig: false } });

    const win = await call('GET', String((await call('POST', `${scaleSets}/${windows}/virtualMachines/1/runCommand`)).headers['location']));
    expect(win.body.value.map((s: any) => s.code)).toEqual(['ComponentStatus/StdOut/succeeded', 'ComponentStatus/StdErr/succeeded']);
    expect(win.body.value[0].message).toContain('\r\nbootstrap-kubeconfig=present\r\n');
  });

  it('refuses an instance that does not exist and the deallocated nodes of a stopped cluster', async () => {
    const [linux] = (await call('GET', scaleSets)).body.value.map((s: any) => s.name);
    expect((await call('POST', `${scaleSets}/${linux}/virtualMachines/9/runCommand`)).status).toBe(404);
    const stoppedSets = `/subscriptions/${SUB}/resourceGroups/MC_rg-nodes_stopped_westeurope/providers/Microsoft.Compute/virtualMachineScaleSets`;
    const stoppedSet = (await call('GET', stoppedSets)).body.value[0].name;
    expect(await call('POST', `${stoppedSets}/${stoppedSet}/virtualMachines/0/runCommand`)).toMatchObject({ status: 409, body: { error: { code: 'OperationNotAllowed' } } });
  });

  it('prints certificates as OpenSSL does, and .NET\'s names on Windows', () => {
    const node = { pool: 'system', files: { 'kubelet-client': kubeletPem }, bootstrapKubeconfig: true };
    expect(probeStdout(node, false)).toContain('\nsubject=CN = system:node:aks-system-vmss000000, O = system:nodes\nissuer=CN = ca\n');
    expect(probeStdout(node, false)).toContain('\nnotBefore=Mar  1 12:00:00 2026 GMT\nnotAfter=Mar  1 12:00:00 2027 GMT\n');
    expect(probeStdout(node, true)).toContain('\nsubject=O=system:nodes, CN=system:node:aks-system-vmss000000\n');
    expect(probeStdout({ ...node, stdoutPrefix: 'banner' }, false).startsWith('banner\nakscert-node-probe v1\n')).toBe(true);
  });
});
