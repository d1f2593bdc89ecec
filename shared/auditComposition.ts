import { complianceStorage } from './wiring/adapters.js';
import type { Config } from './config.js';
import { openAuditTables, type AuditTables } from './audit/auditTables.js';

/** The auditor's read-only view of COMPLIANCE_STORAGE, wired as compose.ts wires the scanner's read-write store. */
export function auditTablesFromConfig(config: Config): AuditTables {
  return openAuditTables(complianceStorage(config));
}
