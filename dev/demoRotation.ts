import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../shared/config.js';
import { parsePolicy, type Policy } from '../shared/domain/policy.js';
import type { ClusterVerdict } from '../shared/domain/verdict.js';
import { pollRotations } from '../shared/rotation/pollRotations.js';
import { describeHeld, remediate } from '../shared/rotation/remediate.js';
import { complianceStorage, openComplianceStore, scanSources } from '../shared/wiring/adapters.js';
import { rotationDependencies } from '../shared/wiring/rotation.js';

/** The policy the demo remediates with: the default one, rotating automatically. */
export const DEMO_ROTATION_POLICY: Policy = parsePolicy({ rotation: { mode: 'auto' } });

/**
 * The demo's remediating pass (README "Rotation"): the scan's verdicts acted on with `rotation.mode:
 * auto`, each held candidate printed with its reason, then the rotations polled to their end and
 * verified by a rescan, so that the history and the dashboard show a rotation start, complete and verify.
 */
export async function demoRemediation(config: Config, verdicts: readonly ClusterVerdict[], info: (line: string) => void, timeoutMs = 60_000): Promise<void> {
  const storage = complianceStorage(config);
  const deps = await rotationDependencies(config, { storage, store: openComplianceStore(config, storage), policy: DEMO_ROTATION_POLICY, sources: scanSources(config), log: info });
  info('');
  info('Remediating with rotation.mode auto (as `akscert scan --remediate` does):');
  const outcomes = await remediate(verdicts, deps);
  const started = outcomes.filter((o) => o.remediation.state === 'started');
  for (const o of started) info(`  started: ${o.name} (operation ${o.remediation.operationId ?? 'unconfirmed'})`);
  for (const line of describeHeld(outcomes)) info(`  held: ${line}`);
  if (started.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const step of await pollRotations(deps)) info(`  ${step.clusterId.split('/').at(-1)}: ${step.from} -> ${step.to}`);
    // Only this pass's rotations: an earlier demo stopped mid-rotation left records this simulator never ran.
    const inFlight = (await deps.records.pending()).filter((r) => started.some((o) => o.clusterId === r.clusterId));
    if (inFlight.length === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  const done = (await deps.records.list()).filter((r) => started.some((o) => o.clusterId === r.clusterId));
  for (const r of done.filter((r) => r.state !== 'requested' && r.state !== 'started' && r.state !== 'running')) {
    info(`  ${r.name}: ${r.state}${r.verified ? ', verified by the rescan' : ''}; fetch its kubeconfig again: az aks get-credentials -g ${r.resourceGroup} -n ${r.name} --overwrite-existing`);
  }
  info('Each step is in the cluster\'s history (`akscert history <id>`) and on its dashboard page; `akscert rotations` lists them.');
}
