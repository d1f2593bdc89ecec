import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Every domain module, imported by a test rather than when this file loads: a module that throws
 * while it loads (a default policy its own schema refuses, say) fails these tests, where a static
 * import would only make the test files that import it fail to load, with no test failing.
 */
const MODULES: Record<string, () => Promise<unknown>> = {
  alertDecision: () => import('../../../shared/domain/alertDecision.js'),
  arcRules: () => import('../../../shared/domain/arcRules.js'),
  auditDate: () => import('../../../shared/domain/auditDate.js'),
  carryEvidence: () => import('../../../shared/domain/carryEvidence.js'),
  certificate: () => import('../../../shared/domain/certificate.js'),
  certificateRules: () => import('../../../shared/domain/certificateRules.js'),
  cluster: () => import('../../../shared/domain/cluster.js'),
  clusterId: () => import('../../../shared/domain/clusterId.js'),
  customCaTrust: () => import('../../../shared/domain/customCaTrust.js'),
  errors: () => import('../../../shared/domain/errors.js'),
  eligibility: () => import('../../../shared/domain/eligibility.js'),
  evaluateCluster: () => import('../../../shared/domain/evaluateCluster.js'),
  findings: () => import('../../../shared/domain/findings.js'),
  fixCommand: () => import('../../../shared/domain/fixCommand.js'),
  kubernetesVersion: () => import('../../../shared/domain/kubernetesVersion.js'),
  kubeletServingRotation: () => import('../../../shared/domain/kubeletServingRotation.js'),
  lruMap: () => import('../../../shared/domain/lruMap.js'),
  maintenanceSchedule: () => import('../../../shared/domain/maintenanceSchedule.js'),
  maintenanceWindow: () => import('../../../shared/domain/maintenanceWindow.js'),
  nodeImageVersion: () => import('../../../shared/domain/nodeImageVersion.js'),
  nodeProbeOutput: () => import('../../../shared/domain/nodeProbeOutput.js'),
  planAction: () => import('../../../shared/domain/planAction.js'),
  policy: () => import('../../../shared/domain/policy.js'),
  report: () => import('../../../shared/domain/report.js'),
  revocationManifest: () => import('../../../shared/domain/revocationManifest.js'),
  rotationGuards: () => import('../../../shared/domain/rotationGuards.js'),
  time: () => import('../../../shared/domain/time.js'),
  timeSpans: () => import('../../../shared/domain/timeSpans.js'),
  verdict: () => import('../../../shared/domain/verdict.js'),
  versionSupport: () => import('../../../shared/domain/versionSupport.js'),
  verdictMetrics: () => import('../../../shared/domain/verdictMetrics.js'),
  windowOccurrences: () => import('../../../shared/domain/windowOccurrences.js'),
};

describe('the domain modules', () => {
  // The first load happens here, outside any test, as it does in the files that import the modules
  // statically: tests share loaded modules (vitest.mutation.config.ts runs without isolation), and
  // Stryker must see module-level code run at load time, not inside one test, to re-load it for
  // each mutant (a "static" mutant) instead of switching it on in a module that was already loaded.
  beforeAll(async () => {
    await Promise.allSettled(Object.values(MODULES).map((load) => load()));
  });

  it('are all listed here', () => {
    const files = readdirSync(join(__dirname, '../../../shared/domain')).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(MODULES).sort()).toEqual(files.sort());
  });

  it.each(Object.keys(MODULES))('%s loads without throwing', async (name) => {
    await expect(MODULES[name]!()).resolves.toBeTypeOf('object');
  });
});
