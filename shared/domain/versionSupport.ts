import { CLUSTER_ROTATED_SOURCES, type CertificateFacts } from './certificate.js';
import type { ClusterFacts } from './cluster.js';
import type { Finding } from './findings.js';
import { parseKubernetesVersion, type KubernetesVersion } from './kubernetesVersion.js';
import type { Policy } from './policy.js';
import { DAY_MS } from './time.js';

/**
 * Whether a cluster's Kubernetes version is still supported in its region, and the upgrade/rotation
 * deadlock that follows when it is not (docs/rules.md "Version support"): `az aks rotate-certs` fails
 * on an unsupported version, and AKS refuses the upgrade once the certificates have expired
 * (Azure/AKS#2184). Pure: the facts come from the upgrade profile and the region's version list.
 */

/** ARM's support plans (`supportPlan`, `capabilities.supportPlan[]`). */
export const KUBERNETES_OFFICIAL = 'KubernetesOfficial';
export const LONG_TERM_SUPPORT = 'AKSLongTermSupport';

/** One minor release a region offers (`listKubernetesVersions(location).values[]`). */
export interface RegionMinor {
  /** `major.minor`, as ARM writes it (`1.30`). */
  version: string;
  isPreview: boolean;
  /** `capabilities.supportPlan`: the plans the minor is supported under. */
  supportPlans: string[];
}

/** What the version-support source read of one cluster; each part absent when it could not be read. */
export interface VersionSupportEvidence {
  regionVersions?: RegionMinor[];
  /** `controlPlaneProfile.upgrades[]` of the cluster's upgrade profile. */
  controlPlaneUpgrades?: Array<{ kubernetesVersion: string; isPreview: boolean }>;
}

export type VersionSupport =
  | { known: false }
  | {
      known: true;
      supported: boolean;
      /** The control plane's version (`currentKubernetesVersion`, else `kubernetesVersion`). */
      version: string;
      plan: string;
      /** The region offers the cluster's minor under long-term support, and the cluster is not on it. */
      longTermSupportAvailable: boolean;
      /** The lowest non-preview upgrade of the profile that lands on a supported minor; undefined when none or unread. */
      upgradeTarget?: string;
      /** The profile was read and offers no way onto a supported version (nor long-term support). */
      noUpgradePath: boolean;
    };

const minorOf = (v: KubernetesVersion) => `${v.major}.${v.minor}`;

/** The plans a minor is supported under; a minor that names none is under the official plan. */
function plansOf(minor: RegionMinor): string[] {
  return minor.supportPlans.length > 0 ? minor.supportPlans : [KUBERNETES_OFFICIAL];
}

function compareVersions(a: KubernetesVersion, b: KubernetesVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The cluster's version against its region's list; unknown without the list or a readable version. */
export function judgeVersionSupport(cluster: Pick<ClusterFacts, 'currentKubernetesVersion' | 'kubernetesVersion' | 'supportPlan'>, evidence: VersionSupportEvidence | undefined): VersionSupport {
  const version = cluster.currentKubernetesVersion ?? cluster.kubernetesVersion;
  const parsed = parseKubernetesVersion(version);
  const region = evidence?.regionVersions;
  if (!parsed || !region) return { known: false };
  const plan = cluster.supportPlan ?? KUBERNETES_OFFICIAL;
  const supportedUnder = (v: KubernetesVersion, underPlan: string) =>
    region.some((m) => m.version === minorOf(v) && plansOf(m).includes(underPlan));
  const supported = supportedUnder(parsed, plan);
  const longTermSupportAvailable = plan !== LONG_TERM_SUPPORT && supportedUnder(parsed, LONG_TERM_SUPPORT);
  const upgrades = evidence.controlPlaneUpgrades;
  // Undefined when the profile was not read, as when it offers nothing that fits.
  const upgradeTarget = upgrades
    ?.filter((u) => !u.isPreview)
    .flatMap((u) => {
      const target = parseKubernetesVersion(u.kubernetesVersion);
      return target && compareVersions(target, parsed) > 0 && supportedUnder(target, plan) ? [{ text: u.kubernetesVersion, target }] : [];
    })
    .sort((a, b) => compareVersions(a.target, b.target))[0]?.text;
  return {
    known: true, supported, version: version!, plan, longTermSupportAvailable,
    ...(upgradeTarget ? { upgradeTarget } : {}),
    noUpgradePath: upgrades !== undefined && upgradeTarget === undefined && !longTermSupportAvailable,
  };
}

/** Why the deadlock is near (`cause` of UPGRADE_ROTATION_DEADLOCK_RISK, docs/rules.md). */
export type DeadlockCause = 'certificates_expired' | 'certificates_expiring' | 'no_upgrade_path';

/**
 * KUBERNETES_VERSION_UNSUPPORTED (warning) for an unsupported version; UPGRADE_ROTATION_DEADLOCK_RISK
 * (violation) beside it when a certificate rotate-certs renews expires within `warningDays` (or has
 * expired), or when no upgrade leads to a supported version. The message gives the way out, in order.
 */
export function versionSupportFindings(
  support: VersionSupport,
  certificates: readonly CertificateFacts[],
  policy: Pick<Policy, 'warningDays'>,
  now: Date,
): Finding[] {
  if (!support.known || support.supported) return [];
  const onPlan = support.plan === KUBERNETES_OFFICIAL ? '' : ` under the ${support.plan} plan`;
  const findings: Finding[] = [{
    code: 'KUBERNETES_VERSION_UNSUPPORTED', severity: 'warning', kubernetesVersion: support.version,
    message: `Kubernetes ${support.version} is no longer supported in the cluster's region${onPlan}: az aks rotate-certs fails on an unsupported version, so upgrade before the certificates need rotating.`,
  }];
  const renewed = certificates.filter((c) => CLUSTER_ROTATED_SOURCES.includes(c.source));
  const expired = renewed.some((c) => c.notAfter.getTime() <= now.getTime());
  const expiring = renewed.some((c) => c.notAfter.getTime() - now.getTime() <= policy.warningDays * DAY_MS);
  const cause: DeadlockCause | undefined = expired ? 'certificates_expired' : expiring ? 'certificates_expiring' : support.noUpgradePath ? 'no_upgrade_path' : undefined;
  if (cause) {
    findings.push({ code: 'UPGRADE_ROTATION_DEADLOCK_RISK', severity: 'violation', cause, kubernetesVersion: support.version, message: deadlockMessage(support, cause) });
  }
  return findings;
}

function deadlockMessage(support: Extract<VersionSupport, { known: true }>, cause: DeadlockCause): string {
  const why = {
    certificates_expired: 'a certificate az aks rotate-certs renews has expired, so AKS refuses the upgrade ("Current Certificates are expired, please rotate certificate") while the rotation fails on the unsupported version',
    certificates_expiring: 'a certificate az aks rotate-certs renews expires soon, and once it has, AKS refuses the upgrade while the rotation fails on the unsupported version',
    no_upgrade_path: 'the upgrade profile offers no upgrade to a supported version',
  }[cause];
  const ways: string[] = [];
  if (support.longTermSupportAvailable) ways.push(`move to long-term support (az aks update --tier premium --k8s-support-plan ${LONG_TERM_SUPPORT}), then az aks rotate-certs`);
  if (support.upgradeTarget && cause !== 'certificates_expired') ways.push(`az aks upgrade --kubernetes-version ${support.upgradeTarget} first, while the certificates are valid, then az aks rotate-certs`);
  if (ways.length === 0 || cause === 'certificates_expired') ways.push('open an Azure support request (Azure/AKS#2184)');
  return `Upgrade/rotation deadlock (Azure/AKS#2184) on Kubernetes ${support.version}: ${why}. Way out: ${ways.join('; or ')}.`;
}
