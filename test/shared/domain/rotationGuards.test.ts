import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../shared/domain/certificate.js';
import type { ClusterFacts } from '../../../shared/domain/cluster.js';
import type { Finding, FindingCode } from '../../../shared/domain/findings.js';
import { parsePolicy } from '../../../shared/domain/policy.js';
import {
  decideRotation, isInFlight, isRotationCandidate, kubeconfigRefreshCommand, rotationReasons, rotationVerified, shouldRerun, unsupportedVersionOf, type GuardInput,
} from '../../../shared/domain/rotationGuards.js';
import { certificateFacts } from '../../support/certificates.js';

const now = new Date('2026-11-23T12:00:00Z');
const cluster: ClusterFacts = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c',
  subscriptionId: 's', resourceGroup: 'rg', name: 'c', location: 'westeurope', tags: {},
  enableRbac: true, powerState: 'Running', provisioningState: 'Succeeded', agentPools: [], customCaTrustCertificates: [],
};
const auto = parsePolicy({ rotation: { mode: 'auto', maxConcurrent: 3, maxConcurrentPerSubscription: 2, cooldownHours: 24 } });
const base: GuardInput = {
  cluster, policy: auto, trigger: 'policy', window: { open: true }, inFlight: { fleet: 0, subscription: 0 }, leaseHeld: false, now,
};
const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);

describe('decideRotation: every guard holds a candidate back with its reason word', () => {
  it('lets a running, provisioned cluster in an open window go when nothing else holds it', () => {
    expect(decideRotation(base)).toEqual({ go: true });
  });

  it.each<[string, Partial<GuardInput>, string]>([
    ['the policy is off', { policy: parsePolicy({ rotation: { mode: 'off' } }) }, 'mode_off'],
    ['the policy only alerts', { policy: parsePolicy({ rotation: { mode: 'alert-only' } }) }, 'alert_only'],
    ['the cluster is tagged off', { cluster: { ...cluster, tags: { 'Aks-Cert-Compliance/Rotation': ' OFF ' } } }, 'tag_off'],
    ['the cluster is stopped', { cluster: { ...cluster, powerState: 'Stopped' } }, 'not_running'],
    ['the cluster is stopped and failed', { cluster: { ...cluster, powerState: 'Stopped', provisioningState: 'Failed' } }, 'not_running'],
    ['the cluster failed', { cluster: { ...cluster, provisioningState: 'Failed' } }, 'not_ready'],
    ['the cluster is being deleted', { cluster: { ...cluster, provisioningState: 'Deleting' } }, 'not_ready'],
    ['another run holds the lease', { leaseHeld: true }, 'lease_held'],
    ['a rotation is in flight', { lastRotation: { state: 'running', attempt: 1, startedAt: hours(-30) } }, 'lease_held'],
    ['a rotation was requested', { lastRotation: { state: 'requested', attempt: 1, startedAt: hours(-30) } }, 'lease_held'],
    ['the rerun failed too', { lastRotation: { state: 'failed', attempt: 2, startedAt: hours(-30) } }, 'failed_twice'],
    ['the fleet runs maxConcurrent rotations', { inFlight: { fleet: 3, subscription: 0 } }, 'cap_fleet'],
    ['the subscription runs maxConcurrentPerSubscription', { inFlight: { fleet: 2, subscription: 2 } }, 'cap_subscription'],
  ])('holds it when %s', (_, change, reason) => {
    expect(decideRotation({ ...base, ...change })).toEqual({ go: false, reason });
  });

  it('the tag auto overrides a policy that only alerts, and the tag off a policy that rotates', () => {
    const alertOnly = parsePolicy({ rotation: { mode: 'alert-only' } });
    expect(decideRotation({ ...base, policy: alertOnly, cluster: { ...cluster, tags: { 'aks-cert-compliance/rotation': 'auto' } } })).toEqual({ go: true });
    expect(decideRotation({ ...base, cluster: { ...cluster, tags: { 'aks-cert-compliance/rotation': 'off' } } })).toEqual({ go: false, reason: 'tag_off' });
    expect(decideRotation({ ...base, policy: parsePolicy({ rotation: { mode: 'off' } }), cluster: { ...cluster, tags: { 'aks-cert-compliance/rotation': 'maybe' } } }))
      .toEqual({ go: false, reason: 'mode_off' });
  });

  it('holds during the cool-down after the last rotation started, until it ends', () => {
    const last = { state: 'succeeded' as const, attempt: 1, startedAt: hours(-23) };
    expect(decideRotation({ ...base, lastRotation: last })).toEqual({ go: false, reason: 'cooldown', notBefore: hours(1) });
    expect(decideRotation({ ...base, lastRotation: { ...last, startedAt: hours(-24) } })).toEqual({ go: true });
    expect(decideRotation({ ...base, lastRotation: { ...last, state: 'failed', attempt: 1, startedAt: hours(-25) } })).toEqual({ go: true });
  });

  it('holds outside the window, saying when it opens', () => {
    expect(decideRotation({ ...base, window: { open: false, notBefore: hours(5) } })).toEqual({ go: false, reason: 'outside_window', notBefore: hours(5) });
    expect(decideRotation({ ...base, window: { open: false } })).toEqual({ go: false, reason: 'outside_window' });
  });

  it('a manual rotation is the engineer decision: alert-only and failed_twice do not hold it, off and the rest do', () => {
    const manual = { ...base, trigger: 'manual' as const };
    expect(decideRotation({ ...manual, policy: parsePolicy({ rotation: { mode: 'alert-only' } }) })).toEqual({ go: true });
    expect(decideRotation({ ...manual, lastRotation: { state: 'failed', attempt: 2, startedAt: hours(-30) } })).toEqual({ go: true });
    expect(decideRotation({ ...manual, policy: parsePolicy({ rotation: { mode: 'off' } }) })).toEqual({ go: false, reason: 'mode_off' });
    expect(decideRotation({ ...manual, cluster: { ...cluster, powerState: 'Stopped' } })).toEqual({ go: false, reason: 'not_running' });
  });

  it('caps count rotations in flight: one below the cap still goes', () => {
    expect(decideRotation({ ...base, inFlight: { fleet: 2, subscription: 1 } })).toEqual({ go: true });
  });
});

describe('rotation candidates', () => {
  let client: CertificateFacts;
  let customCa: CertificateFacts;
  beforeAll(async () => {
    client = await certificateFacts('client', now, 100, 730);
    customCa = await certificateFacts('custom-ca', now, 400, 399);
  });
  const about = (code: FindingCode, certificate: CertificateFacts): Finding => ({ code, severity: 'violation', message: code, certificate: certificate.sha256 });

  it('are clusters with a finding rotation cures about a certificate rotate-certs renews, each code once', () => {
    const verdict = { certificates: [client, customCa], findings: [about('CERT_AGE_EXCEEDS_POLICY', client), about('CERT_EXPIRED', customCa), about('CERT_AGE_EXCEEDS_POLICY', client)] };
    expect(rotationReasons(verdict)).toEqual(['CERT_AGE_EXCEEDS_POLICY']);
    expect(isRotationCandidate(verdict)).toBe(true);
  });

  it('are never clusters whose only curable finding is about a custom CA trust certificate', () => {
    expect(isRotationCandidate({ certificates: [client, customCa], findings: [about('CERT_EXPIRED', customCa), about('CERT_EXPIRING_SOON', client)] })).toBe(false);
  });

  it('the rescan verifies a rotation when every renewed certificate was issued after it started', async () => {
    const fresh = await certificateFacts('client', now, 0, 730);
    const ca = await certificateFacts('cluster-ca', now, 0, 3650);
    expect(rotationVerified({ certificates: [fresh, ca, customCa] }, now)).toBe(true);
    expect(rotationVerified({ certificates: [fresh, client] }, now)).toBe(false);
    expect(rotationVerified({ certificates: [customCa] }, now)).toBe(false);
    expect(rotationVerified({ certificates: [{ ...fresh, notBefore: new Date(now.getTime() - 5 * 60_000) }] }, now)).toBe(true);
    expect(rotationVerified({ certificates: [{ ...fresh, notBefore: new Date(now.getTime() - 5 * 60_000 - 1) }] }, now)).toBe(false);
  });

  it('the rescan verifies a rotation by what it reads afresh, never by node certificates the node probe carried from before it', async () => {
    const fresh = await certificateFacts('client', now, 0, 730);
    const carriedKubelet = await certificateFacts('kubelet-client', now, 100, 365);
    expect(rotationVerified({ certificates: [fresh, carriedKubelet] }, now)).toBe(true);
    expect(rotationVerified({ certificates: [carriedKubelet] }, now)).toBe(false);
  });

  it('reruns a failed rotation once', () => {
    expect([shouldRerun(1), shouldRerun(2)]).toEqual([true, false]);
    expect(['requested', 'started', 'running', 'succeeded', 'failed', 'unverified'].map((s) => isInFlight(s as never))).toEqual([true, true, true, false, false, false]);
  });

  it('names the command that fetches the kubeconfig again', () => {
    expect(kubeconfigRefreshCommand(cluster)).toBe('az aks get-credentials -g rg -n c --overwrite-existing');
  });
});

describe('decideRotation: the order of the guards', () => {
  it('a cluster another run is rotating reads busy, and is held for that run, not as not ready', () => {
    expect(decideRotation({ ...base, leaseHeld: true, cluster: { ...cluster, provisioningState: 'RotatingClusterCertificates' } })).toEqual({ go: false, reason: 'lease_held' });
  });
});

describe('decideRotation: a rerun that failed', () => {
  it('is held as failed_twice even though it left the cluster failed', () => {
    expect(decideRotation({ ...base, cluster: { ...cluster, provisioningState: 'Failed' }, lastRotation: { state: 'failed', attempt: 2, startedAt: hours(-1) } }))
      .toEqual({ go: false, reason: 'failed_twice' });
  });
});

describe('the version_unsupported guard', () => {
  const onVersion = (version: string) => ({ ...cluster, kubernetesVersion: '1.30.0', currentKubernetesVersion: version });

  it('holds a cluster still on the version its verdict found unsupported, a manual rotation too, after the state guards', () => {
    expect(decideRotation({ ...base, cluster: onVersion('1.26.15'), unsupportedVersion: '1.26.15' })).toEqual({ go: false, reason: 'version_unsupported' });
    expect(decideRotation({ ...base, trigger: 'manual', cluster: onVersion('1.26.15'), unsupportedVersion: '1.26.15' })).toEqual({ go: false, reason: 'version_unsupported' });
    expect(decideRotation({ ...base, cluster: { ...onVersion('1.26.15'), powerState: 'Stopped' }, unsupportedVersion: '1.26.15' })).toEqual({ go: false, reason: 'not_running' });
    expect(decideRotation({ ...base, cluster: { ...cluster, kubernetesVersion: '1.26.15' }, unsupportedVersion: '1.26.15' })).toEqual({ go: false, reason: 'version_unsupported' });
  });

  it('lets a cluster go once ARM shows it upgraded since the scan, or when nothing was found unsupported', () => {
    expect(decideRotation({ ...base, cluster: onVersion('1.29.11'), unsupportedVersion: '1.26.15' })).toEqual({ go: true });
    expect(decideRotation({ ...base, cluster: onVersion('1.26.15') })).toEqual({ go: true });
  });

  it('reads the judged version from the verdict\'s KUBERNETES_VERSION_UNSUPPORTED finding', () => {
    expect(unsupportedVersionOf({ findings: [
      { code: 'KUBELET_SERVING_ROTATION_DISABLED', severity: 'warning', message: 'm' },
      { code: 'KUBERNETES_VERSION_UNSUPPORTED', severity: 'warning', message: 'm', kubernetesVersion: '1.26.15' },
    ] })).toBe('1.26.15');
    expect(unsupportedVersionOf({ findings: [] })).toBeUndefined();
  });
});
