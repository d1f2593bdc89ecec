/**
 * The Compute side of a managed cluster, as the node probe reaches it: the scale sets AKS keeps in the
 * cluster's node resource group (`properties.nodeResourceGroup`), one per agent pool, named
 * `aks-<pool>-<n>-vmss` and tagged `aks-managed-poolName`; their VM instances; and run-command on an
 * instance as a long-running operation (202 with Azure-AsyncOperation and Location under
 * `Microsoft.Compute/locations/{location}/operations/{id}`), whose result is `{ value: [...] }` in
 * run-command's own output format: Linux one `ProvisioningState/succeeded` status with
 * `Enable succeeded: \n[stdout]\n...\n[stderr]\n...`, Windows `ComponentStatus/StdOut/succeeded` and
 * `ComponentStatus/StdErr/succeeded`.
 *
 *   GET  /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets            (paged)
 *   GET  .../virtualMachineScaleSets/{vmss}/virtualMachines                                                         (paged)
 *   POST .../virtualMachineScaleSets/{vmss}/virtualMachines/{instanceId}/runCommand                              (long-running)
 *   GET  /subscriptions/{sub}/providers/Microsoft.Compute/locations/{location}/operations/{id}[?monitor=true]
 *
 * The output is what the probe's script prints on such a node, computed from the pool's simulated files
 * (fleet.ts `SimulatedCluster.nodes`; a cluster without `nodes` has no scale sets): the request body is not read (the transport drains it), so the
 * command's OS is the pool's. A stopped cluster's instances are deallocated, and run-command refuses them.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { armError, fromSimulatedError, ok, type ArmReply } from './armReply.js';
import { locationOf, powerStateOf, propertiesOf } from './clusterState.js';
import type { SimulatedArmError, SimulatedCluster, SimulatedNodePool } from './fleet.js';
import type { FleetIndex } from './fleetIndex.js';
import { pageOf } from './paging.js';

/** What compute routes need of the route context (routes.ts). */
export interface ComputeRouteContext {
  index: FleetIndex;
  baseUrl: string;
  pageSizes: { clusters: number };
}

interface RunCommandOperation {
  id: string;
  subscriptionId: string;
  location: string;
  startTime: Date;
  result: { value: Array<Record<string, unknown>> } | { error: SimulatedArmError } | 'hangs';
}

/** Each simulator's run-command operations (keyed by its fleet index: one per server). */
const operationsOf = new WeakMap<FleetIndex, Map<string, RunCommandOperation>>();

const POOL_TAG = 'aks-managed-poolName';
const FILES = ['kubelet-client', 'kubelet-serving', 'node-apiserver'] as const;

interface ScaleSet {
  cluster: SimulatedCluster;
  pool: string;
  windows: boolean;
  count: number;
  name: string;
  id: string;
}

/** The scale sets of a node resource group: one per agent pool of the cluster that owns the group. */
function scaleSetsIn(ctx: ComputeRouteContext, subscriptionId: string, resourceGroup: string): ScaleSet[] {
  const cluster = ctx.index.clusters(subscriptionId).find((c) => String(propertiesOf(c)['nodeResourceGroup'] ?? '').toLowerCase() === resourceGroup.toLowerCase());
  // A cluster the fleet gives no nodes has no scale sets either (the demo's clusters without certificates).
  if (cluster?.nodes === undefined) return [];
  const profiles = propertiesOf(cluster)['agentPoolProfiles'];
  const suffix = createHash('sha256').update(cluster.resource.id.toLowerCase()).digest('hex').replace(/[a-f]/g, '').padEnd(8, '0').slice(0, 8);
  return (Array.isArray(profiles) ? profiles : []).map((profile: Record<string, unknown>) => {
    const pool = String(profile['name']);
    const name = `aks-${pool}-${suffix}-vmss`;
    return {
      cluster, pool, name, windows: profile['osType'] === 'Windows', count: Math.max(1, Number(profile['count'] ?? 1)),
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/${name}`,
    };
  });
}

function scaleSetBody(set: ScaleSet) {
  const osDisk = { osType: set.windows ? 'Windows' : 'Linux', createOption: 'FromImage', caching: 'ReadOnly' };
  return {
    id: set.id, name: set.name, type: 'Microsoft.Compute/virtualMachineScaleSets', location: locationOf(set.cluster),
    tags: { [POOL_TAG]: set.pool, 'aks-managed-orchestrator': 'Kubernetes', 'aks-managed-createOperationID': randomUUID() },
    sku: { name: 'Standard_D4ds_v5', tier: 'Standard', capacity: set.count },
    properties: {
      orchestrationMode: 'Uniform', provisioningState: 'Succeeded', uniqueId: randomUUID(),
      virtualMachineProfile: { storageProfile: { osDisk }, osProfile: { computerNamePrefix: set.name, adminUsername: 'azureuser' } },
    },
  };
}

function instanceBody(set: ScaleSet, instanceId: number) {
  return {
    id: `${set.id}/virtualMachines/${instanceId}`, name: `${set.name}_${instanceId}`, instanceId: String(instanceId),
    type: 'Microsoft.Compute/virtualMachineScaleSets/virtualMachines', location: locationOf(set.cluster),
    properties: { provisioningState: 'Succeeded', latestModelApplied: true, osProfile: { computerName: `${set.name.replace(/-vmss$/, '')}-vmss${String(instanceId).padStart(6, '0')}` } },
  };
}

function operationUrl(ctx: ComputeRouteContext, op: RunCommandOperation, version: string, monitor: boolean): string {
  const url = new URL(`/subscriptions/${op.subscriptionId}/providers/Microsoft.Compute/locations/${op.location}/operations/${op.id}`, ctx.baseUrl);
  if (monitor) url.searchParams.set('monitor', 'true');
  url.searchParams.set('api-version', version);
  return url.toString();
}

/** OpenSSL's `-subject`/`-issuer` form (`O = system:nodes, CN = ...`), or .NET's `Subject` on Windows (`CN=..., O=...`). */
function distinguishedName(lines: string, windows: boolean): string {
  const parts = lines.split('\n');
  return windows ? parts.reverse().join(', ') : parts.map((part) => part.replace('=', ' = ')).join(', ');
}

/** What the probe's script prints on one of the pool's nodes. */
export function probeStdout(node: SimulatedNodePool | undefined, windows: boolean): string {
  const lines = [...(node?.stdoutPrefix !== undefined ? [node.stdoutPrefix] : []), 'akscert-node-probe v1'];
  for (const file of FILES) {
    lines.push(`file=${file}`);
    const pem = node?.files[file];
    if (pem === undefined) {
      lines.push('missing');
      continue;
    }
    const certificate = new X509Certificate(pem);
    lines.push(
      `subject=${distinguishedName(certificate.subject, windows)}`,
      `issuer=${distinguishedName(certificate.issuer, windows)}`,
      `serial=${certificate.serialNumber.toUpperCase()}`,
      // Node prints validity as OpenSSL does (`Mar  1 12:00:00 2026 GMT`).
      `notBefore=${certificate.validFrom}`,
      `notAfter=${certificate.validTo}`,
      `sha256 Fingerprint=${certificate.fingerprint256}`,
    );
  }
  lines.push(`bootstrap-kubeconfig=${node?.bootstrapKubeconfig === false ? 'absent' : 'present'}`, 'akscert-node-probe end');
  return `${lines.join('\n')}\n`;
}

function runCommandResult(set: ScaleSet): RunCommandOperation['result'] {
  const node = set.cluster.nodes?.find((n) => n.pool.toLowerCase() === set.pool.toLowerCase());
  if (node?.runCommandHangs) return 'hangs';
  if (node?.runCommandError !== undefined) return { error: node.runCommandError };
  const stdout = probeStdout(node, set.windows);
  const status = (code: string, message: string) => ({ code, level: 'Info', displayStatus: 'Provisioning succeeded', message });
  return set.windows
    ? { value: [status('ComponentStatus/StdOut/succeeded', stdout.replace(/\n/g, '\r\n')), status('ComponentStatus/StdErr/succeeded', '')] }
    : { value: [status('ProvisioningState/succeeded', `Enable succeeded: \n[stdout]\n${stdout}\n[stderr]\n`)] };
}

function runCommand(ctx: ComputeRouteContext, set: ScaleSet, instanceId: string, url: URL): ArmReply {
  if (!/^\d+$/.test(instanceId) || Number(instanceId) >= set.count) {
    return armError(404, 'NotFound', `The entity was not found in this Azure location.`);
  }
  if (powerStateOf(set.cluster) === 'Stopped') {
    return armError(409, 'OperationNotAllowed', `Operation 'RunCommand' is not allowed on VM '${set.name}_${instanceId}' since the VM is deallocated.`);
  }
  const op: RunCommandOperation = { id: randomUUID(), subscriptionId: set.cluster.subscriptionId, location: locationOf(set.cluster), startTime: new Date(), result: runCommandResult(set) };
  let operations = operationsOf.get(ctx.index);
  if (operations === undefined) operationsOf.set(ctx.index, (operations = new Map()));
  operations.set(op.id, op);
  const version = url.searchParams.get('api-version') ?? '';
  return {
    status: 202,
    headers: { 'azure-asyncoperation': operationUrl(ctx, op, version, false), location: operationUrl(ctx, op, version, true), 'retry-after': '0' },
  };
}

/** `GET .../Microsoft.Compute/locations/{location}/operations/{id}`: the status, or with `monitor=true` the result. */
export function computeOperationRoute(ctx: ComputeRouteContext, method: string, url: URL, subscriptionId: string, operationId: string): ArmReply {
  if (method !== 'GET') return armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
  const op = operationsOf.get(ctx.index)?.get(operationId);
  if (op === undefined || op.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) return armError(404, 'NotFound', `Operation '${operationId}' was not found.`);
  if (op.result === 'hangs') {
    const status = { startTime: op.startTime.toISOString(), status: 'InProgress', name: op.id };
    return url.searchParams.get('monitor') === 'true' ? { status: 202, headers: { 'retry-after': '1' } } : { status: 200, body: status, headers: { 'retry-after': '1' } };
  }
  const failed = 'error' in op.result;
  if (url.searchParams.get('monitor') === 'true') return 'error' in op.result ? fromSimulatedError(op.result.error) : ok(op.result);
  return ok({
    startTime: op.startTime.toISOString(), endTime: new Date().toISOString(), status: failed ? 'Failed' : 'Succeeded', name: op.id,
    ...('error' in op.result ? { error: { code: op.result.error.code, message: op.result.error.message } } : { properties: { output: op.result } }),
  });
}

/** Routes under `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachineScaleSets...`. */
export function scaleSetRoute(ctx: ComputeRouteContext, method: string, url: URL, subscriptionId: string, raw: string[], lower: string[]): ArmReply {
  const rg = raw[3]!;
  const sets = scaleSetsIn(ctx, subscriptionId, rg);
  if (lower.length === 7) return method === 'GET' ? pageOf(sets.map(scaleSetBody), url, ctx.baseUrl, ctx.pageSizes.clusters) : armError(405, 'MethodNotAllowed', `The requested resource does not support http method '${method}'.`);
  const set = sets.find((s) => s.name.toLowerCase() === lower[7]);
  if (set === undefined) return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Compute/virtualMachineScaleSets/${raw[7]}' under resource group '${rg}' was not found.`);
  if (lower.length === 9 && lower[8] === 'virtualmachines' && method === 'GET') {
    return pageOf(Array.from({ length: set.count }, (_, i) => instanceBody(set, i)), url, ctx.baseUrl, ctx.pageSizes.clusters);
  }
  if (lower.length === 11 && lower[8] === 'virtualmachines' && lower[10] === 'runcommand' && method === 'POST') return runCommand(ctx, set, raw[9]!, url);
  return armError(404, 'InvalidResourceType', `The simulator does not serve '${url.pathname}'.`);
}
