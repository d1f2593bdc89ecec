/**
 * Clusters for version support and kubelet serving certificate rotation (docs/rules.md "Version
 * support", "Kubelet serving certificate rotation"), against the simulator's region versions
 * (dev/armSimulator/versionRoutes.ts: 1.27 and 1.28 only under long-term support, 1.29 to 1.31
 * under both plans).
 */
import type { DemoClusterSpec } from './clusterSpec.js';
import { daysAgo, stgTags, sbxTags, systemPool, userPool, verdict } from './clusterSpec.js';
import { CRITICAL, DEADLOCK, SERVING_DISABLED, VERSION_UNSUPPORTED } from './findingCodes.js';
import { openDaily } from './maintenanceWindows.js';

/** The day AKS stops honouring the serving-rotation opt-out tag (shared/domain/kubeletServingRotation.ts). */
const OPT_OUT_ENDS = new Date('2027-04-01T00:00:00.000Z');

/** A snapshot of a node pool taken in December 2024, before node image 202501.12.0. */
const OLD_SNAPSHOT = '/subscriptions/7e1d9a3c-2b4f-4e8a-a6c5-3f9b0d2e7c18/resourceGroups/rg-images-stg/providers/Microsoft.ContainerService/snapshots/snap-ubuntu-202412';

export const VERSION_SUPPORT_CLUSTERS: DemoClusterSpec[] = [
  {
    subscription: 'staging',
    name: 'aks-quotes-stg-weu',
    resourceGroup: 'rg-quotes-stg',
    location: 'westeurope',
    tags: stgTags('quotes', 'pricing'),
    kubernetesVersion: '1.28.5',
    pools: [systemPool('Standard_D4ds_v5', 2)],
    ca: { notBefore: daysAgo(20) },
    client: { notBefore: daysAgo(20) },
    expected: verdict('warning', [VERSION_UNSUPPORTED], [],
      'On 1.28, which the region offers only under long-term support while the cluster is on the official plan: unsupported, certificates fresh, so no deadlock yet.'),
  },
  {
    subscription: 'staging',
    name: 'aks-fx-stg-weu',
    resourceGroup: 'rg-fx-stg',
    location: 'westeurope',
    tags: stgTags('fx', 'pricing', { 'aks-cert-compliance/rotation': 'auto' }),
    kubernetesVersion: '1.28.15',
    pools: [systemPool('Standard_D4ds_v5', 2)],
    // A 20-day client certificate issued 15 days ago: expiring critically, not yet past AKS's 80%.
    ca: { notBefore: daysAgo(15) },
    client: { notBefore: daysAgo(15), validityDays: 20 },
    maintenance: [openDaily('aksManagedNodeOSUpgradeSchedule', '+01:00')],
    expected: verdict('violation', [CRITICAL, DEADLOCK, VERSION_UNSUPPORTED], [],
      'Unsupported 1.28 with a certificate expiring in 5 days: the upgrade/rotation deadlock is near, and remediation holds it as version_unsupported although its window is open.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-forgotten-sbx-weu',
    resourceGroup: 'rg-forgotten-sbx',
    location: 'westeurope',
    tags: sbxTags('forgotten', 'platform'),
    kubernetesVersion: '1.26.15',
    pools: [systemPool('Standard_B4ms', 1)],
    upgrades: [],
    ca: { notBefore: daysAgo(30) },
    client: { notBefore: daysAgo(30) },
    expected: verdict('violation', [DEADLOCK, SERVING_DISABLED, VERSION_UNSUPPORTED], [],
      'On 1.26, no longer listed in the region, and its upgrade profile offers no upgrade: no way out but support; below 1.27 its kubelets do not rotate serving certificates.'),
  },
  {
    subscription: 'staging',
    name: 'aks-images-stg-weu',
    resourceGroup: 'rg-images-stg',
    location: 'westeurope',
    tags: stgTags('images', 'platform'),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('batch', 'Standard_D8ds_v5', 2, { snapshotId: OLD_SNAPSHOT, nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202412.04.0' })],
    ca: { notBefore: daysAgo(25) },
    client: { notBefore: daysAgo(25) },
    expected: verdict('warning', [SERVING_DISABLED], [],
      'Its batch pool was created from a December 2024 snapshot (node image 202412.04.0, older than 202501.12.0): no kubelet serving certificate rotation there.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-optout-sbx-weu',
    resourceGroup: 'rg-optout-sbx',
    location: 'westeurope',
    tags: sbxTags('optout', 'platform'),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_B4ms', 1), userPool('legacy', 'Standard_D4ds_v5', 1, { tags: { 'aks-disable-kubelet-serving-certificate-rotation': 'true' } })],
    ca: { notBefore: daysAgo(10) },
    client: { notBefore: daysAgo(10) },
    expected: verdict('warning', [SERVING_DISABLED], [],
      'Its legacy pool opts out of kubelet serving certificate rotation by tag, honoured until 2027-04-01.'),
    expectedAt: (now) => (now < OPT_OUT_ENDS ? undefined : verdict('compliant', [], [], 'The opt-out tag is no longer honoured from 2027-04-01: the pool rotates.')),
  },
];
