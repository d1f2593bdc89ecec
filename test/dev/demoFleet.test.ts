/**
 * Invariants of the demo fleet itself: shape, coverage of docs/rules.md, real certificates and
 * kubeconfigs, secrets, speed; and an independent reading of docs/rules.md (a small oracle written
 * here, not the project's domain code) that must reach every cluster's `expected` verdict.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../dev/armSimulator/fleet.js';
import { buildDemoFleet, buildScaleFleet, DEMO_SUBSCRIPTIONS, EXACT_BOUNDARY_CLUSTERS, ROTATION_DEMO_CLUSTERS } from '../../dev/demoFleet/index.js';
import * as windows from '../../dev/demoFleet/maintenanceWindows.js';

const DAY = 86_400_000;
const RULES = readFileSync(join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf8');

/** Codes and reasons named in the first column of the tables of docs/rules.md. */
function rulesVocabulary(): { codes: Set<string>; reasons: Set<string> } {
  const [before, after] = RULES.split(/^## Auto-rotation eligibility.*$/m);
  // The eligibility section ends at the next heading; the sections after it (AKS enabled by Azure Arc) hold codes again.
  const [reasons, ...later] = (after ?? '').split(/^(?=## )/m);
  const firstColumn = (text: string) => new Set([...text.matchAll(/^\| `([A-Z][A-Z_]+)` \|/gm)].map((m) => m[1]!));
  return { codes: firstColumn(`${before ?? ''}${later.join('')}`), reasons: firstColumn(reasons ?? '') };
}

// --------------------------------------------------------------------------------------------
// Oracle: docs/rules.md under the default policy, reading only kubeconfig and custom CA certificates.

type Source = 'cluster-ca' | 'client' | 'apiserver' | 'custom-ca';
interface ReadCert {
  source: Source;
  cert: x509.X509Certificate;
}
interface Kubeconfig {
  clusters: { name: string; cluster: { 'certificate-authority-data'?: string; server: string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  'current-context': string;
  users: { name: string; user: Record<string, unknown> }[];
  apiVersion: string;
  kind: string;
}

const policy = { maxAgeDays: 90, warningDays: 30, criticalDays: 7 };

function kubeconfigOf(cluster: SimulatedCluster): string | undefined {
  const monitoring = cluster.credentials.monitoring;
  if (monitoring && 'kubeconfig' in monitoring) return monitoring.kubeconfig;
  const status = monitoring ? monitoring.error.status : 404;
  if (status === 403 || status === 400) {
    const user = cluster.credentials.user;
    if (user && 'kubeconfig' in user) return user.kubeconfig;
  }
  return undefined;
}

function pemFromData(data: unknown): x509.X509Certificate | undefined {
  if (typeof data !== 'string') return undefined;
  return new x509.X509Certificate(Buffer.from(data, 'base64').toString('utf8'));
}

function parseCustomCa(entry: string): x509.X509Certificate | undefined {
  const bytes = Buffer.from(entry, 'base64');
  if (bytes.toString('base64') !== entry) return undefined;
  const text = bytes.toString('latin1');
  try {
    if (text.includes('-----BEGIN')) return text.includes('\r') ? undefined : new x509.X509Certificate(text);
    return new x509.X509Certificate(bytes);
  } catch {
    return undefined;
  }
}

function versionAfterMarch2022(version: string): boolean {
  const [major, minor, patch] = version.split('.').map((p) => Number.parseInt(p, 10));
  if (major !== 1 || minor === undefined || Number.isNaN(minor)) return false;
  if (minor >= 24) return true;
  const p = patch ?? -1;
  return (minor === 23 && p >= 5) || (minor === 22 && p >= 8) || (minor === 21 && p >= 11);
}

function realDay(y: number, m: number, d: number): Date | undefined {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : undefined;
}

function nodeImageDate(version: string): Date | undefined {
  const last = version.split('-').pop() ?? '';
  let m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(last);
  if (m) return realDay(+m[1]!, +m[2]!, +m[3]!);
  m = /^(\d{4})(\d{2})\.(\d{2})\.\d+$/.exec(last);
  if (m) return realDay(+m[1]!, +m[2]!, +m[3]!);
  m = /^\d+\.\d+\.(\d{2})(\d{2})(\d{2})$/.exec(last);
  if (m && /windows/i.test(version)) return realDay(2000 + +m[1]!, +m[2]!, +m[3]!);
  return undefined;
}

interface Verdict {
  status: string;
  findingCodes: string[];
  autoRotationReasons: string[];
}

/** The verdict of a scan that reads the kubeconfig, probes the API server and reads the custom CA list. */
function judge(cluster: SimulatedCluster, now: Date): Verdict {
  const props = (cluster.resource['properties'] ?? {}) as Record<string, any>;
  const systemData = cluster.resource['systemData'] as { createdAt?: string } | undefined;
  const findings = new Map<string, 'info' | 'warning' | 'violation'>();
  const add = (code: string, severity: 'info' | 'warning' | 'violation') => findings.set(code, severity);

  const certs: ReadCert[] = [];
  const text = kubeconfigOf(cluster);
  if (text === undefined) {
    add('CERT_SOURCE_UNAVAILABLE', 'info');
  } else {
    const kc = parse(text) as Kubeconfig;
    const ca = pemFromData(kc.clusters[0]?.cluster['certificate-authority-data']);
    if (ca) certs.push({ source: 'cluster-ca', cert: ca });
    const client = pemFromData(kc.users[0]?.user['client-certificate-data']);
    if (client) certs.push({ source: 'client', cert: client });
    else add('CERT_SOURCE_UNAVAILABLE', 'info');
  }
  if (cluster.apiServer) certs.push({ source: 'apiserver', cert: new x509.X509Certificate(cluster.apiServer.certificatePem) });
  else add('CERT_SOURCE_UNAVAILABLE', 'info');
  const customEntries = (props['securityProfile']?.['customCATrustCertificates'] ?? []) as string[];
  for (const entry of customEntries) {
    const cert = parseCustomCa(entry);
    if (cert) certs.push({ source: 'custom-ca', cert });
    else add('CUSTOM_CA_INVALID', 'violation');
  }
  if (customEntries.length > 10) add('CUSTOM_CA_LIMIT_EXCEEDED', 'violation');

  const t = now.getTime();
  for (const { source, cert } of certs) {
    const nb = cert.notBefore.getTime();
    const na = cert.notAfter.getTime();
    if (t >= na) add('CERT_EXPIRED', 'violation');
    else if (na - t <= policy.criticalDays * DAY) add('CERT_EXPIRING_CRITICAL', 'violation');
    else if (na - t <= policy.warningDays * DAY) add('CERT_EXPIRING_SOON', 'warning');
    else if (t < nb) add('CERT_NOT_YET_VALID', 'warning');
    if (source !== 'custom-ca' && t >= nb) {
      const age = t - nb;
      if (age > policy.maxAgeDays * DAY) add('CERT_AGE_EXCEEDS_POLICY', 'violation');
      else if (age > (policy.maxAgeDays - policy.warningDays) * DAY) add('CERT_AGE_NEAR_POLICY', 'warning');
    }
  }

  const reasons = new Set<string>();
  if (props['enableRBAC'] === false) reasons.add('RBAC_DISABLED');
  const version = (props['currentKubernetesVersion'] ?? props['kubernetesVersion'] ?? '') as string;
  if (systemData?.createdAt && new Date(systemData.createdAt) < new Date('2022-03-01T00:00:00Z') && !versionAfterMarch2022(version)) {
    reasons.add('PREDATES_TLS_BOOTSTRAP');
  }
  const pools = (props['agentPoolProfiles'] ?? []) as Record<string, any>[];
  if (pools.some((p) => {
    const d = typeof p['nodeImageVersion'] === 'string' ? nodeImageDate(p['nodeImageVersion']) : undefined;
    return d !== undefined && d < new Date('2022-03-01T00:00:00Z');
  })) {
    reasons.add('NODE_IMAGE_PREDATES_TLS_BOOTSTRAP');
  }
  const stopped = props['powerState']?.['code'] === 'Stopped';
  if (stopped) reasons.add('CLUSTER_STOPPED');
  if (reasons.size > 0) add('AUTO_ROTATION_INELIGIBLE', 'warning');
  else if (
    certs.some(({ source, cert }) => {
      if (source !== 'client' && source !== 'apiserver') return false;
      const nb = cert.notBefore.getTime();
      return t - nb > 0.8 * (cert.notAfter.getTime() - nb);
    })
  ) {
    add('AUTO_ROTATION_OVERDUE', 'violation');
  }
  for (const { source, cert } of certs) {
    if (source === 'cluster-ca' && cert.notAfter.getTime() - cert.notBefore.getTime() <= 3 * 365.25 * DAY) {
      add('LEGACY_TWO_YEAR_CA', 'warning');
    }
  }
  if (stopped) add('CLUSTER_STOPPED', 'warning');
  if (props['provisioningState'] !== undefined && props['provisioningState'] !== 'Succeeded') add('CLUSTER_NOT_READY', 'warning');
  // Version support, read against the simulator's default region list (1.27-1.28 long-term support only, 1.29-1.31 both, 1.32 preview).
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const plan = (props['supportPlan'] ?? 'KubernetesOfficial') as string;
  const ltsMinors = [27, 28, 29, 30, 31];
  const supported = major === 1 && (plan === 'AKSLongTermSupport' ? ltsMinors : [29, 30, 31, 32]).includes(minor);
  if (!supported) {
    add('KUBERNETES_VERSION_UNSUPPORTED', 'warning');
    const renewedSoon = certs.some(({ source, cert }) => source !== 'custom-ca' && cert.notAfter.getTime() - t <= policy.warningDays * DAY);
    const noUpgradePath = cluster.upgrades?.length === 0 && !(plan !== 'AKSLongTermSupport' && ltsMinors.includes(minor));
    if (renewedSoon || noUpgradePath) add('UPGRADE_ROTATION_DEADLOCK_RISK', 'violation');
  }
  // Kubelet serving certificate rotation: below 1.27, a snapshot older than node image 202501.12.0, the opt-out tag before 2027-04-01.
  for (const p of pools) {
    const [poolMajor, poolMinor] = String(p['currentOrchestratorVersion'] ?? p['orchestratorVersion'] ?? version).split('.').map(Number) as [number, number];
    const image = typeof p['nodeImageVersion'] === 'string' ? nodeImageDate(p['nodeImageVersion']) : undefined;
    const oldSnapshot = /\/snapshots\//i.test(p['creationData']?.['sourceResourceId'] ?? '') && image !== undefined && image < new Date('2025-01-12T00:00:00Z');
    const optedOut = p['tags']?.['aks-disable-kubelet-serving-certificate-rotation'] === 'true' && t < Date.parse('2027-04-01T00:00:00Z');
    if ((poolMajor === 1 && poolMinor < 27) || oldSnapshot || optedOut) add('KUBELET_SERVING_ROTATION_DISABLED', 'warning');
  }
  const windows = pools.some((p) => p['osType'] === 'Windows');
  if ((customEntries.length > 0 && windows) || pools.some((p) => p['osType'] === 'Windows' && p['enableCustomCATrust'] === true)) {
    add('CUSTOM_CA_WINDOWS_POOL', 'warning');
  }

  const severities = [...findings.values()];
  const readAny = certs.some((c) => c.source !== 'custom-ca');
  const status = severities.includes('violation')
    ? 'violation'
    : severities.includes('warning')
      ? 'warning'
      : readAny
        ? 'compliant'
        : 'unknown';
  return { status, findingCodes: [...findings.keys()].sort(), autoRotationReasons: [...reasons].sort() };
}

// --------------------------------------------------------------------------------------------

function kubeconfigs(cluster: SimulatedCluster): string[] {
  return Object.values(cluster.credentials).flatMap((c) => (c && 'kubeconfig' in c ? [c.kubeconfig] : []));
}

describe('demo fleet', () => {
  const now = new Date('2026-11-23T09:30:00.000Z');
  let fleet: SimulatedFleet;

  // No timing assertion here (speed is the benchmarks' business): the build's time shows in the hook's duration.
  beforeAll(async () => {
    fleet = await buildDemoFleet({ now });
  }, 30_000);

  it('has at least 40 clusters in at least 3 subscriptions, with unique ids and names', () => {
    expect(fleet.clusters.length).toBeGreaterThanOrEqual(40);
    const withClusters = new Set(fleet.clusters.map((c) => c.subscriptionId));
    expect(withClusters.size).toBeGreaterThanOrEqual(3);
    for (const id of withClusters) expect(fleet.subscriptions.some((s) => s.subscriptionId === id)).toBe(true);
    const ids = fleet.clusters.map((c) => c.resource.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    const subscriptionIds = fleet.subscriptions.map((s) => s.subscriptionId);
    expect(new Set(subscriptionIds).size).toBe(subscriptionIds.length);
  });

  it('has a subscription whose listing is forbidden', () => {
    const forbidden = fleet.subscriptions.find((s) => s.listError);
    expect(forbidden?.subscriptionId).toBe(DEMO_SUBSCRIPTIONS.forbidden.subscriptionId);
    expect(forbidden?.listError).toMatchObject({ status: 403, code: 'AuthorizationFailed' });
  });

  it('serves clusters in the live wire shape', () => {
    let lowercase = 0;
    let withoutSystemData = 0;
    for (const cluster of fleet.clusters) {
      const r = cluster.resource;
      expect(r.id).toMatch(
        new RegExp(`^/subscriptions/${cluster.subscriptionId}/resource[gG]roups/[^/]+/providers/Microsoft\\.ContainerService/managedClusters/${r.name}$`),
      );
      if (r.id.includes('/resourcegroups/')) lowercase++;
      if (!('systemData' in r)) withoutSystemData++;
      expect(r['type']).toBe('Microsoft.ContainerService/ManagedClusters');
      const p = r['properties'] as Record<string, any>;
      expect(typeof p['enableRBAC']).toBe('boolean');
      expect(p['powerState']?.code).toMatch(/^(Running|Stopped)$/);
      expect(typeof p['provisioningState']).toBe('string');
      if (p['fqdn'] !== undefined) {
        expect(p['fqdn']).toBe(`${p['dnsPrefix']}-${p['fqdn'].split('.')[0].split('-').pop()}.hcp.${r['location']}.azmk8s.io`);
        expect(p['fqdn']).toMatch(/-[0-9a-f]{8}\.hcp\.[a-z0-9]+\.azmk8s\.io$/);
      } else {
        expect(p['privateFQDN']).toMatch(/\.privatelink\.[a-z0-9]+\.azmk8s\.io$/);
      }
      for (const pool of p['agentPoolProfiles'] as Record<string, any>[]) {
        expect(pool).toMatchObject({ type: 'VirtualMachineScaleSets' });
        for (const key of ['name', 'count', 'vmSize', 'mode', 'osType', 'osSKU', 'orchestratorVersion', 'currentOrchestratorVersion', 'nodeImageVersion', 'powerState', 'provisioningState']) {
          expect(pool[key], `${r.name}/${pool['name']}.${key}`).toBeDefined();
        }
        if (pool['osType'] === 'Windows') expect(pool['osSKU']).toMatch(/^Windows20(19|22)$/);
      }
    }
    expect(lowercase).toBeGreaterThan(0);
    expect(withoutSystemData).toBeGreaterThan(0);
  });

  it('names every finding code and eligibility reason of docs/rules.md in some expected verdict', () => {
    const { codes, reasons } = rulesVocabulary();
    expect(codes.size).toBeGreaterThanOrEqual(15);
    expect(reasons.has('PREDATES_TLS_BOOTSTRAP')).toBe(true);
    const seenCodes = new Set([...fleet.clusters, ...(fleet.connectedClusters ?? [])].flatMap((c) => c.expected?.findingCodes ?? []));
    const seenReasons = new Set(fleet.clusters.flatMap((c) => c.expected?.autoRotationReasons ?? []));
    const excluded = (code: string) => code === 'TLS_BOOTSTRAP_DISABLED' || code.startsWith('ROTATION_');
    expect([...codes].filter((c) => !excluded(c) && !seenCodes.has(c))).toEqual([]);
    expect([...reasons].filter((c) => !excluded(c) && !seenReasons.has(c))).toEqual([]);
    expect([...seenCodes].filter((c) => !codes.has(c))).toEqual([]);
    expect([...seenReasons].filter((c) => !reasons.has(c))).toEqual([]);
    const statuses = new Set(fleet.clusters.map((c) => c.expected?.status));
    expect(statuses).toEqual(new Set(['compliant', 'warning', 'violation', 'unknown']));
  });

  it('gives every cluster a sorted expected verdict with a purpose', () => {
    for (const cluster of fleet.clusters) {
      const e = cluster.expected!;
      expect(e, cluster.resource.name).toBeDefined();
      expect(e.findingCodes).toEqual([...new Set(e.findingCodes)].sort());
      expect(e.autoRotationReasons).toEqual([...new Set(e.autoRotationReasons)].sort());
      expect(e.purpose.length).toBeGreaterThan(20);
      expect(e.autoRotationReasons.length > 0).toBe(e.findingCodes.includes('AUTO_ROTATION_INELIGIBLE'));
    }
  });

  it('reaches every expected verdict with an independent reading of docs/rules.md', () => {
    const mismatches = fleet.clusters
      .map((c) => ({ name: c.resource.name, expected: { ...c.expected!, purpose: undefined }, actual: judge(c, now) }))
      .filter((m) => JSON.stringify({ ...m.expected, purpose: undefined }) !== JSON.stringify({ ...m.actual, purpose: undefined }));
    expect(mismatches).toEqual([]);
  });

  it('has kubeconfigs that parse as YAML, in the az aks get-credentials shape, with real certificates', async () => {
    let checked = 0;
    for (const cluster of fleet.clusters) {
      const p = cluster.resource['properties'] as Record<string, any>;
      const host = (p['fqdn'] ?? p['privateFQDN']) as string;
      for (const [kind, cred] of Object.entries(cluster.credentials)) {
        if (!cred || !('kubeconfig' in cred)) continue;
        const kc = parse(cred.kubeconfig) as Kubeconfig;
        expect(kc.apiVersion).toBe('v1');
        expect(kc.kind).toBe('Config');
        expect(kc['current-context']).toBe(cluster.resource.name);
        expect(kc.clusters[0]?.cluster.server).toBe(`https://${host}:443`);
        const prefix = { monitoring: 'clusterMonitoringUser', user: 'clusterUser', admin: 'clusterAdmin' }[kind];
        const rg = cluster.resource.id.split('/')[4];
        expect(kc.users[0]?.name).toBe(`${prefix}_${rg}_${cluster.resource.name}`);
        expect(kc.contexts[0]?.context.user).toBe(kc.users[0]?.name);
        const ca = pemFromData(kc.clusters[0]?.cluster['certificate-authority-data'])!;
        expect(ca.subject).toBe('CN=ca');
        expect(await ca.isSelfSigned()).toBe(true);
        const user = kc.users[0]!.user;
        if (p['disableLocalAccounts'] === true) {
          expect(user['client-certificate-data']).toBeUndefined();
          expect((user['exec'] as { command: string }).command).toBe('kubelogin');
        } else {
          const client = pemFromData(user['client-certificate-data'])!;
          expect(client.subject).toContain('CN=masterclient');
          expect(await client.verify({ publicKey: ca.publicKey, signatureOnly: true })).toBe(true);
          const keyPem = Buffer.from(user['client-key-data'] as string, 'base64').toString('utf8');
          expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
          expect(user['token']).toMatch(/^[0-9a-f]{64}$/);
        }
        checked++;
      }
      if (cluster.apiServer) {
        const server = new x509.X509Certificate(cluster.apiServer.certificatePem);
        expect(server.subject).toBe('CN=apiserver');
        const san = server.getExtension(x509.SubjectAlternativeNameExtension)!;
        expect(san.names.items.map((n) => n.value)).toContain(p['fqdn']);
        expect(cluster.apiServer.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      } else {
        expect(p['fqdn'] === undefined || cluster.expected?.status === 'unknown').toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('lists secrets that occur in some kubeconfig and nowhere in the ARM resources', () => {
    const corpus: string[] = [];
    for (const cluster of fleet.clusters) {
      for (const text of kubeconfigs(cluster)) {
        corpus.push(text);
        const kc = parse(text) as Kubeconfig;
        for (const user of kc.users) {
          for (const [key, value] of Object.entries(user.user)) {
            if (key.endsWith('-data') && typeof value === 'string') corpus.push(Buffer.from(value, 'base64').toString('utf8'));
          }
        }
      }
    }
    // AKS enabled by Azure Arc's user kubeconfigs hold secrets too.
    for (const connected of fleet.connectedClusters ?? []) {
      const credential = connected.userKubeconfig;
      if (credential && 'kubeconfig' in credential) {
        corpus.push(credential.kubeconfig);
        for (const user of (parse(credential.kubeconfig) as Kubeconfig).users) {
          for (const [key, value] of Object.entries(user.user)) {
            if (key.endsWith('-data') && typeof value === 'string') corpus.push(Buffer.from(value, 'base64').toString('utf8'));
          }
        }
      }
    }
    expect(fleet.secrets.length).toBeGreaterThan(100);
    const missing = fleet.secrets.filter((s) => !corpus.some((text) => text.includes(s)));
    expect(missing).toEqual([]);
    const resources = JSON.stringify([...fleet.clusters.map((c) => c.resource), ...(fleet.connectedClusters ?? []).flatMap((c) => [c.resource, c.instance])]);
    expect(fleet.secrets.filter((s) => resources.includes(s))).toEqual([]);
    // Every token and key in a kubeconfig is listed.
    for (const cluster of fleet.clusters) {
      for (const text of kubeconfigs(cluster)) {
        const user = (parse(text) as Kubeconfig).users[0]!.user;
        if (typeof user['token'] === 'string') expect(fleet.secrets).toContain(user['token']);
        if (typeof user['client-key-data'] === 'string') expect(fleet.secrets).toContain(user['client-key-data']);
      }
    }
  });

  it('keeps names and ids stable across runs, with fresh certificates', async () => {
    const again = await buildDemoFleet({ now });
    const key = (f: SimulatedFleet) =>
      f.clusters.map((c) => {
        const p = c.resource['properties'] as Record<string, unknown>;
        return [c.resource.id, p['fqdn'] ?? p['privateFQDN'], JSON.stringify(c.expected)].join(' ');
      });
    expect(key(again)).toEqual(key(fleet));
    expect(again.secrets.some((s) => fleet.secrets.includes(s))).toBe(false);
  }, 30_000);

  it('keeps every verdict but the exact-boundary ones for a scan an hour later', () => {
    const later = new Date(now.getTime() + 3_600_000);
    const changed = fleet.clusters
      .filter((c) => JSON.stringify(judge(c, later)) !== JSON.stringify(judge(c, now)))
      .map((c) => c.resource.name);
    expect(changed.sort()).toEqual([...EXACT_BOUNDARY_CLUSTERS].sort());
  });

  it('refuses a now before the fixed dates it is written for', async () => {
    await expect(buildDemoFleet({ now: new Date('2020-01-01T00:00:00Z') })).rejects.toThrow(RangeError);
  });

  it('puts boundary clusters on the boundary even when now has milliseconds', async () => {
    const odd = new Date('2026-03-17T12:34:56.789Z');
    const f = await buildDemoFleet({ now: odd });
    const mismatches = f.clusters
      .map((c) => ({ name: c.resource.name, expected: c.expected!, actual: judge(c, odd) }))
      .filter((m) => m.expected.status !== m.actual.status || m.expected.findingCodes.join() !== m.actual.findingCodes.join());
    expect(mismatches).toEqual([]);
  }, 30_000);
});

// --------------------------------------------------------------------------------------------
// Oracle: is a planned maintenance window (only the forms the demo writes) open at an instant?

const WEEK = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const PREFERENCE = ['aksManagedNodeOSUpgradeSchedule', 'aksManagedAutoUpgradeSchedule', 'default'];

function isOpen(configuration: { name: string; properties: Record<string, any> }, at: Date): boolean {
  const { timeInWeek, maintenanceWindow: w } = configuration.properties;
  if (timeInWeek) return (timeInWeek as { day: string; hourSlots: number[] }[]).some((slot) => slot.day === WEEK[at.getUTCDay()] && slot.hourSlots.includes(at.getUTCHours()));
  const [sign, hh, mm] = /^([+-])(\d\d):(\d\d)$/.exec(w.utcOffset)!.slice(1);
  const offset = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
  const localDay = (instant: number) => new Date(instant + offset).toISOString().slice(0, 10);
  const blocked = (day: string) => ((w.notAllowedDates ?? []) as { start: string; end: string }[]).some((span) => span.start <= day && day <= span.end);
  if (blocked(localDay(at.getTime()))) return false;
  // Occurrences that start on the two local days before today or today.
  for (let back = 0; back <= 2; back++) {
    const day = localDay(at.getTime() - back * DAY);
    const date = new Date(`${day}T00:00:00Z`);
    if (w.startDate && day < w.startDate) continue;
    const s = w.schedule;
    const matches = s.daily
      ? s.daily.intervalDays === 1
      : s.weekly
        ? s.weekly.intervalWeeks === 1 && s.weekly.dayOfWeek === WEEK[date.getUTCDay()]
        : s.absoluteMonthly.intervalMonths === 1 && s.absoluteMonthly.dayOfMonth === date.getUTCDate();
    if (!matches || blocked(day)) continue;
    const start = new Date(`${day}T${w.startTime}:00Z`).getTime() - offset;
    if (start <= at.getTime() && at.getTime() < start + w.durationHours * 3_600_000) return true;
  }
  return false;
}

describe('planned maintenance in the demo fleet', () => {
  const now = new Date('2026-11-23T09:30:00.000Z');
  let fleet: SimulatedFleet;
  beforeAll(async () => {
    fleet = await buildDemoFleet({ now });
  }, 30_000);
  const named = (name: string) => fleet.clusters.find((c) => c.resource.name === name)!;
  /** The configuration rotation reads: the first of AKS's names in order of preference. */
  const preferred = (name: string) => PREFERENCE.map((p) => named(name).maintenanceConfigurations?.find((c) => c.name === p)).find(Boolean)!;

  it('has due clusters with automatic rotation whose preferred window is open, and due ones whose window is closed', () => {
    for (const name of [...ROTATION_DEMO_CLUSTERS.dueInOpenWindow, ...ROTATION_DEMO_CLUSTERS.dueWindowClosed]) {
      const cluster = named(name);
      const p = cluster.resource['properties'] as Record<string, any>;
      expect(cluster.resource['tags']).toMatchObject({ 'aks-cert-compliance/rotation': 'auto' });
      expect([p['powerState'].code, p['provisioningState']]).toEqual(['Running', 'Succeeded']);
      expect(cluster.expected!.status).toBe('violation');
      expect(cluster.expected!.findingCodes.some((code) => ['CERT_AGE_EXCEEDS_POLICY', 'CERT_EXPIRING_CRITICAL'].includes(code))).toBe(true);
      expect(cluster.expected!.autoRotationReasons).toEqual([]);
    }
    for (const name of ROTATION_DEMO_CLUSTERS.dueInOpenWindow) expect(isOpen(preferred(name), now), name).toBe(true);
    for (const name of ROTATION_DEMO_CLUSTERS.dueWindowClosed) expect(isOpen(preferred(name), now), name).toBe(false);
    for (const name of ROTATION_DEMO_CLUSTERS.openWindowNotCurable) expect(isOpen(preferred(name), now), name).toBe(true);
    for (const name of ROTATION_DEMO_CLUSTERS.rotationOff) expect(named(name).resource['tags']).toMatchObject({ 'aks-cert-compliance/rotation': 'off' });
    expect(isOpen(preferred('aks-ml-sbx-eus2'), now)).toBe(true);
    expect(preferred('aks-dev-sbx-weu-01').name).toBe('default');
  });

  it('serves every configuration in the REST shape (dates as YYYY-MM-DD, offsets as +hh:mm)', () => {
    const all = fleet.clusters.flatMap((c) => c.maintenanceConfigurations ?? []);
    expect(all.length).toBeGreaterThanOrEqual(8);
    for (const { properties } of all) {
      const w = properties['maintenanceWindow'] as Record<string, any> | undefined;
      if (!w) continue;
      expect(w['utcOffset']).toMatch(/^[+-]\d{2}:\d{2}$/);
      expect(w['startTime']).toMatch(/^\d{2}:\d{2}$/);
      if (w['startDate'] !== undefined) expect(w['startDate']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const span of w['notAllowedDates'] ?? []) expect(span).toEqual({ start: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), end: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }
  });

  it('keeps open windows open and closed ones closed at any wall-clock time, across day and month ends in every offset', () => {
    const offsets = ['+05:30', '-08:00', '-05:00', '+01:00', '+00:00', '+14:00', '-12:00'];
    const open = [windows.openDaily, windows.openWeekly, windows.openMonthly];
    const closed = [windows.closedWeekly, windows.blackedOutDaily];
    const wrong: string[] = [];
    // Every 41 minutes over three days around a month's end (and a leap day), plus an exact midnight.
    const instants = [new Date('2028-03-01T00:00:00Z'), ...Array.from({ length: 106 }, (_, i) => new Date(Date.parse('2028-02-28T00:00:17Z') + i * 41 * 60_000))];
    for (const at of instants) {
      for (const offset of offsets) {
        for (const build of open) if (!isOpen(build('aksManagedNodeOSUpgradeSchedule', offset)(at), at)) wrong.push(`${build.name} ${offset} ${at.toISOString()} closed`);
        for (const build of closed) if (isOpen(build('aksManagedNodeOSUpgradeSchedule', offset)(at), at)) wrong.push(`${build.name} ${offset} ${at.toISOString()} open`);
      }
      if (isOpen(windows.closedLegacyDefault(at), at)) wrong.push(`legacy ${at.toISOString()} open`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('scale fleet', () => {
  it('builds 2 000 clusters quickly, with parsable kubeconfigs and unique ids', async () => {
    const now = new Date('2026-11-23T09:30:00Z');
    const started = performance.now();
    const fleet = await buildScaleFleet({ now, subscriptions: 20, clustersPerSubscription: 100 });
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(5_000);
    expect(fleet.subscriptions).toHaveLength(20);
    expect(fleet.clusters).toHaveLength(2_000);
    expect(new Set(fleet.clusters.map((c) => c.resource.id.toLowerCase())).size).toBe(2_000);
    for (const cluster of fleet.clusters.filter((_, i) => i % 97 === 0)) {
      const kc = parse(kubeconfigOf(cluster)!) as Kubeconfig;
      const p = cluster.resource['properties'] as Record<string, unknown>;
      expect(kc.clusters[0]?.cluster.server).toBe(`https://${p['fqdn']}:443`);
      expect(pemFromData(kc.clusters[0]?.cluster['certificate-authority-data'])?.subject).toBe('CN=ca');
      expect(pemFromData(kc.users[0]?.user['client-certificate-data'])?.subject).toContain('CN=masterclient');
      expect(fleet.secrets).toContain(kc.users[0]?.user['token']);
      expect(fleet.secrets).toContain(kc.users[0]?.user['client-key-data']);
      expect(['compliant', 'violation']).toContain(judge(cluster, now).status);
    }
  }, 30_000);

  it('handles an empty fleet', async () => {
    const fleet = await buildScaleFleet({ now: new Date(), subscriptions: 0, clustersPerSubscription: 10 });
    expect(fleet.clusters).toEqual([]);
  });
});
