import { z } from 'zod';
import { parseClusterId, platformOf } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { ClusterShapeError } from '../domain/errors.js';

/**
 * The part of the SDK's ManagedCluster model the rules read. The SDK flattens `properties` and renames
 * wire names (`enableRBAC` -> `enableRbac`, `privateFQDN` -> `privateFqdn`); bytes arrive as Uint8Array.
 */
const managedClusterSchema = z.object({
  id: z.string().refine((id) => parseClusterId(id) !== undefined && platformOf({ id }) === 'aks', 'not a managed cluster resource id'),
  name: z.string().optional(),
  location: z.string().default(''),
  tags: z.record(z.string(), z.string()).nullish(),
  systemData: z.object({ createdAt: z.date().optional() }).nullish(),
  enableRbac: z.boolean().nullish(),
  powerState: z.object({ code: z.string().optional() }).nullish(),
  provisioningState: z.string().nullish(),
  kubernetesVersion: z.string().nullish(),
  currentKubernetesVersion: z.string().nullish(),
  fqdn: z.string().nullish(),
  privateFqdn: z.string().nullish(),
  disableLocalAccounts: z.boolean().nullish(),
  agentPoolProfiles: z
    .array(z.object({ name: z.string(), osType: z.string().nullish(), nodeImageVersion: z.string().nullish() }))
    .nullish(),
  securityProfile: z.object({ customCATrustCertificates: z.array(z.instanceof(Uint8Array)).nullish() }).nullish(),
});

const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/**
 * Reads the facts the rules need from one SDK ManagedCluster; throws ClusterShapeError naming the bad
 * field. `customCaTrustPools` names the pools with the preview `enableCustomCATrust` flag, which the
 * stable model does not carry (see PreviewPoolFlags).
 */
export function toClusterFacts(model: unknown, customCaTrustPools: ReadonlySet<string> = new Set()): ClusterFacts {
  const parsed = managedClusterSchema.safeParse(model);
  if (!parsed.success) {
    const id = typeof (model as { id?: unknown })?.id === 'string' ? (model as { id: string }).id : '(no id)';
    const issue = parsed.error.issues[0];
    throw new ClusterShapeError(`managed cluster ${id}: "${issue?.path.join('.')}" ${issue?.message}`);
  }
  const m = parsed.data;
  const cluster = parseClusterId(m.id)!;
  return {
    ...cluster,
    name: m.name ?? cluster.name,
    location: m.location,
    tags: m.tags ?? {},
    enableRbac: orUndefined(m.enableRbac),
    powerState: orUndefined(m.powerState?.code),
    provisioningState: orUndefined(m.provisioningState),
    kubernetesVersion: orUndefined(m.kubernetesVersion),
    currentKubernetesVersion: orUndefined(m.currentKubernetesVersion),
    createdAt: m.systemData?.createdAt,
    fqdn: orUndefined(m.fqdn),
    privateFqdn: orUndefined(m.privateFqdn),
    disableLocalAccounts: orUndefined(m.disableLocalAccounts),
    agentPools: (m.agentPoolProfiles ?? []).map((pool) => ({
      name: pool.name,
      osType: orUndefined(pool.osType),
      nodeImageVersion: orUndefined(pool.nodeImageVersion),
      ...(customCaTrustPools.has(pool.name) ? { enableCustomCATrust: true } : {}),
    })),
    customCaTrustCertificates: m.securityProfile?.customCATrustCertificates ?? [],
  };
}
