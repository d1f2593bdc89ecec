import { platformOf } from '../domain/clusterId.js';
import type { ComputeManagementClient } from '@azure/arm-compute';
import pLimit, { type LimitFunction } from 'p-limit';
import { z } from 'zod';
import type { CertificateFacts } from '../domain/certificate.js';
import { SOURCE_LABEL } from '../domain/certificateRules.js';
import { isStopped, type ClusterFacts } from '../domain/cluster.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { UnavailableReason } from '../domain/findings.js';
import { parseNodeProbeOutput, runCommandStdout } from '../domain/nodeProbeOutput.js';
import type { CertificateEvidence, NodeProbeEvidence, UnavailableSource } from '../domain/verdict.js';
import type { EvidenceSource } from '../scan/ports.js';
import type { ArmClients } from './armClients.js';
import { describeArmFailure } from './armErrors.js';
import { LINUX_PROBE_SCRIPT, WINDOWS_PROBE_SCRIPT } from './nodeProbeScripts.js';

/** The tag AKS puts on each node pool's scale set, naming the pool. */
export const POOL_TAG = 'aks-managed-poolName';

/** Run commands at once per probe: each holds a VM agent for seconds, and each is a write ARM counts. */
export const NODE_PROBE_CONCURRENCY = 2;

/** How long one run command may take before its pool is reported `unreachable` (they take tens of seconds; a stuck agent, hours). */
export const RUN_COMMAND_TIMEOUT_MS = 5 * 60_000;

/** A cluster's last node probe as the trail recorded it: its certificates, its failures and what it saw. */
export type RecordedNodeProbe = CertificateEvidence & { nodeProbe: NodeProbeEvidence };

/** Where the last probe of a cluster is read from (audit/lastNodeProbe.ts reads it from the latest recorded verdict). */
export interface NodeProbeHistory {
  lastNodeProbe(cluster: ClusterId): Promise<RecordedNodeProbe | undefined>;
}

export interface NodeProbeOptions {
  /** A cluster probed less than this long ago keeps its last probe's results (NODE_PROBE_HOURS). */
  everyHours: number;
  history?: NodeProbeHistory;
  concurrency?: number;
  runCommandTimeoutMs?: number;
}

/** What the probe reads of an SDK scale set and instance; anything else of them is ignored. */
const scaleSetSchema = z.object({
  name: z.string(),
  tags: z.record(z.string(), z.string()).nullish(),
  virtualMachineProfile: z.object({ storageProfile: z.object({ osDisk: z.object({ osType: z.string().nullish() }).nullish() }).nullish() }).nullish(),
});
const instanceSchema = z.object({ instanceId: z.string().min(1) });

interface PoolScaleSet {
  pool: string;
  name: string;
  windows: boolean;
}

type PoolOutcome = { pool: string; certificates: CertificateFacts[]; unavailable: UnavailableSource[]; bootstrapKubeconfig?: boolean };

/**
 * The node probe (docs/rules.md "Node probe"): for one instance of each node pool's scale set in the
 * cluster's node resource group, runs the read-only script of nodeProbeScripts.ts through the Compute
 * run-command API (a long-running POST: a write, drawn from the subscription's write budget) and reads
 * its output strictly. A pool that cannot be probed is `unavailable` with a reason word, never a failed
 * scan. A cluster probed within `everyHours` is not probed again: its last probe's results come back
 * from the trail, with the time they were read.
 */
export class VmssNodeProbe implements EvidenceSource {
  private readonly slots: LimitFunction;

  constructor(
    private readonly clients: ArmClients,
    private readonly options: NodeProbeOptions,
  ) {
    this.slots = pLimit(options.concurrency ?? NODE_PROBE_CONCURRENCY);
  }

  async read(cluster: ClusterFacts, now: Date): Promise<CertificateEvidence> {
    // A stopped cluster's nodes are deallocated: there is nothing to run a command on (CLUSTER_STOPPED says so).
    // An AKS Arc cluster's nodes are not scale sets in Azure: the probe is AKS's.
    if (isStopped(cluster) || platformOf(cluster) !== 'aks') return { certificates: [], unavailable: [] };
    const last = await this.options.history?.lastNodeProbe(cluster).catch(() => undefined);
    const age = last ? now.getTime() - last.nodeProbe.probedAt.getTime() : Infinity;
    if (last && age >= 0 && age < this.options.everyHours * 3_600_000) return last;
    return this.probe(cluster, now);
  }

  private async probe(cluster: ClusterFacts, now: Date): Promise<CertificateEvidence> {
    const nodeResourceGroup = cluster.nodeResourceGroup;
    if (!nodeResourceGroup) return failed('not_found', 'ARM reports no node resource group for the cluster.');
    let compute: ComputeManagementClient;
    let scaleSets: PoolScaleSet[];
    try {
      compute = await this.clients.computeFor(cluster.subscriptionId);
      scaleSets = [];
      for await (const model of compute.virtualMachineScaleSets.list(nodeResourceGroup)) {
        const set = scaleSetSchema.safeParse(model);
        const pool = set.success ? set.data.tags?.[POOL_TAG] : undefined;
        if (!set.success || pool === undefined) continue; // not a node pool's scale set
        const osType = cluster.agentPools.find((p) => p.name.toLowerCase() === pool.toLowerCase())?.osType ?? set.data.virtualMachineProfile?.storageProfile?.osDisk?.osType;
        scaleSets.push({ pool, name: set.data.name, windows: osType?.toLowerCase() === 'windows' });
      }
    } catch (error) {
      const failure = describeArmFailure(`listing the scale sets of node resource group ${nodeResourceGroup}`, error);
      return failed(failure.reason, `Node probe: ${failure.message}`);
    }
    if (scaleSets.length === 0) return failed('not_found', `Node probe: node resource group ${nodeResourceGroup} holds no node pool scale set (none tagged ${POOL_TAG}).`);
    const outcomes = await Promise.all(scaleSets.map((set) => this.slots(() => this.probePool(compute, nodeResourceGroup, set))));
    return evidenceOf(outcomes, now);
  }

  private async probePool(compute: ComputeManagementClient, resourceGroup: string, set: PoolScaleSet): Promise<PoolOutcome> {
    const where = `node pool ${set.pool} (${set.name})`;
    const poolFailed = (reason: UnavailableReason, message: string): PoolOutcome => ({ pool: set.pool, certificates: [], unavailable: [{ source: 'node-probe', reason, message: `Node probe of ${where}: ${message}` }] });
    let instanceId: string | undefined;
    let step = 'listing its instances';
    try {
      for await (const model of compute.virtualMachineScaleSetVMs.list(resourceGroup, set.name)) {
        const instance = instanceSchema.safeParse(model);
        if (instance.success) {
          instanceId = instance.data.instanceId;
          break;
        }
      }
      if (instanceId === undefined) return poolFailed('not_found', 'the scale set has no instance.');
      step = `running the probe on instance ${instanceId}`;
      const script = set.windows ? WINDOWS_PROBE_SCRIPT : LINUX_PROBE_SCRIPT;
      const timeoutMs = this.options.runCommandTimeoutMs ?? RUN_COMMAND_TIMEOUT_MS;
      const abortSignal = AbortSignal.timeout(timeoutMs);
      const poller = compute.virtualMachineScaleSetVMs.runCommand(resourceGroup, set.name, instanceId, { commandId: set.windows ? 'RunPowerShellScript' : 'RunShellScript', script }, { abortSignal });
      // A pool whose command never ends must not hold the cluster's verdict: it is given up after the timeout.
      const result = await poller.pollUntilDone({ abortSignal }).catch((error: unknown) => {
        if (abortSignal.aborted) throw Object.assign(new Error(`the run command did not finish within ${timeoutMs / 1000} seconds`), { code: 'RunCommandTimeout' });
        throw error;
      });
      const stdout = runCommandStdout(result.value ?? []);
      if (!stdout.ok) return poolFailed('unreadable', `${stdout.problem}.`);
      const parsed = parseNodeProbeOutput(stdout.stdout);
      if (!parsed.ok) return poolFailed('unreadable', `${parsed.problem}.`);
      const { reading } = parsed;
      const fileProblem = (reason: UnavailableReason, what: string) => (source: (typeof reading.missing)[number]): UnavailableSource =>
        ({ source, reason, message: `Node probe of ${where}, instance ${instanceId}: ${SOURCE_LABEL[source]} ${what}.` });
      return {
        pool: set.pool,
        certificates: reading.certificates,
        unavailable: [...reading.missing.map(fileProblem('no_certificate', 'is not on the node')), ...reading.unreadable.map(fileProblem('unreadable', 'could not be read as a certificate'))],
        bootstrapKubeconfig: reading.bootstrapKubeconfig,
      };
    } catch (error) {
      const failure = describeArmFailure(step, error);
      return poolFailed((error as { code?: string }).code === 'RunCommandTimeout' ? 'unreachable' : failure.reason, failure.message);
    }
  }
}

function failed(reason: UnavailableReason, message: string): CertificateEvidence {
  return { certificates: [], unavailable: [{ source: 'node-probe', reason, message }] };
}

/**
 * The pools' outcomes as one evidence. The same certificate read on several pools (the API server's, copied
 * to every node) is one certificate. Only a probe that read some pool is dated: when every pool failed, the
 * next scan tries again instead of carrying the failure for NODE_PROBE_HOURS.
 */
function evidenceOf(outcomes: readonly PoolOutcome[], now: Date): CertificateEvidence {
  const seen = new Set<string>();
  const certificates = outcomes.flatMap((o) => o.certificates).filter((c) => !seen.has(`${c.source}|${c.sha256}`) && seen.add(`${c.source}|${c.sha256}`));
  const pools = outcomes.flatMap((o) => (o.bootstrapKubeconfig === undefined ? [] : [{ pool: o.pool, bootstrapKubeconfig: o.bootstrapKubeconfig }]));
  return {
    certificates,
    unavailable: outcomes.flatMap((o) => o.unavailable),
    ...(pools.length > 0 ? { nodeProbe: { probedAt: now, pools } } : {}),
  };
}
