import { describe, expect, it } from 'vitest';
import { unreadScopes } from '../../../shared/cli/scanCommand.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import type { ScanReport } from '../../../shared/domain/report.js';

const sub = '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34';
const reportWith = (errors: ScanReport['scan']['errors']): ScanReport => ({
  scan: { id: 's', startedAt: new Date(), finishedAt: new Date(), policy: DEFAULT_POLICY, subscriptions: 1, clusters: 0, errors },
  clusters: [],
});

describe('unreadScopes (what --fail-on refuses to pass)', () => {
  it('counts a subscription that could not be listed and the tenant\'s subscription list', () => {
    const errors = [
      { scope: `/subscriptions/${sub}`, code: 'AuthorizationFailed', message: 'm' },
      { scope: 'tenant', code: 'AuthenticationFailed', message: 'm' },
    ];
    expect(unreadScopes(reportWith(errors))).toEqual(errors);
  });

  it('does not count a cluster that could not be read: it is in the report, unknown', () => {
    const cluster = `/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`;
    expect(unreadScopes(reportWith([{ scope: cluster, code: 'InvalidClusterShape', message: 'm' }]))).toEqual([]);
  });
});
