/**
 * What the node probe finds on a few demo clusters' pools besides healthy nodes (nodes.ts), so that
 * `npm start` (which runs with the node probe on) shows each case of docs/rules.md "Node probe". The
 * clusters' `expected` verdicts are those of a scan without the probe, and stay as they are.
 */
import type { SimulatedArmError } from '../armSimulator/fleet.js';

export interface PoolScenario {
  /** false: the pool has no bootstrap kubeconfig (TLS_BOOTSTRAP_DISABLED). */
  bootstrapKubeconfig?: boolean;
  /** The kubelet serving certificate expires this many days from now. */
  servingExpiresInDays?: number;
  runCommandError?: SimulatedArmError;
  stdoutPrefix?: string;
}

/** By cluster name, then pool name. */
export const NODE_PROBE_SCENARIOS: Readonly<Record<string, Readonly<Record<string, PoolScenario>>>> = {
  // A pool built with TLS bootstrapping turned off: AKS cannot rotate its kubelet's certificate.
  'aks-payments-stg-weu': { system: { bootstrapKubeconfig: false } },
  // A kubelet serving certificate expiring in 20 days, where serving certificate rotation is off.
  'aks-payments-prod-weu': { system: { servingExpiresInDays: 20 } },
  // A node whose VM agent does not answer: the run command fails, the scan goes on.
  'aks-imagebuild-stg-weu': {
    system: { runCommandError: { status: 409, code: 'VMAgentStatusCommunicationError', message: "VM 'aks-system-vmss_0' has not reported status for VM agent or extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it can establish outbound connections to Azure storage." } },
  },
  // A node image whose shell prints a banner before the script's output: the probe refuses it whole.
  'aks-mariner-sbx-neu': { system: { stdoutPrefix: 'Welcome to Azure Linux 3.0' } },
};
