import { makeAlertsHandler } from '../shared/handlers/api/alertsHandler.js';
import type { AuditApiDependencies } from '../shared/handlers/api/auditApiDependencies.js';
import { makeClusterHistoryHandler } from '../shared/handlers/api/clusterHistoryHandler.js';
import { makeClusterPageHandler } from '../shared/handlers/api/clusterPageHandler.js';
import { makeClustersHandler } from '../shared/handlers/api/clustersHandler.js';
import { makeDashboardHandler } from '../shared/handlers/api/dashboardHandler.js';
import { makeFindingsHandler } from '../shared/handlers/api/findingsHandler.js';
import { makeMetricsHandler } from '../shared/handlers/api/metricsHandler.js';
import { makeReportHandler } from '../shared/handlers/api/reportHandler.js';
import { makeRotationsHandler } from '../shared/handlers/api/rotationsHandler.js';
import { makeScansHandler } from '../shared/handlers/api/scansHandler.js';
import { makeVerifyHandler } from '../shared/handlers/api/verifyHandler.js';
import { functions } from '../shared/host/functionRegistry.js';
import { complianceStorage, openAuditTables } from '../shared/wiring/adapters.js';
import { openRotationRecords } from '../shared/wiring/rotation.js';
import { readAlertOutbox } from '../shared/wiring/alerting.js';
import { services } from '../shared/wiring/functionServices.js';

/** The auditors' API and dashboard: GET only, behind a function key, over read-only table clients. */
const deps: AuditApiDependencies = { tables: openAuditTables(services.config), rotations: openRotationRecords(complianceStorage(services.config)) };
const alerts = readAlertOutbox(services.config);
const get = (name: string, route: string, handler: ReturnType<typeof makeClustersHandler>) =>
  functions.http(name, { route, methods: ['GET'], authLevel: 'function', handler });

get('auditClusters', 'clusters', makeClustersHandler(deps));
get('auditClusterHistory', 'clusters/{id}/history', makeClusterHistoryHandler(deps));
get('auditFindings', 'findings', makeFindingsHandler(deps));
get('auditScans', 'scans', makeScansHandler(deps));
get('auditReport', 'report', makeReportHandler(deps));
get('auditVerify', 'verify', makeVerifyHandler(deps));
get('auditMetrics', 'metrics', makeMetricsHandler({ ...deps, alerts: { openAlerts: () => alerts.openCount() } }));
get('auditRotations', 'rotations', makeRotationsHandler(deps));
get('alerts', 'alerts', makeAlertsHandler({ alerts }));
get('dashboard', 'dashboard', makeDashboardHandler(deps));
get('dashboardCluster', 'dashboard/clusters/{id}', makeClusterPageHandler(deps));
