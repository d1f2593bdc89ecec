/**
 * Contoso's AKS enabled by Azure Arc clusters (on Azure Local, in its stores and factories), served as
 * connected clusters with their provisioned cluster instance and user kubeconfig
 * (armSimulator/connectedClusters.ts): one compliant, one whose update is due (warning), one past the
 * 90-day validity its last update reset (violation), one whose Arc agent certificate expired, one whose
 * kubeconfig client certificate expires soon, and an Arc-enabled Kubernetes cluster of another kind
 * (k3s), which the scan must leave alone.
 */
import type { SimulatedConnectedCluster } from '../armSimulator/connectedClusters.js';
import { createCaCertificate, createLeafCertificate, DAY_MS, floorToSecond, generateKey, randomToken, stableGuid, type KeyMaterial } from '../certificates.js';
import { buildKubeconfig } from '../kubeconfig.js';
import { verdict, type Status } from './clusterSpec.js';
import { DEMO_SUBSCRIPTIONS, type SubscriptionKey } from './subscriptions.js';

interface ArcClusterSpec {
  subscription: SubscriptionKey;
  name: string;
  resourceGroup: string;
  location: string;
  kubernetesVersion: string;
  /** The provisioned cluster instance's last modification (`systemData.lastModifiedAt`): the last update. */
  updatedDaysAgo: number;
  connectivityStatus: 'Connected' | 'Offline' | 'Expired';
  /** When the Arc agent's managed identity certificate expires, in days from now (negative: expired). */
  identityCertificateDays: number;
  /** The kubeconfig client certificate: issued this many days ago, valid this many days. */
  client: { issuedDaysAgo: number; validityDays: number };
  expected: { status: Status; findingCodes: string[]; purpose: string };
}

const ARC_CLUSTERS: ArcClusterSpec[] = [
  {
    subscription: 'production', name: 'aks-arc-store-0142', resourceGroup: 'rg-edge-stores', location: 'eastus',
    kubernetesVersion: '1.30.4', updatedDaysAgo: 21, connectivityStatus: 'Connected', identityCertificateDays: 60,
    client: { issuedDaysAgo: 21, validityDays: 365 },
    expected: { status: 'compliant', findingCodes: [], purpose: 'An AKS Arc cluster updated three weeks ago and connected: nothing to do.' },
  },
  {
    subscription: 'production', name: 'aks-arc-store-0187', resourceGroup: 'rg-edge-stores', location: 'eastus',
    kubernetesVersion: '1.29.7', updatedDaysAgo: 75, connectivityStatus: 'Connected', identityCertificateDays: 45,
    client: { issuedDaysAgo: 75, validityDays: 365 },
    expected: { status: 'warning', findingCodes: ['ARC_UPDATE_OVERDUE'], purpose: 'Not updated for 75 days: past the 60 days Microsoft recommends, within the 90-day validity.' },
  },
  {
    subscription: 'production', name: 'aks-arc-factory-03', resourceGroup: 'rg-edge-factories', location: 'westeurope',
    kubernetesVersion: '1.28.9', updatedDaysAgo: 120, connectivityStatus: 'Connected', identityCertificateDays: 20,
    client: { issuedDaysAgo: 120, validityDays: 365 },
    expected: { status: 'violation', findingCodes: ['ARC_UPDATE_OVERDUE'], purpose: 'Not updated for 120 days: its 90-day cloud agent certificates and tokens have run out; alerted, never rotated.' },
  },
  {
    subscription: 'staging', name: 'aks-arc-depot-11', resourceGroup: 'rg-edge-depots', location: 'westeurope',
    kubernetesVersion: '1.30.4', updatedDaysAgo: 40, connectivityStatus: 'Expired', identityCertificateDays: -5,
    client: { issuedDaysAgo: 40, validityDays: 365 },
    expected: { status: 'violation', findingCodes: ['ARC_CONNECTIVITY_EXPIRED'], purpose: 'Offline so long that its Arc agent identity certificate expired: Azure can no longer manage it.' },
  },
  {
    subscription: 'staging', name: 'aks-arc-kiosk-22', resourceGroup: 'rg-edge-depots', location: 'westeurope',
    kubernetesVersion: '1.30.4', updatedDaysAgo: 30, connectivityStatus: 'Connected', identityCertificateDays: 60,
    client: { issuedDaysAgo: 353, validityDays: 365 },
    expected: { status: 'warning', findingCodes: ['CERT_EXPIRING_SOON'], purpose: 'Its user kubeconfig client certificate expires in 12 days: an update renews it.' },
  },
];

const days = (now: Date, n: number) => floorToSecond(new Date(now.getTime() + n * DAY_MS));

function idOf(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

/** `systemData` as ARM writes it on a resource the demo's platform team created and last changed then. */
function systemData(createdAt: Date, modifiedAt: Date) {
  return {
    createdBy: 'platform-edge@contoso.com', createdByType: 'User', createdAt: createdAt.toISOString(),
    lastModifiedBy: 'platform-edge@contoso.com', lastModifiedByType: 'User', lastModifiedAt: modifiedAt.toISOString(),
  };
}

async function buildArcCluster(spec: ArcClusterSpec, now: Date, tenantId: string, caKey: KeyMaterial, secrets: Set<string>): Promise<SimulatedConnectedCluster> {
  const subscriptionId = DEMO_SUBSCRIPTIONS[spec.subscription].subscriptionId;
  const id = idOf(subscriptionId, spec.resourceGroup, spec.name);
  const createdAt = days(now, -400);
  const updatedAt = days(now, -spec.updatedDaysAgo);
  // 002: the root certificates are valid for 10 years.
  const ca = await createCaCertificate({ key: caKey, subject: 'CN=kubernetes', notBefore: createdAt, notAfter: days(now, 3250) });
  const clientKey = await generateKey('ec');
  const clientNotBefore = days(now, -spec.client.issuedDaysAgo);
  const client = await createLeafCertificate({
    key: clientKey, issuer: ca, subject: `CN=${spec.name}-user, O=system:masters`, usage: 'client',
    notBefore: clientNotBefore, notAfter: new Date(clientNotBefore.getTime() + spec.client.validityDays * DAY_MS),
  });
  const kubeconfig = buildKubeconfig({
    clusterName: spec.name,
    server: 'https://10.20.0.10:6443',
    certificateAuthorityPem: ca.pem,
    user: { name: `clusterUser_${spec.resourceGroup}_${spec.name}`, clientCertificatePem: client.pem, clientKeyPem: clientKey.privateKeyPem, token: randomToken() },
  });
  for (const secret of kubeconfig.secrets) secrets.add(secret);
  const customLocation = `/subscriptions/${subscriptionId}/resourcegroups/${spec.resourceGroup}/providers/microsoft.extendedlocation/customlocations/cl-${spec.resourceGroup}`;
  return {
    subscriptionId,
    resource: {
      id, name: spec.name, type: 'microsoft.kubernetes/connectedclusters', location: spec.location, kind: 'ProvisionedCluster',
      tags: { environment: spec.subscription, platform: 'azure-local', owner: 'platform-edge@contoso.com' },
      identity: { type: 'SystemAssigned', principalId: stableGuid(`${id}/identity`), tenantId },
      systemData: systemData(createdAt, updatedAt),
      properties: {
        agentPublicKeyCertificate: '',
        kubernetesVersion: spec.kubernetesVersion,
        totalNodeCount: 3,
        totalCoreCount: 12,
        agentVersion: '1.21.10',
        provisioningState: 'Succeeded',
        distribution: 'AKS',
        distributionVersion: '1.0',
        infrastructure: 'azure_stack_hci',
        offering: 'AzureStackHCI_AKS_Management',
        managedIdentityCertificateExpirationTime: days(now, spec.identityCertificateDays).toISOString(),
        lastConnectivityTime: days(now, spec.connectivityStatus === 'Connected' ? 0 : -95).toISOString(),
        connectivityStatus: spec.connectivityStatus,
        privateLinkState: 'Disabled',
        azureHybridBenefit: 'NotApplicable',
        aadProfile: { enableAzureRBAC: false, adminGroupObjectIDs: [stableGuid(`${id}/admins`)], tenantID: tenantId },
        arcAgentProfile: { desiredAgentVersion: '1.21.10', agentAutoUpgrade: 'Enabled' },
      },
    },
    instance: {
      id: `${id}/providers/Microsoft.HybridContainerService/provisionedClusterInstances/default`,
      name: 'default',
      type: 'microsoft.hybridcontainerservice/provisionedclusterinstances',
      extendedLocation: { type: 'CustomLocation', name: customLocation },
      systemData: systemData(createdAt, updatedAt),
      properties: {
        provisioningState: 'Succeeded',
        kubernetesVersion: spec.kubernetesVersion,
        status: { currentState: 'Succeeded', controlPlaneStatus: [] },
        controlPlane: { count: 1, vmSize: 'Standard_A4_v2', controlPlaneEndpoint: { hostIP: '10.20.0.10' } },
        agentPoolProfiles: [{ name: 'nodepool1', count: 2, vmSize: 'Standard_A4_v2', osType: 'Linux', osSKU: 'CBLMariner' }],
        networkProfile: { networkPolicy: 'calico', podCidr: '10.244.0.0/16', loadBalancerProfile: { count: 0 } },
        cloudProviderProfile: { infraNetworkProfile: { vnetSubnetIds: [`/subscriptions/${subscriptionId}/resourceGroups/${spec.resourceGroup}/providers/Microsoft.AzureStackHCI/logicalNetworks/lnet-edge`] } },
        licenseProfile: { azureHybridBenefit: 'NotApplicable' },
      },
    },
    userKubeconfig: { kubeconfig: kubeconfig.text, name: 'credentialName1' },
    expected: verdict(spec.expected.status, spec.expected.findingCodes, [], spec.expected.purpose),
  };
}

/** An Arc-enabled Kubernetes cluster that AKS did not provision (no `kind`): listed by ARM, never scanned. */
function k3sCluster(now: Date, tenantId: string): SimulatedConnectedCluster {
  const subscriptionId = DEMO_SUBSCRIPTIONS.sandbox.subscriptionId;
  const id = idOf(subscriptionId, 'rg-lab', 'k3s-lab-01');
  return {
    subscriptionId,
    resource: {
      id, name: 'k3s-lab-01', type: 'microsoft.kubernetes/connectedclusters', location: 'westeurope',
      tags: { environment: 'sandbox' },
      identity: { type: 'SystemAssigned', principalId: stableGuid(`${id}/identity`), tenantId },
      properties: {
        kubernetesVersion: '1.30.2+k3s1', totalNodeCount: 1, agentVersion: '1.21.10', provisioningState: 'Succeeded',
        distribution: 'k3s', infrastructure: 'generic', connectivityStatus: 'Connected',
        managedIdentityCertificateExpirationTime: days(now, 60).toISOString(), lastConnectivityTime: days(now, 0).toISOString(),
      },
    },
  };
}

/** The demo's connected clusters at `now`: each AKS Arc one with its `expected` verdict, and the k3s one without. */
export async function buildArcClusters(now: Date, tenantId: string, secrets: Set<string>): Promise<SimulatedConnectedCluster[]> {
  // The CAs' key is no secret of a kubeconfig: one for all saves time (each client key is the cluster's own).
  const caKey = await generateKey('ec');
  const arc = await Promise.all(ARC_CLUSTERS.map((spec) => buildArcCluster(spec, now, tenantId, caKey, secrets)));
  return [...arc, k3sCluster(now, tenantId)];
}
