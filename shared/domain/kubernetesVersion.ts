export interface KubernetesVersion {
  major: number;
  minor: number;
  patch: number;
}

/** `1.30.4`, `v1.30.4`, `1.29` (patch 0), `1.30.4-hotfix.20240101` (what follows the patch is ignored). */
export function parseKubernetesVersion(version: string | undefined): KubernetesVersion | undefined {
  if (version === undefined) return undefined;
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/**
 * The first patch of each minor released after March 2022 (Kubernetes 1.23.5, 1.22.8 and 1.21.11
 * shipped on 2022-03-16; 1.24 came later). A control plane on such a version was created or upgraded
 * after March 2022, which the AKS certificate-rotation article (docs/rules.md 001) names as the condition for certificate auto-rotation.
 */
const FIRST_PATCH_AFTER_MARCH_2022: Record<number, number> = { 21: 11, 22: 8, 23: 5 };

export function releasedAfterMarch2022(version: KubernetesVersion): boolean {
  if (version.major > 1) return true;
  if (version.major < 1) return false;
  if (version.minor >= 24) return true;
  return version.patch >= (FIRST_PATCH_AFTER_MARCH_2022[version.minor] ?? Infinity);
}
