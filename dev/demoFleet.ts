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
 */
import type {
  SimulatedArmError,
  SimulatedCluster,
  SimulatedCredential,
  SimulatedFleet,
  SimulatedSubscription,
} from './armSimulator/fleet.js';
import {
  type CertificateAuthority,
  type IssuedCertificate,
  type KeyMaterial,
  DAY_MS,
  base64,
  ceilToSecond,
  createCaCertificate,
  createLeafCertificate,
  floorToSecond,
  generateKey,
  randomToken,
  stableGuid,
  stableHex,
} from './certificates.js';
import { buildKubeconfig, kubeloginExec } from './kubeconfig.js';

// ---------------------------------------------------------------------------------------------
// Subscriptions and identities

export const DEMO_TENANT_ID = '5c3b2a19-7d6e-4f8a-9b0c-1d2e3f4a5b6c';
/** The application the scanner runs as (used in the AuthorizationFailed messages). */
export const DEMO_SCANNER_CLIENT_ID = 'a3f9c2d1-5e6b-4f70-8a19-2c3d4e5f6a7b';
export const DEMO_SCANNER_OBJECT_ID = 'e7d6c5b4-a392-4817-b6f5-0e1d2c3b4a59';

export const DEMO_SUBSCRIPTIONS = {
  production: { subscriptionId: '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34', displayName: 'Contoso Production' },
  staging: { subscriptionId: '7e1d9a3c-2b4f-4e8a-a6c5-3f9b0d2e7c18', displayName: 'Contoso Staging' },
  sandbox: { subscriptionId: 'c4a8e2f6-1d3b-4c9e-8f7a-6b5d4c3e2a10', displayName: 'Contoso Sandbox' },
  /** Its cluster listing answers 403 AuthorizationFailed: the scan must go on with the others. */
  forbidden: { subscriptionId: '9f3e7b1a-5c2d-4a6e-b8f9-0e1d2c3b4a57', displayName: 'Fabrikam Retail (acquired)' },
} as const;

type SubscriptionKey = 'production' | 'staging' | 'sandbox';

/** The custom CA entry of the AKS API spec example: base64 of a text that is no certificate. */
export const SPEC_EXAMPLE_CUSTOM_CA = 'ZHVtbXlFeGFtcGxlVGVzdFZhbHVlRm9yQ2VydGlmaWNhdGVUb0JlQWRkZWQ=';

export const LOCAL_ACCOUNTS_DISABLED_MESSAGE =
  'Getting static credential is not allowed because this cluster is set to disable local accounts.';

/**
 * Clusters whose `expected` holds only at exactly `now` (their certificates are exactly 90 or 60 days
 * old): a scan that runs even a millisecond later ages them past the boundary. Every other verdict
 * holds for scans within hours of `now`.
 */
export const EXACT_BOUNDARY_CLUSTERS: readonly string[] = ['aks-canary-stg-weu-01', 'aks-canary-stg-weu-03'];

/** The earliest `now` the fixed dates of the fleet (2018, 2021, 2022 clusters) are written for. */
export const EARLIEST_DEMO_NOW = new Date('2024-06-01T00:00:00Z');

function authorizationFailed(action: string, scope: string): SimulatedArmError {
  return {
    status: 403,
    code: 'AuthorizationFailed',
    message:
      `The client '${DEMO_SCANNER_CLIENT_ID}' with object id '${DEMO_SCANNER_OBJECT_ID}' does not have ` +
      `authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. ` +
      'If access was recently granted, please refresh your credentials.',
  };
}

// ---------------------------------------------------------------------------------------------
// Specification language

type Instant = (now: Date) => Date;

/** `days` before now, rounded down to the second (so the age is at least `days`). */
const daysAgo =
  (days: number, extraMs = 0): Instant =>
  (now) =>
    floorToSecond(new Date(now.getTime() - days * DAY_MS - extraMs));
/** `days` before now, rounded up to the second (so the age is at most `days`). */
const daysAgoAtMost =
  (days: number): Instant =>
  (now) =>
    ceilToSecond(new Date(now.getTime() - days * DAY_MS));
/** `days` after now, rounded down (so the remaining time is at most `days`). */
const daysFromNow =
  (days: number): Instant =>
  (now) =>
    floorToSecond(new Date(now.getTime() + days * DAY_MS));
const at =
  (iso: string): Instant =>
  () =>
    new Date(iso);

interface CertSpec {
  notBefore: Instant;
  /** Default: 730 days (2 years) for leaves, 10 950 days (30 years) for the Cluster CA. */
  validityDays?: number;
  key?: 'ec' | 'rsa';
}

type CustomCaEncoding = 'pem' | 'der' | 'pem-crlf' | 'double-base64';
type CustomCaSpec =
  | { encoding: CustomCaEncoding; subject: string; notBefore: Instant; notAfter: Instant }
  | { encoding: 'spec-example' };

type OsSku = 'Ubuntu' | 'AzureLinux' | 'Windows2022' | 'Windows2019';

interface PoolSpec {
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
}

type CredentialMode = 'normal' | 'monitoring-forbidden' | 'all-forbidden' | 'local-accounts-disabled';

type Status = 'compliant' | 'warning' | 'violation' | 'unknown';

interface DemoClusterSpec {
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
  /** Absent only for clusters whose credentials cannot be read at all. */
  ca?: CertSpec;
  client?: CertSpec;
  customCAs?: CustomCaSpec[];
  credentials?: CredentialMode;
  expected: { status: Status; findingCodes: string[]; autoRotationReasons: string[]; purpose: string };
}

// Finding codes and reasons (docs/rules.md).
const EXPIRED = 'CERT_EXPIRED';
const CRITICAL = 'CERT_EXPIRING_CRITICAL';
const SOON = 'CERT_EXPIRING_SOON';
const NOT_YET_VALID = 'CERT_NOT_YET_VALID';
const EXCEEDS = 'CERT_AGE_EXCEEDS_POLICY';
const NEAR = 'CERT_AGE_NEAR_POLICY';
const INELIGIBLE = 'AUTO_ROTATION_INELIGIBLE';
const OVERDUE = 'AUTO_ROTATION_OVERDUE';
const LEGACY_CA = 'LEGACY_TWO_YEAR_CA';
const STOPPED = 'CLUSTER_STOPPED';
const NOT_READY = 'CLUSTER_NOT_READY';
const CA_INVALID = 'CUSTOM_CA_INVALID';
const CA_LIMIT = 'CUSTOM_CA_LIMIT_EXCEEDED';
const CA_WINDOWS = 'CUSTOM_CA_WINDOWS_POOL';
const UNAVAILABLE = 'CERT_SOURCE_UNAVAILABLE';

const RBAC_DISABLED = 'RBAC_DISABLED';
const PREDATES = 'PREDATES_TLS_BOOTSTRAP';
const NODE_IMAGE = 'NODE_IMAGE_PREDATES_TLS_BOOTSTRAP';
const STOPPED_REASON = 'CLUSTER_STOPPED';

function verdict(
  status: Status,
  findingCodes: string[],
  autoRotationReasons: string[],
  purpose: string,
): DemoClusterSpec['expected'] {
  return { status, findingCodes: [...findingCodes].sort(), autoRotationReasons: [...autoRotationReasons].sort(), purpose };
}

/** Cluster CA and client certificate both issued `days` ago (creation, or the last `az aks rotate-certs`). */
function issuedDaysAgo(days: number): { ca: CertSpec; client: CertSpec } {
  return { ca: { notBefore: daysAgo(days) }, client: { notBefore: daysAgo(days) } };
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

function systemPool(vmSize = 'Standard_D4ds_v5', count = 3, extra: Partial<PoolSpec> = {}): PoolSpec {
  return { name: 'system', mode: 'System', count, vmSize, autoscale: [3, 5], zones: ['1', '2', '3'], ...extra };
}
function userPool(name: string, vmSize: string, count: number, extra: Partial<PoolSpec> = {}): PoolSpec {
  return { name, mode: 'User', count, vmSize, autoscale: [Math.max(1, count - 2), count + 6], ...extra };
}

function tags(environment: string, application: string, owner: string, extra: Record<string, string> = {}) {
  const costCenters: Record<string, string> = { production: 'CC-4410', staging: 'CC-4420', sandbox: 'CC-4490' };
  return {
    environment,
    application,
    owner: `${owner}@contoso.com`,
    costCenter: costCenters[environment] ?? 'CC-4400',
    ...extra,
  };
}

const prodTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('production', app, owner, extra);
const stgTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('staging', app, owner, extra);
const sbxTags = (app: string, owner: string, extra: Record<string, string> = {}) => tags('sandbox', app, owner, extra);

// ---------------------------------------------------------------------------------------------
// The demo clusters

const DEMO_CLUSTERS: DemoClusterSpec[] = [
  // ----------------------------------------------------------------- Contoso Production
  {
    subscription: 'production',
    name: 'aks-payments-prod-weu',
    resourceGroup: 'rg-payments-prod',
    location: 'westeurope',
    tags: prodTags('payments', 'payments-platform', { 'aks-cert-compliance/rotation': 'auto' }),
    createdAt: daysAgo(540),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('payments', 'Standard_D8ds_v5', 6)],
    tier: 'Standard',
    ...issuedDaysAgo(21),
    expected: verdict('compliant', [], [], 'Healthy production cluster whose certificates were rotated 21 days ago.'),
  },
  {
    subscription: 'production',
    name: 'aks-payments-prod-neu',
    resourceGroup: 'rg-payments-prod',
    location: 'northeurope',
    lowercaseResourceGroups: true,
    tags: prodTags('payments', 'payments-platform', { 'aks-cert-compliance/rotation': 'auto' }),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('payments', 'Standard_D8ds_v5', 4)],
    tier: 'Standard',
    ...issuedDaysAgo(45),
    expected: verdict(
      'compliant',
      [],
      [],
      'Healthy cluster rotated 45 days ago, served like a live response: lowercase resourcegroups, no systemData.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-checkout-prod-eus2',
    resourceGroup: 'rg-checkout-prod',
    location: 'eastus2',
    tags: prodTags('checkout', 'commerce'),
    createdAt: daysAgo(400),
    kubernetesVersion: '1.29.9',
    pools: [systemPool(), userPool('web', 'Standard_D4ds_v5', 8)],
    ...issuedDaysAgo(400),
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'The common case: created 400 days ago and never rotated, so the CA and client certificate exceed 90 days.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-orders-prod-weu',
    resourceGroup: 'rg-orders-prod',
    location: 'westeurope',
    tags: prodTags('orders', 'commerce'),
    createdAt: daysAgo(700),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('orders', 'Standard_D8ds_v5', 5)],
    ca: { notBefore: daysAgo(700) },
    client: { notBefore: daysAgo(116) },
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'AKS auto-rotated the client certificate at 80% of its life 116 days ago, but the 700-day-old CA is never auto-rotated.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-identity-prod-uks',
    resourceGroup: 'rg-identity-prod',
    location: 'uksouth',
    lowercaseResourceGroups: true,
    tags: prodTags('identity', 'identity-platform'),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_D4ds_v5', 3, { osSku: 'AzureLinux' }), userPool('idp', 'Standard_D4ds_v5', 3, { osSku: 'AzureLinux' })],
    privateCluster: true,
    ...issuedDaysAgo(300),
    expected: verdict(
      'violation',
      [EXCEEDS, UNAVAILABLE],
      [],
      'Private cluster (no public FQDN, no systemData) whose 300-day-old certificates are read from the kubeconfig; its API server cannot be probed.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-search-prod-weu',
    resourceGroup: 'rg-search-prod',
    location: 'westeurope',
    tags: prodTags('search', 'search-relevance'),
    createdAt: daysAgo(75),
    kubernetesVersion: '1.31.2',
    pools: [systemPool(), userPool('es', 'Standard_E8ds_v5', 6)],
    ...issuedDaysAgo(75),
    expected: verdict('warning', [NEAR], [], 'Created 75 days ago: certificates near the 90-day policy.'),
  },
  {
    subscription: 'production',
    name: 'aks-analytics-prod-eus2',
    resourceGroup: 'rg-analytics-prod',
    location: 'eastus2',
    tags: prodTags('analytics', 'data-platform'),
    createdAt: daysAgo(620),
    kubernetesVersion: '1.29.9',
    pools: [systemPool(), userPool('spark', 'Standard_E16ds_v5', 10)],
    ...issuedDaysAgo(620),
    expected: verdict(
      'violation',
      [EXCEEDS, OVERDUE],
      [],
      'Eligible for auto-rotation, yet its 2-year client certificate is 620 days old (past 80%): AKS did not renew it.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-ledger-prod-weu',
    resourceGroup: 'rg-ledger-prod',
    location: 'westeurope',
    tags: prodTags('ledger', 'finance-systems'),
    createdAt: daysAgo(726),
    kubernetesVersion: '1.29.9',
    pools: [systemPool(), userPool('ledger', 'Standard_D8ds_v5', 4)],
    ...issuedDaysAgo(726),
    expected: verdict(
      'violation',
      [CRITICAL, EXCEEDS, OVERDUE],
      [],
      'Client certificate expires in 4 days on an eligible cluster that AKS failed to rotate.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-crm-prod-neu',
    resourceGroup: 'rg-crm-legacy',
    location: 'northeurope',
    tags: prodTags('crm', 'crm-team'),
    createdAt: at('2021-06-14T08:12:43.000Z'),
    createdBy: 'j.doe@contoso.com',
    kubernetesVersion: '1.22.6',
    pools: [systemPool('Standard_DS3_v2', 3, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.08.10', zones: [] })],
    ca: { notBefore: at('2021-06-14T08:12:43.000Z') },
    client: { notBefore: at('2021-06-14T08:12:43.000Z') },
    expected: verdict(
      'violation',
      [EXCEEDS, EXPIRED, INELIGIBLE],
      [PREDATES],
      'Created June 2021 and still on Kubernetes 1.22.6, so never auto-rotated: its client certificate expired in 2023 (the deadlock case).',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-platform-prod-weu',
    resourceGroup: 'rg-platform-prod',
    location: 'westeurope',
    tags: prodTags('platform', 'platform-engineering'),
    createdAt: at('2021-09-02T13:40:05.000Z'),
    kubernetesVersion: '1.29',
    currentKubernetesVersion: '1.29.7',
    pools: [systemPool(), userPool('shared', 'Standard_D8ds_v5', 6)],
    ca: { notBefore: at('2021-09-02T13:40:05.000Z') },
    client: { notBefore: daysAgo(300) },
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'Created September 2021 but upgraded to 1.29 (kubernetesVersion "1.29" alias): not predating TLS bootstrap; only its old CA exceeds policy.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-portal-prod-weu',
    resourceGroup: 'rg-portal-prod',
    location: 'westeurope',
    tags: prodTags('customer-portal', 'web-experience'),
    createdAt: daysAgo(480),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('win22', 'Standard_D4s_v5', 3, { osSku: 'Windows2022' })],
    ...issuedDaysAgo(30),
    customCAs: [
      {
        encoding: 'pem',
        subject: 'CN=Contoso Root CA G2, O=Contoso Ltd, C=US',
        notBefore: daysAgo(1100),
        notAfter: daysFromNow(2550),
      },
    ],
    expected: verdict(
      'warning',
      [CA_WINDOWS],
      [],
      'Custom CA trust certificates on a cluster with a Windows Server 2022 pool, where they are not supported.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-edge-prod-eus2',
    resourceGroup: 'rg-edge-prod',
    location: 'eastus2',
    tags: prodTags('edge-proxy', 'network-engineering'),
    createdAt: daysAgo(260),
    kubernetesVersion: '1.31.2',
    pools: [systemPool(), userPool('ingress', 'Standard_F8s_v2', 4)],
    ...issuedDaysAgo(14),
    customCAs: [
      {
        encoding: 'pem',
        subject: 'CN=Contoso Root CA G2, O=Contoso Ltd, C=US',
        notBefore: daysAgo(1100),
        notAfter: daysFromNow(2550),
      },
      {
        encoding: 'der',
        subject: 'CN=Contoso Egress Proxy CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(400),
        notAfter: daysFromNow(1425),
      },
    ],
    expected: verdict('compliant', [], [], 'Valid custom CA trust certificates in both PEM and DER byte form; no age findings for customer-owned CAs.'),
  },
  {
    subscription: 'production',
    name: 'aks-gateway-prod-weu',
    resourceGroup: 'rg-gateway-prod',
    location: 'westeurope',
    tags: prodTags('api-gateway', 'network-engineering'),
    createdAt: daysAgo(330),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('gateway', 'Standard_D4ds_v5', 4)],
    ...issuedDaysAgo(28),
    customCAs: [
      {
        encoding: 'pem',
        subject: 'CN=Contoso Partner Gateway CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(709),
        notAfter: daysFromNow(21),
      },
    ],
    expected: verdict('warning', [SOON], [], 'A custom CA trust certificate expires in 21 days.'),
  },
  {
    subscription: 'production',
    name: 'aks-billing-prod-weu',
    resourceGroup: 'rg-billing-prod',
    location: 'westeurope',
    tags: prodTags('billing', 'finance-systems'),
    createdAt: daysAgo(380),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('billing', 'Standard_D8ds_v5', 4)],
    provisioningState: 'RotatingClusterCertificates',
    ...issuedDaysAgo(380),
    expected: verdict(
      'violation',
      [EXCEEDS, NOT_READY],
      [],
      'Certificate rotation in progress (RotatingClusterCertificates); the old certificates are still served.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-core-prod-weu',
    resourceGroup: 'rg-core-prod',
    location: 'westeurope',
    tags: prodTags('core-services', 'platform-engineering'),
    createdAt: daysAgo(500),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('core', 'Standard_D8ds_v5', 6)],
    aad: { disableLocalAccounts: true },
    credentials: 'local-accounts-disabled',
    tier: 'Standard',
    ...issuedDaysAgo(40),
    expected: verdict(
      'compliant',
      [UNAVAILABLE],
      [],
      'AAD cluster with local accounts disabled: monitoring credentials refused (400), the user kubeconfig has the CA but a kubelogin user without client certificate.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-vault-prod-weu',
    resourceGroup: 'rg-security-prod',
    location: 'westeurope',
    tags: prodTags('secrets-vault', 'security-engineering'),
    createdAt: daysAgo(200),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('vault', 'Standard_D4ds_v5', 3)],
    privateCluster: true,
    credentials: 'all-forbidden',
    expected: verdict(
      'unknown',
      [UNAVAILABLE],
      [],
      'Private cluster whose monitoring, user and admin credential listings all answer 403: no certificate can be read.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-reporting-prod-eus2',
    resourceGroup: 'rg-reporting-prod',
    location: 'eastus2',
    tags: prodTags('reporting', 'data-platform'),
    createdAt: daysAgo(210),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('reports', 'Standard_D4ds_v5', 3)],
    credentials: 'monitoring-forbidden',
    ...issuedDaysAgo(210),
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'Monitoring credentials answer 403 but the user credentials work: judged normally from the user kubeconfig.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-media-prod-ause',
    resourceGroup: 'rg-media-prod',
    location: 'australiaeast',
    tags: prodTags('media-transcoding', 'media-services'),
    createdAt: daysAgo(710),
    kubernetesVersion: '1.29.9',
    pools: [systemPool('Standard_D4ds_v5', 3, { zones: [] }), userPool('encode', 'Standard_F16s_v2', 6)],
    enableRBAC: false,
    ...issuedDaysAgo(710),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE, SOON],
      [RBAC_DISABLED],
      'RBAC disabled, so never auto-rotated: its client certificate expires in 20 days (no OVERDUE: it is not eligible).',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-inventory-prod-neu',
    resourceGroup: 'rg-inventory-prod',
    location: 'northeurope',
    tags: prodTags('inventory', 'supply-chain'),
    createdAt: at('2021-10-04T10:05:19.000Z'),
    kubernetesVersion: '1.23.5',
    pools: [
      systemPool('Standard_DS3_v2', 3, {
        orchestratorVersion: '1.22.4',
        nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.01.19',
        zones: [],
      }),
      userPool('stock', 'Standard_D4s_v3', 4, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.03.29' }),
    ],
    ...issuedDaysAgo(150),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE],
      [NODE_IMAGE],
      'Control plane upgraded to 1.23.5 (not predating), but the system pool still runs node image 2022.01.19; manually rotated 150 days ago.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-pos-prod-eus2',
    resourceGroup: 'rg-pos-prod',
    location: 'eastus2',
    tags: prodTags('point-of-sale', 'retail-systems'),
    createdAt: at('2021-12-06T16:44:00.000Z'),
    kubernetesVersion: '1.24.9',
    pools: [
      systemPool('Standard_D4s_v3', 3, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2023.01.10', zones: [] }),
      userPool('win19', 'Standard_D4s_v3', 4, {
        osSku: 'Windows2019',
        orchestratorVersion: '1.23.3',
        nodeImageVersion: 'AKSWindows-2019-containerd-17763.2366.211215',
      }),
    ],
    ...issuedDaysAgo(100),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE],
      [NODE_IMAGE],
      'A Windows Server 2019 pool on node image 17763.2366.211215 (December 2021) keeps the cluster from auto-rotation.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-fulfilment-prod-eus2',
    resourceGroup: 'rg-fulfilment-prod',
    location: 'eastus2',
    tags: prodTags('fulfilment', 'supply-chain'),
    createdAt: daysAgo(950),
    kubernetesVersion: '1.29.9',
    pools: [systemPool(), userPool('workers', 'Standard_D8ds_v5', 12)],
    ca: { notBefore: daysAgo(950) },
    client: { notBefore: daysAgo(366) },
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'Created 950 days ago; AKS renewed the client certificate 366 days ago, but both the CA and the client exceed 90 days.',
    ),
  },
  {
    subscription: 'production',
    name: 'aks-catalog-prod-weu',
    resourceGroup: 'rg-catalog-prod',
    location: 'westeurope',
    lowercaseResourceGroups: true,
    tags: prodTags('catalog', 'commerce'),
    createdAt: daysAgo(180),
    kubernetesVersion: '1.30.6',
    pools: [systemPool(), userPool('catalog', 'Standard_D4ds_v5', 4)],
    ...issuedDaysAgo(180),
    expected: verdict('violation', [EXCEEDS], [], 'Ordinary cluster created 180 days ago and never rotated.'),
  },
  {
    subscription: 'production',
    name: 'aks-notifications-prod-neu',
    resourceGroup: 'rg-notifications-prod',
    location: 'northeurope',
    tags: prodTags('notifications', 'messaging'),
    createdAt: at('2021-04-19T07:30:00.000Z'),
    kubernetesVersion: '1.22.8',
    pools: [systemPool('Standard_DS3_v2', 3, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.03.29', zones: [] })],
    ca: { notBefore: at('2021-04-19T07:30:00.000Z') },
    client: { notBefore: daysAgo(200) },
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'Created April 2021 and last upgraded to 1.22.8 (released March 2022): that upgrade enabled auto-rotation, so no PREDATES reason.',
    ),
  },

  // ----------------------------------------------------------------- Contoso Staging
  {
    subscription: 'staging',
    name: 'aks-payments-stg-weu',
    resourceGroup: 'rg-payments-stg',
    location: 'westeurope',
    tags: stgTags('payments', 'payments-platform'),
    createdAt: daysAgo(610),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }), userPool('payments', 'Standard_D4ds_v5', 3)],
    ...issuedDaysAgo(10),
    expected: verdict('compliant', [], [], 'Healthy staging cluster rotated 10 days ago.'),
  },
  {
    subscription: 'staging',
    name: 'aks-checkout-stg-eus2',
    resourceGroup: 'rg-checkout-stg',
    location: 'eastus2',
    tags: stgTags('checkout', 'commerce'),
    createdAt: daysAgo(250),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }), userPool('web', 'Standard_D4ds_v5', 3)],
    ...issuedDaysAgo(250),
    expected: verdict('violation', [EXCEEDS], [], 'Ordinary staging cluster created 250 days ago and never rotated.'),
  },
  {
    subscription: 'staging',
    name: 'aks-canary-stg-weu-01',
    resourceGroup: 'rg-canary-stg',
    location: 'westeurope',
    tags: stgTags('canary', 'release-engineering'),
    createdAt: daysAgoAtMost(90),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ca: { notBefore: daysAgoAtMost(90) },
    client: { notBefore: daysAgoAtMost(90) },
    expected: verdict('warning', [NEAR], [], 'Boundary: certificates exactly 90 days old are near the policy, not over it.'),
  },
  {
    subscription: 'staging',
    name: 'aks-canary-stg-weu-02',
    resourceGroup: 'rg-canary-stg',
    location: 'westeurope',
    tags: stgTags('canary', 'release-engineering'),
    createdAt: daysAgo(90, 60_000),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ca: { notBefore: daysAgo(90, 60_000) },
    client: { notBefore: daysAgo(90, 60_000) },
    expected: verdict('violation', [EXCEEDS], [], 'Boundary: certificates 90 days and one minute old exceed the policy.'),
  },
  {
    subscription: 'staging',
    name: 'aks-canary-stg-weu-03',
    resourceGroup: 'rg-canary-stg',
    location: 'westeurope',
    tags: stgTags('canary', 'release-engineering'),
    createdAt: daysAgoAtMost(60),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ca: { notBefore: daysAgoAtMost(60) },
    client: { notBefore: daysAgoAtMost(60) },
    expected: verdict('compliant', [], [], 'Boundary: certificates exactly 60 days old are not yet near the policy.'),
  },
  {
    subscription: 'staging',
    name: 'aks-canary-stg-weu-04',
    resourceGroup: 'rg-canary-stg',
    location: 'westeurope',
    tags: stgTags('canary', 'release-engineering'),
    createdAt: daysAgo(60, 60_000),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ca: { notBefore: daysAgo(60, 60_000) },
    client: { notBefore: daysAgo(60, 60_000) },
    expected: verdict('warning', [NEAR], [], 'Boundary: certificates 60 days and one minute old are near the policy.'),
  },
  {
    subscription: 'staging',
    name: 'aks-orders-stg-weu',
    resourceGroup: 'rg-orders-stg',
    location: 'westeurope',
    tags: stgTags('orders', 'commerce'),
    createdAt: daysAgo(320),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }), userPool('orders', 'Standard_D4ds_v5', 3)],
    provisioningState: 'Failed',
    ...issuedDaysAgo(320),
    expected: verdict(
      'violation',
      [EXCEEDS, NOT_READY],
      [],
      'Provisioning state Failed (a rotate-certs that must be rerun) with 320-day-old certificates.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-search-stg-weu',
    resourceGroup: 'rg-search-stg',
    location: 'westeurope',
    tags: stgTags('search', 'search-relevance'),
    createdAt: daysAgo(400),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }), userPool('es', 'Standard_E4ds_v5', 3)],
    provisioningState: 'Updating',
    ...issuedDaysAgo(12),
    expected: verdict('warning', [NOT_READY], [], 'Recently rotated cluster caught in the middle of an update (Updating).'),
  },
  {
    subscription: 'staging',
    name: 'aks-analytics-stg-eus2',
    resourceGroup: 'rg-analytics-stg',
    location: 'eastus2',
    tags: stgTags('analytics', 'data-platform', { schedule: 'office-hours' }),
    createdAt: daysAgo(450),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }), userPool('spark', 'Standard_E8ds_v5', 4)],
    powerState: 'Stopped',
    ...issuedDaysAgo(20),
    expected: verdict(
      'warning',
      [INELIGIBLE, STOPPED],
      [STOPPED_REASON],
      'Stopped outside office hours: recent certificates, but a stopped cluster cannot be rotated.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-trust-stg-weu',
    resourceGroup: 'rg-trust-stg',
    location: 'westeurope',
    tags: stgTags('pki-integration', 'security-engineering'),
    createdAt: daysAgo(200),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ...issuedDaysAgo(15),
    customCAs: [
      {
        encoding: 'pem-crlf',
        subject: 'CN=Contoso Issuing CA 01, O=Contoso Ltd, C=US',
        notBefore: daysAgo(500),
        notAfter: daysFromNow(1325),
      },
    ],
    expected: verdict('violation', [CA_INVALID], [], 'A custom CA trust certificate saved on Windows: PEM with CRLF line breaks.'),
  },
  {
    subscription: 'staging',
    name: 'aks-trust-stg-neu',
    resourceGroup: 'rg-trust-stg',
    location: 'northeurope',
    tags: stgTags('pki-integration', 'security-engineering'),
    createdAt: daysAgo(220),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ...issuedDaysAgo(15),
    customCAs: Array.from({ length: 11 }, (_, i) => ({
      encoding: (i % 3 === 2 ? 'der' : 'pem') as CustomCaEncoding,
      subject: `CN=Contoso Partner CA ${String(i + 1).padStart(2, '0')}, O=Contoso Ltd, C=US`,
      notBefore: daysAgo(300 + i * 10),
      notAfter: daysFromNow(1500 + i * 30),
    })),
    expected: verdict('violation', [CA_LIMIT], [], 'Eleven valid custom CA trust certificates: more than the 10 AKS allows.'),
  },
  {
    subscription: 'staging',
    name: 'aks-timesync-stg-weu',
    resourceGroup: 'rg-platform-stg',
    location: 'westeurope',
    tags: stgTags('platform', 'platform-engineering'),
    createdAt: daysAgo(380),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    ca: { notBefore: daysAgo(9) },
    client: { notBefore: (now) => floorToSecond(new Date(now.getTime() + 36 * 3_600_000)) },
    expected: verdict(
      'warning',
      [NOT_YET_VALID],
      [],
      'Client certificate issued 36 hours in the future by a signer with a skewed clock: not yet valid, and no age finding for it.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-imagebuild-stg-weu',
    resourceGroup: 'rg-imagebuild-stg',
    location: 'westeurope',
    tags: stgTags('image-factory', 'platform-engineering'),
    createdAt: daysAgo(140),
    kubernetesVersion: '1.31.2',
    pools: [
      systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }),
      userPool('custom', 'Standard_D4ds_v5', 2, { nodeImageVersion: 'AKSUbuntu-2204gen2containerd-latest' }),
    ],
    ...issuedDaysAgo(8),
    expected: verdict('compliant', [], [], 'Node image "AKSUbuntu-2204gen2containerd-latest" cannot be dated: unknown evidence, not a reason.'),
  },
  {
    subscription: 'staging',
    name: 'aks-imagetest-stg-neu',
    resourceGroup: 'rg-imagebuild-stg',
    location: 'northeurope',
    tags: stgTags('image-factory', 'platform-engineering'),
    createdAt: daysAgo(140),
    kubernetesVersion: '1.31.2',
    pools: [
      systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }),
      userPool('custom', 'Standard_D4ds_v5', 2, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2021.02.29' }),
    ],
    ...issuedDaysAgo(8),
    expected: verdict(
      'compliant',
      [],
      [],
      'Node image dated 2021.02.29, not a real calendar day: unreadable, so not a reason (a lenient date parser would say March 2021).',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-imagelegacy-stg-eus2',
    resourceGroup: 'rg-imagebuild-stg',
    location: 'eastus2',
    tags: stgTags('image-factory', 'platform-engineering'),
    createdAt: daysAgo(140),
    kubernetesVersion: '1.31.2',
    pools: [
      systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }),
      userPool('pinned', 'Standard_D4ds_v5', 2, { nodeImageVersion: 'AKSUbuntu-1804gen2containerd-202202.28.0' }),
    ],
    ...issuedDaysAgo(8),
    expected: verdict(
      'warning',
      [INELIGIBLE],
      [NODE_IMAGE],
      'A pool pinned to node image 202202.28.0 (YYYYMM.DD.N, February 2022); certificates rotated by hand 8 days ago.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-inventory-stg-neu',
    resourceGroup: 'rg-inventory-stg',
    location: 'northeurope',
    lowercaseResourceGroups: true,
    tags: stgTags('inventory', 'supply-chain'),
    kubernetesVersion: '1.22.6',
    pools: [systemPool('Standard_DS2_v2', 2, { autoscale: [2, 4], zones: [] })],
    ...issuedDaysAgo(400),
    expected: verdict(
      'violation',
      [EXCEEDS],
      [],
      'Old Kubernetes 1.22.6 but no systemData: without a creation date PREDATES_TLS_BOOTSTRAP is never given.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-crm-stg-neu',
    resourceGroup: 'rg-crm-stg',
    location: 'northeurope',
    tags: stgTags('crm', 'crm-team'),
    createdAt: at('2022-01-20T11:02:37.000Z'),
    kubernetesVersion: '1.23.4',
    pools: [systemPool('Standard_DS2_v2', 2, { autoscale: [2, 4], nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.10.03', zones: [] })],
    ...issuedDaysAgo(120),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE],
      [PREDATES],
      'Created January 2022 on 1.23.4 (released before 1.23.5): predates TLS bootstrapping; rotated by hand 120 days ago.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-portal-stg-weu',
    resourceGroup: 'rg-portal-stg',
    location: 'westeurope',
    tags: stgTags('customer-portal', 'web-experience'),
    createdAt: daysAgo(190),
    kubernetesVersion: '1.30.6',
    pools: [
      systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] }),
      userPool('win22', 'Standard_D4s_v5', 2, { osSku: 'Windows2022', enableCustomCATrust: true }),
    ],
    ...issuedDaysAgo(25),
    expected: verdict(
      'warning',
      [CA_WINDOWS],
      [],
      'A Windows pool with the preview enableCustomCATrust flag set (no custom CA list): not supported on Windows.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-crm-upgrade-stg-neu',
    resourceGroup: 'rg-crm-stg',
    location: 'northeurope',
    tags: stgTags('crm', 'crm-team'),
    createdAt: at('2021-08-16T09:15:00.000Z'),
    kubernetesVersion: '1.23.12',
    currentKubernetesVersion: '1.22.6',
    provisioningState: 'Upgrading',
    pools: [systemPool('Standard_DS2_v2', 2, { autoscale: [2, 4], nodeImageVersion: 'AKSUbuntu-1804gen2containerd-2022.10.03', zones: [] })],
    ...issuedDaysAgo(100),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE, NOT_READY],
      [PREDATES],
      'Upgrade from 1.22.6 to 1.23.12 in progress: currentKubernetesVersion (1.22.6) decides, so it still predates TLS bootstrapping.',
    ),
  },
  {
    subscription: 'staging',
    name: 'aks-core-stg-weu',
    resourceGroup: 'rg-core-stg',
    location: 'westeurope',
    tags: stgTags('core-services', 'platform-engineering'),
    createdAt: daysAgo(400),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4] })],
    aad: { disableLocalAccounts: true },
    credentials: 'local-accounts-disabled',
    ...issuedDaysAgo(400),
    expected: verdict(
      'violation',
      [EXCEEDS, UNAVAILABLE],
      [],
      'AAD cluster with local accounts disabled whose 400-day-old CA is still judged from the user kubeconfig.',
    ),
  },

  // ----------------------------------------------------------------- Contoso Sandbox
  {
    subscription: 'sandbox',
    name: 'aks-legacy-sbx-weu',
    resourceGroup: 'rg-sandbox-legacy',
    location: 'westeurope',
    tags: sbxTags('legacy-poc', 'innovation-lab'),
    createdAt: at('2018-11-07T14:22:10.000Z'),
    createdBy: 'innovation.lab@contoso.com',
    kubernetesVersion: '1.18.14',
    pools: [
      {
        name: 'nodepool1',
        mode: 'System',
        count: 2,
        vmSize: 'Standard_DS2_v2',
        nodeImageVersion: 'AKSUbuntu-1804-2021.01.06',
      },
    ],
    enableRBAC: false,
    tier: 'Free',
    dnsPrefix: 'legacypoc',
    ca: { notBefore: at('2018-11-07T14:22:10.000Z'), validityDays: 730, key: 'rsa' },
    client: { notBefore: at('2018-11-07T14:22:10.000Z'), key: 'rsa' },
    expected: verdict(
      'violation',
      [EXCEEDS, EXPIRED, INELIGIBLE, LEGACY_CA],
      [NODE_IMAGE, PREDATES, RBAC_DISABLED],
      'Created November 2018 with a 2-year Cluster CA (RSA) that expired in 2020 and never rotated: legacy CA, expired, and ineligible on every count.',
    ),
  },
  {
    subscription: 'sandbox',
    name: 'aks-dev-sbx-weu-01',
    resourceGroup: 'rg-dev-sandbox',
    location: 'westeurope',
    tags: sbxTags('developer-sandbox', 'developer-experience'),
    createdAt: daysAgo(150),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_B4ms', 1, { autoscale: [1, 3], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(150),
    expected: verdict('violation', [EXCEEDS], [], 'Developer sandbox created 150 days ago and never rotated.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-dev-sbx-weu-02',
    resourceGroup: 'rg-dev-sandbox',
    location: 'westeurope',
    tags: sbxTags('developer-sandbox', 'developer-experience', { 'aks-cert-compliance/rotation': 'off' }),
    createdAt: daysAgo(300),
    kubernetesVersion: '1.30.6',
    pools: [systemPool('Standard_B4ms', 1, { autoscale: [1, 3], zones: [] })],
    powerState: 'Stopped',
    tier: 'Free',
    ...issuedDaysAgo(300),
    expected: verdict(
      'violation',
      [EXCEEDS, INELIGIBLE, STOPPED],
      [STOPPED_REASON],
      'Stopped sandbox with 300-day-old certificates: overdue for rotation, but rotation is not supported while stopped.',
    ),
  },
  {
    subscription: 'sandbox',
    name: 'aks-trust-sbx-eus2',
    resourceGroup: 'rg-trust-sandbox',
    location: 'eastus2',
    tags: sbxTags('pki-integration', 'security-engineering'),
    createdAt: daysAgo(90 + 45),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(30),
    customCAs: [
      {
        encoding: 'double-base64',
        subject: 'CN=Contoso Lab Root CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(200),
        notAfter: daysFromNow(1625),
      },
      {
        encoding: 'der',
        subject: 'CN=Contoso Lab Issuing CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(200),
        notAfter: daysFromNow(1625),
      },
    ],
    expected: verdict(
      'violation',
      [CA_INVALID],
      [],
      'One custom CA was base64-encoded before being passed (double-encoded); the DER one beside it is valid.',
    ),
  },
  {
    subscription: 'sandbox',
    name: 'aks-trust-sbx-weu',
    resourceGroup: 'rg-trust-sandbox',
    location: 'westeurope',
    tags: sbxTags('pki-integration', 'security-engineering'),
    createdAt: daysAgo(120),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(30),
    customCAs: [
      { encoding: 'spec-example' },
      {
        encoding: 'pem',
        subject: 'CN=Contoso Lab Root CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(200),
        notAfter: daysFromNow(1625),
      },
    ],
    expected: verdict(
      'violation',
      [CA_INVALID],
      [],
      'Custom CA list copied from the API example: bytes that are no certificate, next to a valid PEM one.',
    ),
  },
  {
    subscription: 'sandbox',
    name: 'aks-mariner-sbx-neu',
    resourceGroup: 'rg-dev-sandbox',
    location: 'northeurope',
    tags: sbxTags('azure-linux-eval', 'developer-experience'),
    createdAt: daysAgo(50),
    kubernetesVersion: '1.31.2',
    pools: [
      systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], osSku: 'AzureLinux', zones: [] }),
      userPool('apps', 'Standard_D4ds_v5', 2, { osSku: 'AzureLinux' }),
    ],
    tier: 'Free',
    ...issuedDaysAgo(5),
    expected: verdict('compliant', [], [], 'Azure Linux cluster rotated 5 days ago.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-pki-sbx-weu-01',
    resourceGroup: 'rg-pki-sandbox',
    location: 'westeurope',
    tags: sbxTags('pki-lab', 'security-engineering'),
    createdAt: daysAgo(170),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(30),
    customCAs: [
      {
        encoding: 'pem',
        subject: 'CN=Contoso Lab Old Root CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(1825),
        notAfter: daysFromNow(0),
      },
    ],
    expected: verdict('violation', [EXPIRED], [], 'Boundary: a custom CA whose notAfter is exactly now has expired.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-pki-sbx-weu-02',
    resourceGroup: 'rg-pki-sandbox',
    location: 'westeurope',
    tags: sbxTags('pki-lab', 'security-engineering'),
    createdAt: daysAgo(170),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(30),
    customCAs: [
      {
        encoding: 'pem',
        subject: 'CN=Contoso Lab Intermediate CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(358),
        notAfter: daysFromNow(7),
      },
    ],
    expected: verdict('violation', [CRITICAL], [], 'Boundary: a custom CA expiring in exactly 7 days is critical.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-pki-sbx-weu-03',
    resourceGroup: 'rg-pki-sandbox',
    location: 'westeurope',
    tags: sbxTags('pki-lab', 'security-engineering'),
    createdAt: daysAgo(170),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_D2ds_v5', 2, { autoscale: [2, 4], zones: [] })],
    tier: 'Free',
    ...issuedDaysAgo(30),
    customCAs: [
      {
        encoding: 'der',
        subject: 'CN=Contoso Lab Proxy CA, O=Contoso Ltd, C=US',
        notBefore: daysAgo(335),
        notAfter: daysFromNow(30),
      },
    ],
    expected: verdict('warning', [SOON], [], 'Boundary: a custom CA (DER) expiring in exactly 30 days is expiring soon.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-ml-sbx-eus2',
    resourceGroup: 'rg-ml-sandbox',
    location: 'eastus2',
    tags: sbxTags('ml-experiments', 'data-science'),
    kubernetesVersion: '1.30.6',
    pools: [
      systemPool('Standard_D4ds_v5', 2, { autoscale: [2, 3], zones: [] }),
      userPool('gpu', 'Standard_NC6s_v3', 1, { autoscale: [0, 4] }),
    ],
    tier: 'Free',
    ...issuedDaysAgo(130),
    expected: verdict('violation', [EXCEEDS], [], 'GPU experiment cluster without systemData; certificates 130 days old.'),
  },
  {
    subscription: 'sandbox',
    name: 'aks-dev-sbx-neu-03',
    resourceGroup: 'rg-dev-sandbox',
    location: 'northeurope',
    tags: sbxTags('developer-sandbox', 'developer-experience'),
    createdAt: daysAgo(40),
    kubernetesVersion: '1.31.2',
    pools: [systemPool('Standard_B4ms', 1, { autoscale: [1, 3], zones: [] })],
    enableRBAC: false,
    tier: 'Free',
    ...issuedDaysAgo(40),
    expected: verdict('warning', [INELIGIBLE], [RBAC_DISABLED], 'New sandbox created with RBAC disabled: AKS will not auto-rotate it.'),
  },
];

// ---------------------------------------------------------------------------------------------
// Wire shapes

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

interface ClusterShape {
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
}

interface Endpoints {
  id: string;
  fqdn?: string;
  privateFqdn?: string;
  /** The host the kubeconfig's server points to. */
  serverHost: string;
}

function endpoints(shape: ClusterShape): Endpoints & { dnsPrefix: string; hex: string } {
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
  return profile;
}

function clusterResource(shape: ClusterShape, tenantId: string): SimulatedCluster['resource'] {
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
  properties['supportPlan'] = 'KubernetesOfficial';
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

// ---------------------------------------------------------------------------------------------
// Credentials

interface ClusterCertificates {
  ca: CertificateAuthority;
  client?: { certificate: IssuedCertificate; key: KeyMaterial };
}

function credentialsFor(
  mode: CredentialMode,
  shape: ClusterShape,
  ep: Endpoints,
  certs: ClusterCertificates | undefined,
  tenantId: string,
  secrets: Set<string>,
): SimulatedCluster['credentials'] {
  const server = `https://${ep.serverHost}:443`;
  const kubeconfig = (kind: 'clusterMonitoringUser' | 'clusterUser' | 'clusterAdmin'): SimulatedCredential => {
    if (!certs) throw new Error(`${shape.name}: credentials need certificates`);
    const userName = `${kind}_${shape.resourceGroup}_${shape.name}`;
    const built =
      mode === 'local-accounts-disabled'
        ? buildKubeconfig({
            clusterName: shape.name,
            server,
            certificateAuthorityPem: certs.ca.pem,
            user: { name: userName, exec: kubeloginExec(tenantId) },
          })
        : buildKubeconfig({
            clusterName: shape.name,
            server,
            certificateAuthorityPem: certs.ca.pem,
            user: {
              name: userName,
              ...(certs.client
                ? { clientCertificatePem: certs.client.certificate.pem, clientKeyPem: certs.client.key.privateKeyPem }
                : {}),
              token: randomToken(),
            },
          });
    for (const s of built.secrets) secrets.add(s);
    return { kubeconfig: built.text, name: kind };
  };
  const forbidden = (action: string): SimulatedCredential => ({
    error: authorizationFailed(`Microsoft.ContainerService/managedClusters/${action}/action`, ep.id),
  });
  const localAccountsDisabled: SimulatedCredential = {
    error: { status: 400, code: 'BadRequest', message: LOCAL_ACCOUNTS_DISABLED_MESSAGE },
  };
  switch (mode) {
    case 'normal':
      return {
        monitoring: kubeconfig('clusterMonitoringUser'),
        user: kubeconfig('clusterUser'),
        admin: kubeconfig('clusterAdmin'),
      };
    case 'monitoring-forbidden':
      return {
        monitoring: forbidden('listClusterMonitoringUserCredential'),
        user: kubeconfig('clusterUser'),
        admin: kubeconfig('clusterAdmin'),
      };
    case 'all-forbidden':
      return {
        monitoring: forbidden('listClusterMonitoringUserCredential'),
        user: forbidden('listClusterUserCredential'),
        admin: forbidden('listClusterAdminCredential'),
      };
    case 'local-accounts-disabled':
      return { monitoring: localAccountsDisabled, user: kubeconfig('clusterUser'), admin: localAccountsDisabled };
  }
}

function apiServerDnsNames(host: string): string[] {
  return [
    host,
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
  ];
}

// ---------------------------------------------------------------------------------------------
// Building the demo fleet

/**
 * Keys that are no secret of any kubeconfig are shared to save time: the API servers' keys (one per
 * subscription) and the custom CAs' keys. Client keys are each cluster's own.
 */
interface SharedKeys {
  apiServer: Record<SubscriptionKey, KeyMaterial>;
  customCa: KeyMaterial[];
}

async function sharedKeys(): Promise<SharedKeys> {
  const [production, staging, sandbox, ...customCa] = await Promise.all(
    Array.from({ length: 7 }, () => generateKey('ec')),
  );
  return { apiServer: { production: production!, staging: staging!, sandbox: sandbox! }, customCa };
}

async function customCaEntry(spec: CustomCaSpec, now: Date, key: KeyMaterial): Promise<string> {
  if (spec.encoding === 'spec-example') return SPEC_EXAMPLE_CUSTOM_CA;
  const ca = await createCaCertificate({
    key,
    subject: spec.subject,
    notBefore: spec.notBefore(now),
    notAfter: spec.notAfter(now),
  });
  switch (spec.encoding) {
    case 'pem':
      return base64(ca.pem);
    case 'der':
      return base64(ca.der);
    case 'pem-crlf':
      return base64(ca.pem.replace(/\n/g, '\r\n'));
    case 'double-base64':
      return base64(base64(ca.pem));
  }
}

const CA_VALIDITY_DAYS = 10_950;
const LEAF_VALIDITY_DAYS = 730;

async function buildDemoCluster(
  spec: DemoClusterSpec,
  now: Date,
  tenantId: string,
  keys: SharedKeys,
  secrets: Set<string>,
): Promise<SimulatedCluster> {
  const subscriptionId = DEMO_SUBSCRIPTIONS[spec.subscription].subscriptionId;
  const customCATrustCertificates = spec.customCAs
    ? await Promise.all(
        spec.customCAs.map((c, i) => customCaEntry(c, now, keys.customCa[i % keys.customCa.length]!)),
      )
    : undefined;

  const rotatedAt = spec.ca ? spec.ca.notBefore(now) : undefined;
  const shape: ClusterShape = {
    subscriptionId,
    name: spec.name,
    resourceGroup: spec.resourceGroup,
    location: spec.location,
    lowercaseResourceGroups: spec.lowercaseResourceGroups ?? false,
    tags: spec.tags,
    ...(spec.createdAt ? { createdAt: spec.createdAt(now) } : {}),
    ...(spec.createdBy ? { createdBy: spec.createdBy } : {}),
    ...(rotatedAt && rotatedAt <= now ? { lastModifiedAt: rotatedAt } : {}),
    kubernetesVersion: spec.kubernetesVersion,
    currentKubernetesVersion: spec.currentKubernetesVersion ?? spec.kubernetesVersion,
    pools: spec.pools,
    enableRBAC: spec.enableRBAC ?? true,
    powerState: spec.powerState ?? 'Running',
    provisioningState: spec.provisioningState ?? 'Succeeded',
    privateCluster: spec.privateCluster ?? false,
    ...(spec.aad ? { aad: spec.aad } : {}),
    ...(spec.dnsPrefix ? { dnsPrefix: spec.dnsPrefix } : {}),
    tier: spec.tier ?? 'Standard',
    ...(customCATrustCertificates ? { customCATrustCertificates } : {}),
  };
  const ep = endpoints(shape);

  let certs: ClusterCertificates | undefined;
  let apiServer: SimulatedCluster['apiServer'];
  if (spec.ca) {
    const caNotBefore = spec.ca.notBefore(now);
    const ca = await createCaCertificate({
      key: await generateKey(spec.ca.key ?? 'ec'),
      subject: 'CN=ca',
      notBefore: caNotBefore,
      notAfter: new Date(caNotBefore.getTime() + (spec.ca.validityDays ?? CA_VALIDITY_DAYS) * DAY_MS),
    });
    certs = { ca };
    const leafDates = spec.client ?? spec.ca;
    const leafNotBefore = leafDates.notBefore(now);
    const leafNotAfter = new Date(
      leafNotBefore.getTime() + (spec.client?.validityDays ?? LEAF_VALIDITY_DAYS) * DAY_MS,
    );
    if (spec.client && !spec.aad?.disableLocalAccounts) {
      // (Local accounts disabled: AKS hands out no client certificate.)
      const key = await generateKey(spec.client.key ?? 'ec');
      const certificate = await createLeafCertificate({
        key,
        issuer: ca,
        subject: 'CN=masterclient, O=system:masters',
        notBefore: leafNotBefore,
        notAfter: leafNotAfter,
        usage: 'client',
      });
      certs.client = { certificate, key };
    }
    if (!shape.privateCluster) {
      // Same dates as the client certificate (or the CA where no client certificate is exposed),
      // so that a scan with the API-server probe reaches the same verdict as one without.
      const key = keys.apiServer[spec.subscription];
      const certificate = await createLeafCertificate({
        key,
        issuer: ca,
        subject: 'CN=apiserver',
        notBefore: leafNotBefore,
        notAfter: leafNotAfter,
        usage: 'server',
        dnsNames: apiServerDnsNames(ep.serverHost),
        ipAddresses: ['10.0.0.1'],
      });
      apiServer = { certificatePem: certificate.pem, privateKeyPem: key.privateKeyPem };
    }
  }
  const credentials = credentialsFor(spec.credentials ?? 'normal', shape, ep, certs, tenantId, secrets);
  const cluster: SimulatedCluster = {
    subscriptionId,
    resource: clusterResource(shape, tenantId),
    credentials,
    expected: { ...spec.expected, findingCodes: [...spec.expected.findingCodes], autoRotationReasons: [...spec.expected.autoRotationReasons] },
  };
  if (apiServer) cluster.apiServer = apiServer;
  return cluster;
}

function demoSubscriptions(tenantId: string): SimulatedSubscription[] {
  const { production, staging, sandbox, forbidden } = DEMO_SUBSCRIPTIONS;
  return [
    { ...production, tenantId, state: 'Enabled' },
    { ...staging, tenantId, state: 'Enabled' },
    { ...sandbox, tenantId, state: 'Enabled' },
    {
      ...forbidden,
      tenantId,
      state: 'Enabled',
      listError: authorizationFailed(
        'Microsoft.ContainerService/managedClusters/read',
        `/subscriptions/${forbidden.subscriptionId}`,
      ),
    },
  ];
}

/**
 * The demo fleet at `now` (which must not be before {@link EARLIEST_DEMO_NOW}: some clusters have
 * fixed creation dates in 2018–2022).
 */
export async function buildDemoFleet(options: { now: Date }): Promise<SimulatedFleet> {
  const { now } = options;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('buildDemoFleet: now must be a valid Date');
  if (now < EARLIEST_DEMO_NOW) {
    throw new RangeError(`buildDemoFleet: now (${now.toISOString()}) is before ${EARLIEST_DEMO_NOW.toISOString()}`);
  }
  const secrets = new Set<string>();
  const keys = await sharedKeys();
  const clusters = await Promise.all(
    DEMO_CLUSTERS.map((spec) => buildDemoCluster(spec, now, DEMO_TENANT_ID, keys, secrets)),
  );
  return { subscriptions: demoSubscriptions(DEMO_TENANT_ID), clusters, secrets: [...secrets] };
}

// ---------------------------------------------------------------------------------------------
// The scale fleet

const SCALE_LOCATIONS = ['westeurope', 'northeurope', 'eastus2', 'uksouth', 'swedencentral', 'westus3'];
const SCALE_TEAMS = ['payments', 'orders', 'search', 'identity', 'analytics', 'catalog', 'media', 'billing', 'crm', 'edge'];
const SCALE_ENVS = ['prod', 'stg', 'dev'];
const SCALE_VERSIONS = ['1.29.9', '1.30.6', '1.31.2'];

/**
 * Many ordinary clusters, cheaply, for benchmarks: one CA key pair per subscription, one client key
 * pair and one API-server key pair for the whole fleet, and a handful of certificates per
 * subscription shared between its clusters. Every kubeconfig has its own token. No `expected`.
 */
export async function buildScaleFleet(options: {
  now: Date;
  subscriptions: number;
  clustersPerSubscription: number;
}): Promise<SimulatedFleet> {
  const { now, subscriptions: subscriptionCount, clustersPerSubscription } = options;
  if (!Number.isInteger(subscriptionCount) || subscriptionCount < 0) {
    throw new RangeError('buildScaleFleet: subscriptions must be a non-negative integer');
  }
  if (!Number.isInteger(clustersPerSubscription) || clustersPerSubscription < 0) {
    throw new RangeError('buildScaleFleet: clustersPerSubscription must be a non-negative integer');
  }
  const tenantId = stableGuid('scale-tenant');
  const secrets = new Set<string>();
  const [clientKey, serverKey] = await Promise.all([generateKey('ec'), generateKey('ec')]);
  secrets.add(clientKey.privateKeyPem.trimEnd());
  secrets.add(base64(clientKey.privateKeyPem));
  const clientKeyBase64 = base64(clientKey.privateKeyPem);
  const wildcards = SCALE_LOCATIONS.flatMap((l) => [`*.hcp.${l}.azmk8s.io`]);

  const subscriptionSets = await Promise.all(
    Array.from({ length: subscriptionCount }, async (_, s) => {
      const subscriptionId = stableGuid(`scale-subscription-${s}`);
      const caKey = await generateKey('ec');
      const day = (d: number) => new Date(now.getTime() - d * DAY_MS);
      const [oldCa, newCa] = await Promise.all([
        createCaCertificate({ key: caKey, subject: 'CN=ca', notBefore: day(400), notAfter: new Date(day(400).getTime() + CA_VALIDITY_DAYS * DAY_MS) }),
        createCaCertificate({ key: caKey, subject: 'CN=ca', notBefore: day(20), notAfter: new Date(day(20).getTime() + CA_VALIDITY_DAYS * DAY_MS) }),
      ]);
      const leaf = (issuer: CertificateAuthority, age: number, usage: 'client' | 'server') =>
        createLeafCertificate({
          key: usage === 'client' ? clientKey : serverKey,
          issuer,
          subject: usage === 'client' ? 'CN=masterclient, O=system:masters' : 'CN=apiserver',
          notBefore: day(age),
          notAfter: new Date(day(age).getTime() + LEAF_VALIDITY_DAYS * DAY_MS),
          usage,
          ...(usage === 'server' ? { dnsNames: [...wildcards, 'kubernetes', 'kubernetes.default'], ipAddresses: ['10.0.0.1'] } : {}),
        });
      // Variants: rotated recently (compliant), never rotated (exceeds), client auto-rotated (CA exceeds).
      const variants = await Promise.all(
        [
          { ca: newCa, age: 20 },
          { ca: oldCa, age: 400 },
          { ca: oldCa, age: 75 },
        ].map(async (v) => ({
          ca: v.ca,
          caBase64: base64(v.ca.pem),
          client: await leaf(v.ca, v.age, 'client'),
          server: await leaf(v.ca, v.age, 'server'),
        })),
      );
      return {
        subscription: {
          subscriptionId,
          displayName: `Contoso Scale ${String(s + 1).padStart(3, '0')}`,
          tenantId,
          state: 'Enabled' as const,
        },
        variants: variants.map((v) => ({ ...v, clientBase64: base64(v.client.pem) })),
      };
    }),
  );

  const clusters: SimulatedCluster[] = [];
  subscriptionSets.forEach(({ subscription, variants }, s) => {
    for (let c = 0; c < clustersPerSubscription; c++) {
      const team = SCALE_TEAMS[c % SCALE_TEAMS.length]!;
      const env = SCALE_ENVS[Math.floor(c / SCALE_TEAMS.length) % SCALE_ENVS.length]!;
      const location = SCALE_LOCATIONS[(c + s) % SCALE_LOCATIONS.length]!;
      const name = `aks-${team}-${env}-${String(c + 1).padStart(4, '0')}`;
      const resourceGroup = `rg-${team}-${env}`;
      const variant = variants[(c * 7 + s) % variants.length]!;
      const version = SCALE_VERSIONS[(c + s) % SCALE_VERSIONS.length]!;
      const shape: ClusterShape = {
        subscriptionId: subscription.subscriptionId,
        name,
        resourceGroup,
        location,
        lowercaseResourceGroups: c % 5 === 0,
        tags: tags(env === 'prod' ? 'production' : env === 'stg' ? 'staging' : 'sandbox', team, `${team}-team`),
        ...(c % 4 === 0 ? {} : { createdAt: new Date(now.getTime() - (400 + ((c * 37) % 500)) * DAY_MS) }),
        kubernetesVersion: version,
        currentKubernetesVersion: version,
        pools: [systemPool('Standard_D4ds_v5', 3), userPool('apps', 'Standard_D8ds_v5', 2 + (c % 6))],
        enableRBAC: true,
        powerState: 'Running',
        provisioningState: 'Succeeded',
        privateCluster: false,
        tier: env === 'prod' ? 'Standard' : 'Free',
      };
      const ep = endpoints(shape);
      const server = `https://${ep.serverHost}:443`;
      const credential = (kind: string): SimulatedCredential => {
        const token = randomToken();
        secrets.add(token);
        const userName = `${kind}_${resourceGroup}_${name}`;
        // The shape buildKubeconfig writes, assembled as text: this runs thousands of times.
        const text =
          'apiVersion: v1\nclusters:\n  - cluster:\n' +
          `      certificate-authority-data: ${variant.caBase64}\n      server: ${server}\n    name: ${name}\n` +
          `contexts:\n  - context:\n      cluster: ${name}\n      user: ${userName}\n    name: ${name}\n` +
          `current-context: ${name}\nkind: Config\npreferences: {}\nusers:\n  - name: ${userName}\n    user:\n` +
          `      client-certificate-data: ${variant.clientBase64}\n      client-key-data: ${clientKeyBase64}\n` +
          `      token: ${token}\n`;
        return { kubeconfig: text, name: kind };
      };
      clusters.push({
        subscriptionId: subscription.subscriptionId,
        resource: clusterResource(shape, tenantId),
        credentials: {
          monitoring: credential('clusterMonitoringUser'),
          user: credential('clusterUser'),
          admin: credential('clusterAdmin'),
        },
        apiServer: { certificatePem: variant.server.pem, privateKeyPem: serverKey.privateKeyPem },
      });
    }
  });

  return { subscriptions: subscriptionSets.map((s) => s.subscription), clusters, secrets: [...secrets] };
}
