import type { Policy } from './policy.js';
import type { ClusterStatus, ClusterVerdict } from './verdict.js';

/** Something the scan could not do: a subscription it could not list, a cluster it could not read. */
export interface ScanError {
  scope: string;
  code: string;
  message: string;
}

export interface ScanSummary {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  policy: Policy;
  subscriptions: number;
  clusters: number;
  errors: ScanError[];
  /** Deletions a full scan recorded for clusters ARM no longer lists nor returns (absent on a rescan of named clusters). */
  deletionsRecorded?: number;
  /** How a full scan found its clusters: one Resource Graph query, or listing each subscription from ARM (absent on a rescan of named clusters). */
  discovery?: 'resource-graph' | 'arm';
}

/** `akscert scan --output json` (a contract: docs/architecture.md). */
export interface ScanReport {
  scan: ScanSummary;
  clusters: ClusterVerdict[];
}

export const STATUSES: readonly ClusterStatus[] = ['violation', 'warning', 'unknown', 'compliant'];

export function countByStatus(verdicts: readonly Pick<ClusterVerdict, 'status'>[]): Record<ClusterStatus, number> {
  const counts: Record<ClusterStatus, number> = { compliant: 0, warning: 0, violation: 0, unknown: 0 };
  for (const v of verdicts) counts[v.status]++;
  return counts;
}
