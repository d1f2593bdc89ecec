import { armTarget } from './azure/cloud.js';
import { createArmCredential } from './azure/credential.js';
import type { Config } from './config.js';
import { openAuditTables, type AuditTables } from './store/auditTables.js';
import { storageTarget } from './store/storageTarget.js';

/**
 * The auditor's read-only view of COMPLIANCE_STORAGE (a connection string, or an account URL reached
 * with the managed identity), as compose.ts wires the scanner's read-write store.
 */
export function auditTablesFromConfig(config: Config): AuditTables {
  return openAuditTables(storageTarget(config.COMPLIANCE_STORAGE, () => createArmCredential(armTarget(config.AZURE_CLOUD, config.ARM_ENDPOINT))));
}
