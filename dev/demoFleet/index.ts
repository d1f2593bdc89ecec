/**
 * The demo fleet: Contoso's AKS clusters in three subscriptions (plus one whose cluster listing is
 * forbidden), each with real certificates dated relative to `now` so that every finding code and
 * eligibility reason of docs/rules.md turns up, and each with the verdict a correct scan reaches
 * (`expected`, default policy, with the API-server probe).
 *
 * Names, ids, GUIDs and FQDNs are stable across runs; keys, certificates and tokens are generated
 * fresh on every call. Boundary clusters are exact to the second: with a `now` that has no
 * milliseconds they sit exactly on the boundary, otherwise just inside it. A scan must use the same
 * `now` to reach `expected`.
 *
 * `buildScaleFleet` builds many ordinary clusters cheaply for benchmarks.
 *
 * The clusters are written in productionClusters.ts, stagingClusters.ts and sandboxClusters.ts, in
 * the language of clusterSpec.ts; buildCluster.ts turns each into a SimulatedCluster.
 */
import type { SimulatedFleet } from '../armSimulator/fleet.js';
import { buildArcClusters } from './arcClusters.js';
import { buildDemoCluster, sharedKeys } from './buildCluster.js';
import type { DemoClusterSpec } from './clusterSpec.js';
import { PRODUCTION_CLUSTERS } from './productionClusters.js';
import { SANDBOX_CLUSTERS } from './sandboxClusters.js';
import { STAGING_CLUSTERS } from './stagingClusters.js';
import { VERSION_SUPPORT_CLUSTERS } from './versionSupportClusters.js';
import { DEMO_TENANT_ID, demoSubscriptions } from './subscriptions.js';

export { DEMO_TENANT_ID, DEMO_SCANNER_CLIENT_ID, DEMO_SCANNER_OBJECT_ID, DEMO_SUBSCRIPTIONS } from './subscriptions.js';
export { SPEC_EXAMPLE_CUSTOM_CA } from './buildCluster.js';
export { LOCAL_ACCOUNTS_DISABLED_MESSAGE } from './credentials.js';
export { EXACT_BOUNDARY_CLUSTERS } from './stagingClusters.js';
export { buildScaleFleet, unevenSubscriptionSizes } from './scaleFleet.js';

/**
 * The clusters that show certificate rotation (their planned maintenance windows come from
 * maintenanceWindows.ts, relative to `now`): due (a `cluster-ca`/`client` certificate past the age
 * limit or expiring critically), tagged `auto`, running and `Succeeded`, with the preferred window open;
 * due and `auto` but the window closed (another day, or today not allowed); tagged `off`; and an open
 * window whose only violation is a custom CA, which rotation does not renew.
 */
export const ROTATION_DEMO_CLUSTERS = {
  dueInOpenWindow: ['aks-checkout-prod-eus2', 'aks-ledger-prod-weu'],
  dueWindowClosed: ['aks-orders-prod-weu', 'aks-catalog-prod-weu'],
  rotationOff: ['aks-ml-sbx-eus2', 'aks-dev-sbx-weu-02'],
  openWindowNotCurable: ['aks-pki-sbx-weu-02'],
  /** Due, `auto` and in an open window, but on an unsupported Kubernetes version (versionSupportClusters.ts). */
  heldVersionUnsupported: ['aks-fx-stg-weu'],
} as const;

/** The earliest `now` the fixed dates of the fleet (2018, 2021, 2022 clusters) are written for. */
export const EARLIEST_DEMO_NOW = new Date('2024-06-01T00:00:00Z');

/** Production's clusters, then staging's, then sandbox's: the order the fleet lists them in. */
const DEMO_CLUSTERS: DemoClusterSpec[] = [...PRODUCTION_CLUSTERS, ...STAGING_CLUSTERS, ...SANDBOX_CLUSTERS, ...VERSION_SUPPORT_CLUSTERS];

/**
 * The demo fleet at `now` (which must not be before {@link EARLIEST_DEMO_NOW}: some clusters have
 * fixed creation dates in 2018–2022). `nodes`: also what the node probe finds on each pool (nodes.ts).
 */
export async function buildDemoFleet(options: { now: Date; nodes?: boolean }): Promise<SimulatedFleet> {
  const { now } = options;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('buildDemoFleet: now must be a valid Date');
  if (now < EARLIEST_DEMO_NOW) {
    throw new RangeError(`buildDemoFleet: now (${now.toISOString()}) is before ${EARLIEST_DEMO_NOW.toISOString()}`);
  }
  const secrets = new Set<string>();
  const keys = await sharedKeys();
  const clusters = await Promise.all(
    DEMO_CLUSTERS.map((spec) => buildDemoCluster(spec, now, DEMO_TENANT_ID, keys, secrets, { nodes: options.nodes ?? false })),
  );
  const connectedClusters = await buildArcClusters(now, DEMO_TENANT_ID, secrets);
  return { subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters, connectedClusters, secrets: [...secrets] };
}
