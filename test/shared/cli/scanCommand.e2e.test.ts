import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import { startAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { runCli } from '../../support/cli.js';
import { simulatorFor, TEST_TOKEN } from '../../support/environment.js';

let fleet: SimulatedFleet;
let simulator: ArmSimulator;
let env: Record<string, string>;
let readable: string[];

beforeAll(async () => {
  fleet = await buildDemoFleet({ now: new Date() });
  simulator = await simulatorFor(fleet);
  env = { AZURE_STATIC_TOKEN: TEST_TOKEN, APISERVER_CONNECT_TO: `127.0.0.1:${simulator.apiServer.port}` };
  readable = fleet.subscriptions.filter((s) => !s.listError).map((s) => s.subscriptionId);
});

afterAll(async () => simulator?.close());

/** The demo's AKS enabled by Azure Arc clusters in those subscriptions (its other connected clusters are not scanned). */
const arcClustersIn = (subscriptions: string[]) => (fleet.connectedClusters ?? []).filter((c) => c.expected && subscriptions.includes(c.subscriptionId)).length;
const scanArgs = () => ['scan', '--arm-endpoint', simulator.url, ...readable.flatMap((id) => ['--subscription', id]), '--no-store'];

describe('akscert scan', () => {
  it('prints the JSON report of the contract for the subscriptions given', async () => {
    const { code, stdout, stderr } = await runCli([...scanArgs(), '--output', 'json'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.scan).sort()).toEqual(['clusters', 'deletionsRecorded', 'discovery', 'errors', 'finishedAt', 'id', 'policy', 'startedAt', 'subscriptions']);
    expect(report.scan).toMatchObject({ subscriptions: readable.length, errors: [], deletionsRecorded: 0, discovery: 'resource-graph', policy: { maxAgeDays: 90, warningDays: 30, criticalDays: 7 } });
    const expectedCount = fleet.clusters.filter((c) => readable.includes(c.subscriptionId)).length + arcClustersIn(readable);
    expect(report.clusters).toHaveLength(expectedCount);
    const cluster = report.clusters.find((c: { certificates: unknown[] }) => c.certificates.length > 0);
    expect(Object.keys(cluster).sort()).toEqual(['action', 'autoRotation', 'certificates', 'evidence', 'findings', 'id', 'lastSeenAt', 'location', 'name', 'platform', 'remediation', 'resourceGroup', 'status', 'subscriptionId']);
    expect(cluster.certificates[0]).toEqual({
      source: expect.stringMatching(/^(cluster-ca|client|apiserver|custom-ca)$/), subject: expect.any(String), issuer: expect.any(String),
      serialNumber: expect.stringMatching(/^[0-9a-f]+$/), notBefore: expect.stringMatching(/Z$/), notAfter: expect.stringMatching(/Z$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    for (const verdict of report.clusters) {
      expect(['compliant', 'warning', 'violation', 'unknown']).toContain(verdict.status);
      expect(['none', 'rotate', 'alert']).toContain(verdict.action);
    }
    for (const secret of fleet.secrets) expect(stdout.includes(secret)).toBe(false);
  });

  it('does not probe API servers of an ARM endpoint other than Azure\'s unless APISERVER_CONNECT_TO says where they are', async () => {
    const { code, stdout } = await runCli([...scanArgs(), '--output', 'json'], { AZURE_STATIC_TOKEN: TEST_TOKEN });
    expect(code).toBe(0);
    const clusters = JSON.parse(stdout).clusters as Array<{ certificates: { source: string }[]; findings: { source?: string }[] }>;
    expect(clusters.flatMap((c) => c.certificates).some((c) => c.source === 'apiserver')).toBe(false);
    expect(clusters.flatMap((c) => c.findings).some((f) => f.source === 'apiserver')).toBe(false);
  });

  it('writes a CSV with a header row and one row per cluster', async () => {
    const { code, stdout } = await runCli([...scanArgs(), '--output', 'csv'], env);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^id,subscriptionId,resourceGroup,name,location,status,action,worstFinding/);
    expect(lines).toHaveLength(1 + fleet.clusters.filter((c) => readable.includes(c.subscriptionId)).length + arcClustersIn(readable));
  });

  it('exits 3 with --fail-on violation when a cluster violates the policy, and follows --policy', async () => {
    expect((await runCli([...scanArgs(), '--fail-on', 'violation', '--output', 'json'], env)).code).toBe(3);
    const dir = await mkdtemp(join(tmpdir(), 'akscert-'));
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ maxAgeDays: 3650, warningDays: 30 }));
    const { stdout } = await runCli([...scanArgs(), '--policy', join(dir, 'policy.json'), '--output', 'json'], env);
    const report = JSON.parse(stdout);
    expect(report.scan.policy.maxAgeDays).toBe(3650);
    expect(report.clusters.some((c: { findings: { code: string }[] }) => c.findings.some((f) => f.code === 'CERT_AGE_EXCEEDS_POLICY'))).toBe(false);
  });

  it.each([
    [['scan', '--subscription', 'not-a-guid'], /"not-a-guid" is not a subscription id/],
    [['scan', '--output', 'xml'], /xml/],
    [['scan', '--arm-endpoint', 'http://127.0.0.1:1'], /not an https:\/\/ URL/],
    [['scan', '--cloud', 'Mars'], /Mars/],
    [['frobnicate'], /unknown command/],
    [['demo', '--latency', '-5'], /"-5" is not a whole number of milliseconds/],
    [['demo', '--port', '99999'], /"99999" is not a TCP port/],
  ])('refuses bad input %j with a one-line message and exit 2', async (args, message) => {
    const { code, stderr, stdout } = await runCli(args, env);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('names the bad key of a policy file and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'akscert-'));
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ maxAgeDay: 90 }));
    const { code, stderr } = await runCli([...scanArgs(), '--policy', join(dir, 'policy.json')], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown key "maxAgeDay"/);
  });

  it('names the clusters that trip --fail-on, worst first', async () => {
    const { code, stdout, stderr } = await runCli([...scanArgs(), '--fail-on', 'warning', '--output', 'json'], env);
    expect(code).toBe(3);
    const clusters = JSON.parse(stdout).clusters as { name: string; status: string }[];
    const tripping = clusters.filter((c) => c.status !== 'compliant');
    const firstViolating = clusters.filter((c) => c.status === 'violation').map((c) => c.name).sort()[0];
    expect(stderr).toMatch(new RegExp(`--fail-on warning: ${tripping.length} clusters at or above warning: ${firstViolating} \\(violation\\), `));
    expect(stderr).toMatch(new RegExp(`and ${tripping.length - 10} more\\n$`));
  });

  describe('--fail-on when a subscription could not be read', () => {
    const forbidden = () => fleet.subscriptions.find((s) => s.listError)!.subscriptionId;
    const nonexistent = '00000000-1111-4222-8333-444444444444';
    const scanOf = (...subscriptions: string[]) => ['scan', '--arm-endpoint', simulator.url, ...subscriptions.flatMap((id) => ['--subscription', id]), '--no-store', '--output', 'json'];

    it.each([['warning'], ['violation']])('exits 3 with --fail-on %s when the only subscription is forbidden, naming it', async (threshold) => {
      const { code, stdout, stderr } = await runCli([...scanOf(forbidden()), '--fail-on', threshold], env);
      expect(JSON.parse(stdout).clusters).toEqual([]);
      expect(code).toBe(3);
      expect(stderr).toMatch(new RegExp(`--fail-on ${threshold}: 1 subscription could not be read, so nothing proves it passes: ${forbidden()} \\(AuthorizationFailed\\)`));
    });

    it('exits 3 for a subscription that does not exist, and names it', async () => {
      const { code, stderr } = await runCli([...scanOf(nonexistent), '--fail-on', 'violation'], env);
      expect(code).toBe(3);
      expect(stderr).toMatch(new RegExp(`1 subscription could not be read.*${nonexistent} \\(SubscriptionNotFound\\)`));
    });

    it('names the unreadable subscription beside the clusters that trip the gate', async () => {
      const { code, stderr } = await runCli([...scanOf(...readable, forbidden()), '--fail-on', 'violation'], env);
      expect(code).toBe(3);
      expect(stderr).toMatch(/--fail-on violation: \d+ clusters at or above violation: /);
      expect(stderr).toContain(`subscription could not be read, so nothing proves it passes: ${forbidden()}`);
    });

    it('still exits 0 without --fail-on: the report carries the error', async () => {
      const { code, stdout, stderr } = await runCli(scanOf(forbidden()), env);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(JSON.parse(stdout).scan.errors).toEqual([expect.objectContaining({ scope: `/subscriptions/${forbidden()}`, code: 'AuthorizationFailed' })]);
    });
  });

  it('says where it recorded the scan', async () => {
    const azurite = await startAzurite();
    try {
      const { code, stdout, stderr } = await runCli(scanArgs().filter((a) => a !== '--no-store'), { ...env, COMPLIANCE_STORAGE: azurite.connectionString });
      expect(code).toBe(0);
      expect(stderr).toContain(`akscert: recorded scan ${JSON.parse(stdout).scan.id} in ${azurite.tableUrl}`);
      expect(stderr).not.toContain('AccountKey');
    } finally {
      await azurite.stop();
    }
  });

  it('carries the evidence of unchanged clusters on a second recorded scan, and reads every cluster with --full', async () => {
    const azurite = await startAzurite();
    try {
      const recorded = ['scan', '--arm-endpoint', simulator.url, '--subscription', readable[0]!];
      const scan = async (...extra: string[]) => {
        const before = simulator.requests.length;
        const { code, stdout } = await runCli([...recorded, ...extra, '--output', 'json'], { ...env, COMPLIANCE_STORAGE: azurite.connectionString });
        expect(code).toBe(0);
        const posts = simulator.requests.slice(before).filter((r) => r.method === 'POST' && /\/listCluster\w*Credential$/i.test(r.path)).length;
        const clusters = (JSON.parse(stdout) as { clusters: Array<{ evidence?: { readAt: string; carried: boolean } }> }).clusters;
        return { posts, carried: clusters.filter((c) => c.evidence?.carried).length, clusters: clusters.length };
      };
      const cold = await scan();
      expect(cold.carried).toBe(0);
      expect(await scan('--full')).toEqual(cold);
      const warm = await scan();
      expect(warm.carried).toBeGreaterThan(0);
      expect(warm.posts).toBeLessThan(cold.posts);
    } finally {
      await azurite.stop();
    }
  });

  it('prints its version, on every command', async () => {
    const { version } = JSON.parse(await readFile(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    for (const args of [['--version'], ['scan', '--version'], ['verify', '--version']]) {
      const { code, stdout } = await runCli(args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout.trim()).toBe(version);
    }
  });

  it.each([
    [{ SCAN_SCHEDULE: 'garbage' }, /SCAN_SCHEDULE: is not an NCRONTAB schedule \(six fields, seconds first/],
    [{ SCAN_SCHEDULE: '0 */5 * * *' }, /SCAN_SCHEDULE: .*it has 5 fields/],
    [{ COMPLIANCE_STORAGE: 'AccountName=acct;AccountKey=s3cr3t!!notbase64' }, /COMPLIANCE_STORAGE: has an AccountKey that is not base64/],
    [{ COMPLIANCE_STORAGE: 'AccountName=acct' }, /COMPLIANCE_STORAGE: is a connection string without AccountKey or SharedAccessSignature/],
    [{ COMPLIANCE_STORAGE: 'https://example.com/tables' }, /COMPLIANCE_STORAGE: is a URL but not a storage account URL/],
    [{ AZURE_STATIC_TOKEN: '' }, /AZURE_STATIC_TOKEN: is set but empty/],
  ])('names the bad setting %j and exits 2, never echoing a key', async (settings, message) => {
    const { code, stderr } = await runCli(scanArgs(), { ...env, ...settings });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('s3cr3t');
  });

  it('names a bad setting and exits 2', async () => {
    const { code, stderr } = await runCli(scanArgs(), { ...env, AZURE_SUBSCRIPTION_IDS: 'abc', SCAN_CONCURRENCY: 'lots' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/AZURE_SUBSCRIPTION_IDS/);
    expect(stderr).toMatch(/SCAN_CONCURRENCY/);
  });
});
