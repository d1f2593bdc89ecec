/**
 * The ARM resource of a managed cluster, shaped like the JSON `az aks show` and the
 * managedClusters list return: ids, FQDNs, agent pool profiles, systemData and the rest. Shared by
 * the demo fleet and the scale fleet.
 */
import type { SimulatedCluster } from '../armSimulator/fleet.js';
import { stableGuid, stableHex } from '../certificates.js';
import type { OsSku, PoolSpec } from './clusterSpec.js';
import { DEMO_SCANNER_CLIENT_ID } from './subscriptions.js';

function resourceId(subscriptionId: string, resourceGroup: string, name: string, lowercase: boolean): string {
  return (
    `/subscriptions/${subscriptionId}/${lowercase ? 'resourcegroups' : 'resourceGroups'}/${resourceGroup}` +
    `/providers/Microsoft.ContainerService/managedClusters/${name}`
  );
}

/** `az aks create`'s default DNS prefix: name[:10]-rg[:16]-sub[:6], alphanumerics and dashes. */
function defaultDnsPrefix(name: string, resourceGroup: string, subscriptionId: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '');
  return `${clean(name).slice(0, 10)}-${clean(resourceGroup).slice(0, 16)}-${subscriptionId.slice(0, 6)}`.replace(
    /--+/g,
    '-',
  );
}

/** ARM writes seven fractional digits. */
function armTimestamp(date: Date): string {
  return date.toISOString().replace(/Z$/, '0000Z');
}

/** What a resource is built from: a demo spec resolved at `now`, or a scale-fleet cluster. */
export interface ClusterShape {
  subscriptionId: string;
  name: string;
  resourceGroup: string;
  location: string;
  lowercaseResourceGroups: boolean;
  tags: Record<string, string>;
  createdAt?: Date;
  createdBy?: string;
  lastModifiedAt?: Date;
  kubernetesVersion: string;
  currentKubernetesVersion: string;
  pools: PoolSpec[];
  enableRBAC: boolean;
  powerState: 'Running' | 'Stopped';
  provisioningState: string;
  privateCluster: boolean;
  aad?: { disableLocalAccounts: boolean };
  dnsPrefix?: string;
  tier: 'Free' | 'Standard' | 'Premium';
  customCATrustCertificates?: string[];
  supportPlan?: 'KubernetesOfficial' | 'AKSLongTermSupport';
}

export interface Endpoints {
  id: string;
  fqdn?: string;
  privateFqdn?: string;
  /** The host the kubeconfig's server points to. */
  serverHost: string;
}

export function endpoints(shape: ClusterShape): Endpoints & { dnsPrefix: string; hex: string } {
  const id = resourceId(shape.subscriptionId, shape.resourceGroup, shape.name, shape.lowercaseResourceGroups);
  const dnsPrefix = shape.dnsPrefix ?? defaultDnsPrefix(shape.name, shape.resourceGroup, shape.subscriptionId);
  const hex = stableHex(id.toLowerCase(), 8);
  if (shape.privateCluster) {
    const privateFqdn = `${dnsPrefix}-${hex}.${stableGuid(`${id}#privatelink`)}.privatelink.${shape.location}.azmk8s.io`;
    return { id, dnsPrefix, hex, privateFqdn, serverHost: privateFqdn };
  }
  const fqdn = `${dnsPrefix}-${hex}.hcp.${shape.location}.azmk8s.io`;
  return { id, dnsPrefix, hex, fqdn, serverHost: fqdn };
}

// Node images (the last `-` part dates them).
const UBUNTU_IMAGES = [
  'AKSUbuntu-2204gen2containerd-202405.03.0',
  'AKSUbuntu-2204gen2containerd-202409.23.0',
  'AKSUbuntu-2204gen2containerd-202410.15.0',
  'AKSUbuntu-2204gen2containerd-202501.12.0',
];
const AZURE_LINUX_IMAGES = ['AKSAzureLinux-V2gen2-202405.03.0', 'AKSAzureLinux-V2gen2-202410.09.0'];
const WINDOWS_2022_IMAGE = 'AKSWindows-2022-containerd-20348.2762.241009';
const WINDOWS_2019_IMAGE = 'AKSWindows-2019-containerd-17763.6414.241010';

/** The image of a pool that pins none: a plausible one, the same for the same pool on every run. */
function defaultImage(osSku: OsSku, seed: string): string {
  const pick = (list: string[]) => list[parseInt(stableHex(seed, 4), 16) % list.length] ?? list[0]!;
  switch (osSku) {
    case 'AzureLinux':
      return pick(AZURE_LINUX_IMAGES);
    case 'Windows2022':
      return WINDOWS_2022_IMAGE;
    case 'Windows2019':
      return WINDOWS_2019_IMAGE;
    default:
      return pick(UBUNTU_IMAGES);
  }
}

function agentPoolProfile(shape: ClusterShape, pool: PoolSpec, id: string): Record<string, unknown> {
  const osSku = pool.osSku ?? 'Ubuntu';
  const windows = osSku.startsWith('Windows');
  const version = pool.orchestratorVersion ?? shape.currentKubernetesVersion;
  const profile: Record<string, unknown> = {
    name: pool.name,
    count: pool.count,
    vmSize: pool.vmSize,
    osDiskSizeGB: windows ? 128 : pool.vmSize.startsWith('Standard_B') ? 64 : 128,
    osDiskType: pool.vmSize.includes('ds_') || pool.vmSize.includes('Ds_') ? 'Ephemeral' : 'Managed',
    kubeletDiskType: 'OS',
    maxPods: windows ? 30 : 110,
    type: 'VirtualMachineScaleSets',
  };
  if (pool.zones && pool.zones.length > 0) profile['availabilityZones'] = pool.zones;
  if (pool.autoscale) {
    profile['maxCount'] = pool.autoscale[1];
    profile['minCount'] = pool.autoscale[0];
    profile['enableAutoScaling'] = true;
  } else {
    profile['enableAutoScaling'] = false;
  }
  Object.assign(profile, {
    provisioningState: shape.provisioningState,
    powerState: { code: shape.powerState },
    orchestratorVersion: version,
    currentOrchestratorVersion: version,
    enableNodePublicIP: false,
    mode: pool.mode,
    osType: windows ? 'Windows' : 'Linux',
    osSKU: osSku,
    nodeImageVersion: pool.nodeImageVersion ?? defaultImage(osSku, `${id}#${pool.name}`),
    upgradeSettings: { maxSurge: '10%' },
    enableFIPS: false,
  });
  if (pool.enableCustomCATrust !== undefined) profile['enableCustomCATrust'] = pool.enableCustomCATrust;
  if (pool.tags) profile['tags'] = { ...pool.tags };
  if (pool.snapshotId) profile['creationData'] = { sourceResourceId: pool.snapshotId };
  return profile;
}

export function clusterResource(shape: ClusterShape, tenantId: string): SimulatedCluster['resource'] {
  const ep = endpoints(shape);
  const properties: Record<string, unknown> = {
    provisioningState: shape.provisioningState,
    powerState: { code: shape.powerState },
    kubernetesVersion: shape.kubernetesVersion,
    currentKubernetesVersion: shape.currentKubernetesVersion,
    dnsPrefix: ep.dnsPrefix,
  };
  if (ep.fqdn) {
    properties['fqdn'] = ep.fqdn;
    properties['azurePortalFQDN'] = `${ep.dnsPrefix}-${ep.hex}.portal.hcp.${shape.location}.azmk8s.io`;
  }
  if (ep.privateFqdn) properties['privateFQDN'] = ep.privateFqdn;
  properties['agentPoolProfiles'] = shape.pools.map((pool) => agentPoolProfile(shape, pool, ep.id));
  const hasWindows = shape.pools.some((p) => (p.osSku ?? '').startsWith('Windows'));
  if (hasWindows) properties['windowsProfile'] = { adminUsername: 'azureuser', enableCSIProxy: true };
  properties['servicePrincipalProfile'] = { clientId: 'msi' };
  properties['addonProfiles'] = {
    azureKeyvaultSecretsProvider: { enabled: false, config: null },
    azurepolicy: { enabled: shape.tags['environment'] === 'production', config: null },
  };
  properties['nodeResourceGroup'] = `MC_${shape.resourceGroup}_${shape.name}_${shape.location}`;
  properties['enableRBAC'] = shape.enableRBAC;
  properties['supportPlan'] = shape.supportPlan ?? 'KubernetesOfficial';
  properties['networkProfile'] = {
    networkPlugin: 'azure',
    networkPluginMode: 'overlay',
    networkPolicy: 'none',
    loadBalancerSku: 'standard',
    podCidr: '10.244.0.0/16',
    serviceCidr: '10.0.0.0/16',
    dnsServiceIP: '10.0.0.10',
    outboundType: 'loadBalancer',
    podCidrs: ['10.244.0.0/16'],
    serviceCidrs: ['10.0.0.0/16'],
    ipFamilies: ['IPv4'],
  };
  if (shape.aad) {
    properties['aadProfile'] = { managed: true, enableAzureRBAC: true, tenantID: tenantId };
  }
  properties['maxAgentPools'] = 100;
  if (shape.privateCluster) {
    properties['apiServerAccessProfile'] = {
      enablePrivateCluster: true,
      privateDNSZone: 'system',
      enablePrivateClusterPublicFQDN: false,
    };
  }
  if (shape.aad) properties['disableLocalAccounts'] = shape.aad.disableLocalAccounts;
  properties['securityProfile'] = shape.customCATrustCertificates
    ? { customCATrustCertificates: shape.customCATrustCertificates }
    : {};
  properties['storageProfile'] = {
    diskCSIDriver: { enabled: true },
    fileCSIDriver: { enabled: true },
    snapshotController: { enabled: true },
  };
  properties['oidcIssuerProfile'] = { enabled: false };

  const resource: SimulatedCluster['resource'] = {
    id: ep.id,
    location: shape.location,
    name: shape.name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    tags: shape.tags,
  };
  if (shape.createdAt) {
    const createdBy = shape.createdBy ?? shape.tags['owner'] ?? 'platform@contoso.com';
    const lastModifiedAt =
      shape.lastModifiedAt && shape.lastModifiedAt > shape.createdAt ? shape.lastModifiedAt : shape.createdAt;
    resource['systemData'] = {
      createdBy,
      createdByType: 'User',
      createdAt: armTimestamp(shape.createdAt),
      lastModifiedBy: lastModifiedAt === shape.createdAt ? createdBy : DEMO_SCANNER_CLIENT_ID,
      lastModifiedByType: lastModifiedAt === shape.createdAt ? 'User' : 'Application',
      lastModifiedAt: armTimestamp(lastModifiedAt),
    };
  }
  resource['properties'] = properties;
  resource['sku'] = { name: 'Base', tier: shape.tier };
  resource['identity'] = {
    type: 'SystemAssigned',
    principalId: stableGuid(`${ep.id}#identity`),
    tenantId,
  };
  return resource;
}
