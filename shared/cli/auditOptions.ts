import { InvalidArgumentError } from 'commander';
import { auditTablesFromConfig } from '../auditComposition.js';
import { loadConfig, subscriptionIdSchema } from '../config.js';
import { AUDIT_DATE_HINT, parseAuditDate, type DayEdge } from '../domain/auditDate.js';
import { clusterIdFromRef } from '../domain/clusterId.js';
import type { AuditTables } from '../audit/auditTables.js';

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

export function clusterArgument(value: string): { clusterId: string; subscriptionId: string } {
  const cluster = clusterIdFromRef(value);
  if (!cluster) throw new InvalidArgumentError(`"${value}" is not an AKS cluster resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>).`);
  return cluster;
}

/** The compliance tables named by COMPLIANCE_STORAGE (default: the Azurite that `npm start` leaves running), read-only. */
export function auditTablesFromEnvironment(): AuditTables {
  return auditTablesFromConfig(loadConfig());
}
