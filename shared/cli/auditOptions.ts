import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../config.js';
import { AUDIT_DATE_HINT, parseAuditDate, type DayEdge } from '../domain/auditDate.js';
import { CLUSTER_REF_HINT, parseClusterRef, subscriptionIdSchema, type ClusterId } from '../domain/clusterId.js';
import type { AuditTables } from '../audit/auditTables.js';
import { complianceStorage, openAuditTables } from '../wiring/adapters.js';

/** Option parsers shared by the auditor commands (report, history, verify); errors become exit 2 with one line. */
export function dateArgument(edge: DayEdge) {
  return (value: string): Date => {
    const date = parseAuditDate(value, edge);
    if (!date) throw new InvalidArgumentError(`"${value}" is not ${AUDIT_DATE_HINT}.`);
    return date;
  };
}

export function oneSubscriptionId(value: string): string {
  const parsed = subscriptionIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`"${value}" is not a subscription id (a GUID).`);
  return parsed.data;
}

export function clusterArgument(value: string): ClusterId {
  const cluster = parseClusterRef(value);
  if (!cluster) throw new InvalidArgumentError(`"${value}" does not name ${CLUSTER_REF_HINT}.`);
  return cluster;
}

/** The compliance tables named by COMPLIANCE_STORAGE (default: Azurite on its well-known ports), read-only; an unreachable store fails at once. */
export async function auditTablesFromEnvironment(): Promise<AuditTables> {
  const config = loadConfig();
  const storage = complianceStorage(config);
  await storage.checkReachable();
  return openAuditTables(config, storage);
}
