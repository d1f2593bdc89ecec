import { describe, expect, it } from 'vitest';
import { callKind, tallyCalls } from '../../bench/armCalls.js';

const cluster = '/subscriptions/00000000-0000-4000-8000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1';

describe('callKind', () => {
  it('names the calls a scan makes', () => {
    expect(callKind('GET', '/subscriptions')).toBe('list subscriptions');
    expect(callKind('GET', '/subscriptions/00000000-0000-4000-8000-000000000000')).toBe('get subscription');
    expect(callKind('GET', '/subscriptions/00000000-0000-4000-8000-000000000000/providers/Microsoft.ContainerService/managedClusters')).toBe('list clusters (page)');
    expect(callKind('GET', cluster)).toBe('get cluster');
    expect(callKind('POST', `${cluster}/listClusterMonitoringUserCredential`)).toBe('credentials: monitoringuser');
    expect(callKind('POST', `${cluster}/listClusterUserCredential`)).toBe('credentials: user');
    expect(callKind('POST', `${cluster}/rotateClusterCertificates`)).toBe('rotateclustercertificates');
    expect(callKind('GET', `${cluster}/maintenanceConfigurations`)).toBe('GET maintenanceconfigurations');
    expect(callKind('POST', '/providers/Microsoft.ResourceGraph/resources')).toBe('resource graph query');
  });

  it('tallies them, most frequent first', () => {
    expect(tallyCalls([{ method: 'GET', path: '/subscriptions' }, { method: 'GET', path: cluster }, { method: 'GET', path: cluster }])).toEqual({ 'get cluster': 2, 'list subscriptions': 1 });
    expect(Object.keys(tallyCalls([{ method: 'GET', path: '/subscriptions' }, { method: 'GET', path: cluster }, { method: 'GET', path: cluster }]))).toEqual(['get cluster', 'list subscriptions']);
  });
});
