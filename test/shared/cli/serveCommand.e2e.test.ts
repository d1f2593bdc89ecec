import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { findFreePort, isPortFree } from '../../../dev/freePort.js';
import { CLI, runCli } from '../../support/cli.js';
import { waitFor } from '../../support/waitFor.js';

const started: RunningAzurite[] = [];
afterAll(async () => Promise.all(started.map((a) => a.stop())));

/** `akscert serve` until its stderr says `until`, then SIGTERM; its exit code and output. */
function serveUntil(until: RegExp, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return serveWhile(until, env, async () => undefined);
}

/** `akscert serve` until its stderr says `until`, then `use(stderr)` while it runs, then SIGTERM. */
function serveWhile(until: RegExp, env: NodeJS.ProcessEnv, use: (stderr: string) => Promise<void>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let using: Promise<void> | undefined;
    // A serve that never prints `until` is stopped, not left behind: the test then fails on its output.
    const deadline = setTimeout(() => child.kill('SIGTERM'), 25_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (using === undefined && until.test(stderr)) {
        using = use(stderr).finally(() => child.kill('SIGTERM'));
        using.catch(() => undefined);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(deadline);
      (using ?? Promise.resolve()).then(() => resolve({ code, stderr }), reject);
    });
  });
}

describe('akscert demo', () => {
  it('prints the dashboard with its key, and its simulator delivers to the webhook with the system key: a rotated cluster is re-judged', async () => {
    // The demo reuses an Azurite on the well-known ports; one in memory keeps the developer's .dev/azurite out of this.
    if (await isPortFree(10002)) started.push(await startAzurite({ blobPort: 10000, queuePort: 10001, tablePort: 10002 }));
    const port = await findFreePort();
    const child = spawn(process.execPath, [CLI, 'demo', '--port', String(port), '--latency', '0', '--output', 'json'], { env: process.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await waitFor('the demo to serve', async () => /Ctrl-C stops the demo/.test(stderr) || (child.exitCode !== null ? Promise.reject(new Error(stderr)) : false), 100_000);
      const dashboard = /Dashboard: +(http:\/\/127\.0\.0\.1:\d+\/api\/dashboard\?code=\S+)\n/.exec(stderr);
      expect(dashboard, stderr).not.toBeNull();
      expect((await fetch(dashboard![1]!)).status).toBe(200);
      // The demo's revocation of an AKS Arc cluster's client certificate, recorded before it is printed.
      expect(stderr).toMatch(/Revoking the client certificate of aks-arc-\S+ \(AKS enabled by Azure Arc\).*recorded as REVOCATION_ISSUED/);
      expect(stderr).toMatch(/^ {2}kind: RenewRevocation$/m);
      const token = /-H 'Authorization: Bearer ([^']+)'/.exec(stderr)![1]!;
      const rotate = /'(https:\/\/127\.0\.0\.1:\d+\/subscriptions\/[^']+\/rotateClusterCertificates\?api-version=[^']+)'/.exec(stderr)![1]!;
      const cluster = /(\/subscriptions\/.+)\/rotateClusterCertificates/.exec(new URL(rotate).pathname)![1]!;
      expect((await fetch(rotate, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBeLessThan(300);
      const rescanned = /scanCluster information: scan \S+ \(leading rescan after event [^)]+\): 1 cluster/;
      await waitFor('the rotated cluster re-judged from the event the simulator posted', async () => rescanned.test(stderr) && stderr.includes(`on ${cluster}: rescan`), 30_000);
    } finally {
      child.kill('SIGINT');
    }
    expect(await closed).toBe(0);
  }, 150_000);

  it('stops before starting or recording anything when its port is taken, naming --port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const { port } = blocker.address() as AddressInfo;
    try {
      const { code, stderr } = await runCli(['demo', '--port', String(port)]);
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`port ${port} is in use .*pass --port N for another port`));
      expect(stderr).not.toMatch(/Starting Azurite/);
    } finally {
      blocker.close();
    }
  });
});

describe('akscert serve', () => {
  it('exits 1 at once when storage is down, naming COMPLIANCE_STORAGE and what to start, instead of half-starting', async () => {
    const port = await findFreePort();
    const storage = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:${port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`;
    const { code, stderr } = await runCli(['serve', '--port', '0'], { COMPLIANCE_STORAGE: storage });
    expect(code).toBe(1);
    expect(stderr).toMatch(/nothing answers at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1, where COMPLIANCE_STORAGE points \(ECONNREFUSED\)\. Start Azurite/);
    expect(stderr).not.toContain('Eby8vdM02');
    expect(stderr).not.toMatch(/Local host on/);
  });

  it('runs on the default store (Azurite on its well-known ports) when COMPLIANCE_STORAGE is not set, and prints the dashboard', async () => {
    // Azurite on 10000-10002, unless one already runs there (then serve uses that one).
    if (await isPortFree(10002)) started.push(await startAzurite({ blobPort: 10000, queuePort: 10001, tablePort: 10002 }));
    const env = { ...process.env };
    delete env['COMPLIANCE_STORAGE'];
    const { code, stderr } = await serveUntil(/Run scheduledScan now/, env);
    expect(stderr).toMatch(/Local host on http:\/\/127\.0\.0\.1:\d+ \(/);
    expect(stderr).toMatch(/Dashboard: +http:\/\/127\.0\.0\.1:\d+\/api\/dashboard/);
    expect(code, stderr).toBe(0);
  });

  it('prints the dashboard URL with its function key, the webhook URL with its system key and the timer\'s curl with the master key, each of which opens its route; the keys survive a restart, LOCAL_HOST_MASTER_KEY sets the master', async () => {
    if (await isPortFree(10002)) started.push(await startAzurite({ blobPort: 10000, queuePort: 10001, tablePort: 10002 }));
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['COMPLIANCE_STORAGE'];
    delete env['LOCAL_HOST_MASTER_KEY'];
    const printed = (stderr: string) => {
      const dashboard = /Dashboard: +(http:\/\/127\.0\.0\.1:\d+\/api\/dashboard\?code=([A-Za-z0-9._~%-]+))\n/.exec(stderr);
      const webhook = /Event Grid webhook: +(http:\/\/127\.0\.0\.1:\d+\/runtime\/webhooks\/eventgrid\?functionName=clusterEvents&code=([A-Za-z0-9._~%-]+))\n/.exec(stderr);
      const timer = /Run scheduledScan now: +curl -X POST -H 'x-functions-key: ([^']+)' -H 'content-type: application\/json' -d '\{"input":""\}' (http:\/\/127\.0\.0\.1:\d+\/admin\/functions\/scheduledScan)\n/.exec(stderr);
      expect(dashboard, stderr).not.toBeNull();
      expect(webhook, stderr).not.toBeNull();
      expect(timer, stderr).not.toBeNull();
      return { dashboard: dashboard![1]!, functionKey: decodeURIComponent(dashboard![2]!), webhook: webhook![1]!, systemKey: decodeURIComponent(webhook![2]!), masterKey: timer![1]!, admin: timer![2]! };
    };
    let first: ReturnType<typeof printed> | undefined;
    const run = await serveWhile(/Keys: /, env, async (stderr) => {
      first = printed(stderr);
      const { dashboard, webhook, masterKey, admin } = first;
      expect((await fetch(dashboard)).status).toBe(200);
      expect((await fetch(dashboard.replace(/\?code=.*$/, ''))).status).toBe(401);
      const validation = await fetch(webhook, {
        method: 'POST', headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
        body: JSON.stringify([{ id: 'v', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', subject: '', eventTime: new Date().toISOString(), data: { validationCode: 'e2e' }, dataVersion: '2', metadataVersion: '1' }]),
      });
      expect(await validation.json()).toEqual({ validationResponse: 'e2e' });
      expect((await fetch(webhook.replace(/&code=.*$/, ''), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status).toBe(401);
      // The master key opens the admin route (405 for a GET: past the key check; running the timer would scan real subscriptions) and every other.
      expect((await fetch(admin, { headers: { 'x-functions-key': masterKey } })).status).toBe(405);
      expect((await fetch(admin, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"input":""}' })).status).toBe(401);
      expect((await fetch(dashboard.replace(/\?code=.*$/, ''), { headers: { 'x-functions-key': masterKey } })).status).toBe(200);
    });
    expect(run.code).toBe(0);
    // A key is on the lines that print it, and nowhere else.
    for (const key of [first!.functionKey, first!.systemKey, first!.masterKey]) {
      expect(run.stderr.split('\n').filter((line) => line.includes(key)).every((line) => /^ {2}(Dashboard|Event Grid webhook|Run (scheduledScan|pollRotations|deliverAlerts) now):/.test(line))).toBe(true);
    }

    const given = 'e2e-master-key-set-by-the-setting';
    const again = await serveUntil(/Keys: /, { ...env, LOCAL_HOST_MASTER_KEY: given });
    const second = printed(again.stderr);
    expect(second.functionKey).toBe(first!.functionKey);
    expect(second.systemKey).toBe(first!.systemKey);
    expect(second.masterKey).toBe(given);
    expect(again.code).toBe(0);
  }, 60_000);

  it('exits 2 naming LOCAL_HOST_MASTER_KEY when it is set but empty, before anything listens', async () => {
    const { code, stderr } = await runCli(['serve', '--port', '0'], { LOCAL_HOST_MASTER_KEY: '' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/LOCAL_HOST_MASTER_KEY: is empty/);
    expect(stderr).not.toMatch(/Local host on/);
  });
});
