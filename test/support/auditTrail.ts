import { randomUUID } from 'node:crypto';
import { odata } from '@azure/data-tables';
import type { Finding } from '../../shared/domain/findings.js';
import { DEFAULT_POLICY } from '../../shared/domain/policy.js';
import { DAY_MS } from '../../shared/domain/time.js';
import type { ClusterStatus, ClusterVerdict } from '../../shared/domain/verdict.js';
import type { ComplianceStore, ComplianceTables } from '../../shared/store/complianceStore.js';
import { clusterKey, subscriptionKey } from '../../shared/store/tableKeys.js';
import type { TableRow } from '../../shared/audit/tableRows.js';

/**
 * Writing audit trails for tests through the real store (ComplianceStore.recordVerdicts,
 * recordDeletion, recordScan), so the rows are exactly what scans and events write.
 */

export function clusterIdOf(subscriptionId: string, name: string, resourceGroup = 'rg-audit'): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
}

const FINDING_OF: Record<ClusterStatus, Finding | undefined> = {
  compliant: undefined,
  warning: { code: 'CERT_AGE_NEAR_POLICY', severity: 'warning', message: 'The client certificate is 70 days old; policy allows 90.' },
  violation: { code: 'CERT_AGE_EXCEEDS_POLICY', severity: 'violation', message: 'The client certificate is 120 days old; policy allows 90.' },
  unknown: { code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', message: 'Listing credentials was forbidden (HTTP 403).', source: 'kubeconfig', reason: 'forbidden' },
};

/** A verdict as a scan at `at` would reach it; the certificates are facts only (no key material). */
export function verdictFor(subscriptionId: string, name: string, status: ClusterStatus, at: Date, ageDays = 40): ClusterVerdict {
  const notBefore = new Date(at.getTime() - ageDays * DAY_MS);
  const finding = FINDING_OF[status];
  return {
    id: clusterIdOf(subscriptionId, name),
    subscriptionId, resourceGroup: 'rg-audit', name, location: 'westeurope', status,
    autoRotation: status === 'violation' ? { eligible: false, reasons: ['RBAC_DISABLED'] } : { eligible: true, reasons: [] },
    certificates: status === 'unknown' ? [] : [{
      source: 'client', subject: 'CN=masterclient, O=system:masters', issuer: 'CN=ca', serialNumber: name.length.toString(16).padStart(4, '0'),
      notBefore, notAfter: new Date(notBefore.getTime() + 730 * DAY_MS), sha256: 'ab'.repeat(32),
    }],
    findings: finding ? [finding] : [],
    action: status === 'violation' ? 'alert' : 'none',
  };
}

/** Records one scan at `at` the way runScan does: chained to the latest states, then a ScanRuns row. */
export async function recordScanAt(store: ComplianceStore, at: Date, verdicts: ClusterVerdict[]): Promise<string> {
  const scanId = randomUUID();
  await store.beginScan(scanId, at);
  for (const subscriptionId of new Set(verdicts.map((v) => v.subscriptionId))) {
    const previous = await store.latestStates(subscriptionId);
    await store.recordVerdicts(scanId, at, verdicts.filter((v) => v.subscriptionId === subscriptionId), previous);
  }
  await store.recordScan({ id: scanId, startedAt: at, finishedAt: new Date(at.getTime() + 1000), policy: DEFAULT_POLICY, subscriptions: 1, clusters: verdicts.length, errors: [] }, verdicts);
  return scanId;
}

/** Records a cluster's deletion as the event handler does. */
export async function recordDeletionAt(store: ComplianceStore, subscriptionId: string, name: string, at: Date): Promise<void> {
  const outcome = await store.recordDeletion({ cluster: { id: clusterIdOf(subscriptionId, name), subscriptionId }, eventId: randomUUID(), deletedAt: at });
  if (outcome !== 'recorded') throw new Error(`deletion of ${name} not recorded: ${outcome}`);
}

/** A cluster's history rows, oldest first. */
export async function historyRowsOf(tables: Pick<ComplianceTables, 'history'>, subscriptionId: string, name: string): Promise<TableRow[]> {
  const prefix = `${clusterKey(clusterIdOf(subscriptionId, name))}|`;
  const rows: TableRow[] = [];
  for await (const row of tables.history.listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${subscriptionKey(subscriptionId)}` },
  })) {
    if (row.rowKey!.startsWith(prefix)) rows.push(row);
  }
  return rows.sort((a, b) => a.rowKey!.localeCompare(b.rowKey!));
}

export const hoursAfter = (date: Date, hours: number) => new Date(date.getTime() + hours * 3_600_000);
