import { z } from 'zod';
import { parseClusterId, platformOf } from '../domain/clusterId.js';
import type { ClusterFacts } from '../domain/cluster.js';
import { ClusterShapeError } from '../domain/errors.js';

/** A node pool as both shapes carry it (the SDK renames none of these fields). */
const agentPoolSchema = z.object({
  name: z.string(), osType: z.string().nullish(), nodeImageVersion: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  orchestratorVersion: z.string().nullish(),
  currentOrchestratorVersion: z.string().nullish(),
  creationData: z.object({ sourceResourceId: z.string().nullish() }).nullish(),
});

/**
 * The part of the SDK's ManagedCluster model the rules read. The SDK flattens `properties` and renames
 * wire names (`enableRBAC` -> `enableRbac`, `privateFQDN` -> `privateFqdn`); bytes arrive as Uint8Array.
 */
const managedClusterSchema = z.object({
  id: z.string().refine((id) => parseClusterId(id) !== undefined && platformOf({ id }) === 'aks', 'not a managed cluster resource id'),
  name: z.string().optional(),
  location: z.string().default(''),
  tags: z.record(z.string(), z.string()).nullish(),
  systemData: z.object({ createdAt: z.date().optional(), lastModifiedAt: z.date().optional() }).nullish(),
  enableRbac: z.boolean().nullish(),
  powerState: z.object({ code: z.string().optional() }).nullish(),
  provisioningState: z.string().nullish(),
  kubernetesVersion: z.string().nullish(),
  currentKubernetesVersion: z.string().nullish(),
  supportPlan: z.string().nullish(),
  fqdn: z.string().nullish(),
  privateFqdn: z.string().nullish(),
  disableLocalAccounts: z.boolean().nullish(),
  nodeResourceGroup: z.string().nullish(),
  agentPoolProfiles: z.array(agentPoolSchema).nullish(),
  securityProfile: z.object({ customCATrustCertificates: z.array(z.instanceof(Uint8Array)).nullish() }).nullish(),
});

/** A pool made from a node pool snapshot names it in `creationData.sourceResourceId`. */
const SNAPSHOT_ID = /\/providers\/Microsoft\.ContainerService\/snapshots\/[^/]+$/i;
const snapshotOf = (sourceResourceId: string | null | undefined) =>
  sourceResourceId && SNAPSHOT_ID.test(sourceResourceId) ? { snapshotId: sourceResourceId } : undefined;

/**
 * The same cluster in the ARM wire shape (`properties` nested, `enableRBAC`, `privateFQDN`, dates as
 * ISO strings, custom CA bytes as base64), as Resource Graph's rows carry it: read into the SDK model's
 * shape, so that both ways end in the one `factsOf` below. The wire shape also keeps the pools'
 * preview `enableCustomCATrust` flag, which the SDK model drops.
 */
const wireManagedClusterSchema = z
  .object({
    id: managedClusterSchema.shape.id,
    name: z.string().optional(),
    location: z.string().default(''),
    tags: z.record(z.string(), z.string()).nullish(),
    systemData: z.object({ createdAt: z.iso.datetime({ offset: true }).optional(), lastModifiedAt: z.iso.datetime({ offset: true }).optional() }).nullish(),
    properties: z
      .object({
        enableRBAC: z.boolean().nullish(),
        powerState: z.object({ code: z.string().optional() }).nullish(),
        provisioningState: z.string().nullish(),
        kubernetesVersion: z.string().nullish(),
        currentKubernetesVersion: z.string().nullish(),
        supportPlan: z.string().nullish(),
        nodeResourceGroup: z.string().nullish(),
        fqdn: z.string().nullish(),
        privateFQDN: z.string().nullish(),
        disableLocalAccounts: z.boolean().nullish(),
        agentPoolProfiles: z
          .array(agentPoolSchema.extend({ enableCustomCATrust: z.boolean().nullish() }))
          .nullish(),
        securityProfile: z.object({ customCATrustCertificates: z.array(z.base64()).nullish() }).nullish(),
      })
      .nullish(),
  })
  .transform(({ properties: p, systemData, ...envelope }) => {
    const model: ManagedClusterModel = {
      ...envelope,
      systemData: systemData && { createdAt: dateOf(systemData.createdAt), lastModifiedAt: dateOf(systemData.lastModifiedAt) },
      enableRbac: p?.enableRBAC,
      powerState: p?.powerState,
      provisioningState: p?.provisioningState,
      kubernetesVersion: p?.kubernetesVersion,
      currentKubernetesVersion: p?.currentKubernetesVersion,
      supportPlan: p?.supportPlan,
      nodeResourceGroup: p?.nodeResourceGroup,
      fqdn: p?.fqdn,
      privateFqdn: p?.privateFQDN,
      disableLocalAccounts: p?.disableLocalAccounts,
      agentPoolProfiles: p?.agentPoolProfiles,
      securityProfile: p?.securityProfile && {
        // As the SDK decodes them (a Buffer, in Node).
        customCATrustCertificates: p.securityProfile.customCATrustCertificates?.map((text) => Buffer.from(text, 'base64')),
      },
    };
    const customCaTrustPools = new Set((p?.agentPoolProfiles ?? []).filter((pool) => pool.enableCustomCATrust === true).map((pool) => pool.name));
    return { model, customCaTrustPools };
  });

type ManagedClusterModel = z.output<typeof managedClusterSchema>;

function dateOf(iso: string | undefined): Date | undefined {
  return iso === undefined ? undefined : new Date(iso);
}

export const orUndefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** An ARM resource read with its schema; throws ClusterShapeError naming `what`, the resource's id and its first bad field. */
export function parseResource<T>(what: string, schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const id = typeof (input as { id?: unknown })?.id === 'string' ? (input as { id: string }).id : '(no id)';
  const issue = result.error.issues[0];
  throw new ClusterShapeError(`${what} ${id}: "${issue?.path.join('.')}" ${issue?.message}`);
}

const parsed = <T>(schema: z.ZodType<T>, input: unknown): T => parseResource('managed cluster', schema, input);

/**
 * Reads the facts the rules need from one SDK ManagedCluster; throws ClusterShapeError naming the bad
 * field. `customCaTrustPools` names the pools with the preview `enableCustomCATrust` flag, which the
 * stable model does not carry (see PreviewPoolFlags).
 */
export function toClusterFacts(model: unknown, customCaTrustPools: ReadonlySet<string> = new Set()): ClusterFacts {
  return factsOf(parsed(managedClusterSchema, model), customCaTrustPools);
}

/** The same facts from a cluster in the ARM wire shape (a Resource Graph row, a raw GET body). */
export function wireClusterFacts(resource: unknown): ClusterFacts {
  const { model, customCaTrustPools } = parsed(wireManagedClusterSchema, resource);
  return factsOf(model, customCaTrustPools);
}

function factsOf(m: ManagedClusterModel, customCaTrustPools: ReadonlySet<string>): ClusterFacts {
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
    ...(m.supportPlan ? { supportPlan: m.supportPlan } : {}),
    createdAt: m.systemData?.createdAt,
    lastModifiedAt: m.systemData?.lastModifiedAt,
    fqdn: orUndefined(m.fqdn),
    privateFqdn: orUndefined(m.privateFqdn),
    disableLocalAccounts: orUndefined(m.disableLocalAccounts),
    ...(m.nodeResourceGroup ? { nodeResourceGroup: m.nodeResourceGroup } : {}),
    agentPools: (m.agentPoolProfiles ?? []).map((pool) => ({
      name: pool.name,
      osType: orUndefined(pool.osType),
      nodeImageVersion: orUndefined(pool.nodeImageVersion),
      ...(pool.tags ? { tags: pool.tags } : {}),
      ...(pool.orchestratorVersion ? { orchestratorVersion: pool.orchestratorVersion } : {}),
      ...(pool.currentOrchestratorVersion ? { currentOrchestratorVersion: pool.currentOrchestratorVersion } : {}),
      ...(snapshotOf(pool.creationData?.sourceResourceId) ?? {}),
      ...(customCaTrustPools.has(pool.name) ? { enableCustomCATrust: true } : {}),
    })),
    customCaTrustCertificates: m.securityProfile?.customCATrustCertificates ?? [],
  };
}
