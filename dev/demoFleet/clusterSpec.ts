/**
 * The language the demo clusters are written in: a cluster specification (what the ARM resource,
 * the certificates and the credentials should be, and the verdict a correct scan reaches) and the
 * small helpers that keep the data files short. Dates are functions of `now` so the fleet can be
 * built for any day.
 */
import { DAY_MS, ceilToSecond, floorToSecond } from '../certificates.js';
import type { MaintenanceSpec } from './maintenanceWindows.js';
import type { SubscriptionKey } from './subscriptions.js';

export type Instant = (now: Date) => Date;

/** `days` before now, rounded down to the second (so the age is at least `days`). */
export const daysAgo =
  (days: number, extraMs = 0): Instant =>
  (now) =>
    floorToSecond(new Date(now.getTime() - days * DAY_MS - extraMs));
/** `days` before now, rounded up to the second (so the age is at most `days`). */
export const daysAgoAtMost =
  (days: number): Instant =>
  (now) =>
    ceilToSecond(new Date(now.getTime() - days * DAY_MS));
/** `days` after now, rounded down (so the remaining time is at most `days`). */
export const daysFromNow =
  (days: number): Instant =>
  (now) =>
    floorToSecond(new Date(now.getTime() + days * DAY_MS));
/** A fixed instant, for clusters created on a known day. */
export const at =
  (iso: string): Instant =>
  () =>
    new Date(iso);

export interface CertSpec {
  notBefore: Instant;
  /** Default: 730 days (2 years) for leaves, 10 950 days (30 years) for the Cluster CA. */
  validityDays?: number;
  key?: 'ec' | 'rsa';
}

/** The validity AKS gives a Cluster CA and a leaf certificate (client, API server) unless told otherwise. */
export const CA_VALIDITY_DAYS = 10_950;
export const LEAF_VALIDITY_DAYS = 730;

export type CustomCaEncoding = 'pem' | 'der' | 'pem-crlf' | 'double-base64';
export type CustomCaSpec =
  | { encoding: CustomCaEncoding; subject: string; notBefore: Instant; notAfter: Instant }
  | { encoding: 'spec-example' };

export type OsSku = 'Ubuntu' | 'AzureLinux' | 'Windows2022' | 'Windows2019';

export interface PoolSpec {
  name: string;
  mode: 'System' | 'User';
  count: number;
  vmSize: string;
  osSku?: OsSku;
  nodeImageVersion?: string;
  /** Defaults to the control plane's current version. */
  orchestratorVersion?: string;
  autoscale?: [number, number];
  enableCustomCATrust?: boolean;
  zones?: string[];
  /** The pool's own tags (served in `agentPoolProfiles[].tags`). */
  tags?: Record<string, string>;
  /** A node pool snapshot the pool was created from (`creationData.sourceResourceId`). */
  snapshotId?: string;
}

export type CredentialMode = 'normal' | 'monitoring-forbidden' | 'all-forbidden' | 'local-accounts-disabled';

export type Status = 'compliant' | 'warning' | 'violation' | 'unknown';

export interface DemoClusterSpec {
  subscription: SubscriptionKey;
  name: string;
  resourceGroup: string;
  location: string;
  /** Live responses often spell the id with `resourcegroups`. */
  lowercaseResourceGroups?: boolean;
  tags: Record<string, string>;
  /** Absent: the response has no `systemData` (as live responses often do). */
  createdAt?: Instant;
  createdBy?: string;
  kubernetesVersion: string;
  currentKubernetesVersion?: string;
  pools: PoolSpec[];
  enableRBAC?: boolean;
  powerState?: 'Running' | 'Stopped';
  provisioningState?: string;
  privateCluster?: boolean;
  /** Managed AAD with Azure RBAC; `disableLocalAccounts` takes the static credentials away. */
  aad?: { disableLocalAccounts: boolean };
  dnsPrefix?: string;
  tier?: 'Free' | 'Standard' | 'Premium';
  /** `supportPlan`; `KubernetesOfficial` when absent. */
  supportPlan?: 'KubernetesOfficial' | 'AKSLongTermSupport';
  /** The control plane's upgrades the upgrade profile offers; derived from the region's versions when absent. */
  upgrades?: string[];
  /** Absent only for clusters whose credentials cannot be read at all. */
  ca?: CertSpec;
  client?: CertSpec;
  customCAs?: CustomCaSpec[];
  credentials?: CredentialMode;
  /** Planned maintenance configurations, built at `now` (maintenanceWindows.ts). */
  maintenance?: MaintenanceSpec[];
  expected: { status: Status; findingCodes: string[]; autoRotationReasons: string[]; purpose: string };
  /** The verdict at `now` where it depends on the date (a rule with a cut-off day); `expected` when it answers undefined. */
  expectedAt?: (now: Date) => DemoClusterSpec['expected'] | undefined;
}

export function verdict(
  status: Status,
  findingCodes: string[],
  autoRotationReasons: string[],
  purpose: string,
): DemoClusterSpec['expected'] {
  return { status, findingCodes: [...findingCodes].sort(), autoRotationReasons: [...autoRotationReasons].sort(), purpose };
}

/** Cluster CA and client certificate both issued `days` ago (creation, or the last `az aks rotate-certs`). */
export function issuedDaysAgo(days: number): { ca: CertSpec; client: CertSpec } {
  return { ca: { notBefore: daysAgo(days) }, client: { notBefore: daysAgo(days) } };
}

// Node pools and tags as the data files (and the scale fleet) write them.
export function systemPool(vmSize = 'Standard_D4ds_v5', count = 3, extra: Partial<PoolSpec> = {}): PoolSpec {
  return { name: 'system', mode: 'System', count, vmSize, autoscale: [3, 5], zones: ['1', '2', '3'], ...extra };
}
export function userPool(name: string, vmSize: string, count: number, extra: Partial<PoolSpec> = {}): PoolSpec {
  return { name, mode: 'User', count, vmSize, autoscale: [Math.max(1, count - 2), count + 6], ...extra };
}

export function tags(environment: string, application: string, owner: string, extra: Record<string, string> = {}) {
  const costCenters: Record<string, string> = { production: 'CC-4410', staging: 'CC-4420', sandbox: 'CC-4490' };
  return {
    environment,
    application,
    owner: `${owner}@contoso.com`,
    costCenter: costCenters[environment] ?? 'CC-4400',
    ...extra,
  };
}

export const prodTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('production', app, owner, extra);
export const stgTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('staging', app, owner, extra);
export const sbxTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('sandbox', app, owner, extra);
