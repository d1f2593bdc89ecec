import type { AuditTables } from '../../audit/auditTables.js';
import type { RotationRecords } from '../../rotation/rotationRecord.js';

/** What the auditor API and the dashboard are built from: read-only tables and a clock. */
export interface AuditApiDependencies {
  tables: AuditTables;
  now?: () => Date;
  /** The HTTP route prefix links are built with; `/api` (the Functions default). */
  routePrefix?: string;
  /** The rotation records (read only): `GET /api/rotations` and the cluster page's rotations. */
  rotations?: Pick<RotationRecords, 'list'>;
}

export const nowOf = (deps: AuditApiDependencies) => (deps.now ?? (() => new Date()))();
