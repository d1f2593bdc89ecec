import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { findFreePort, isPortFree } from '../../../dev/freePort.js';
import { CLI, runCli } from '../../support/cli.js';

const started: RunningAzurite[] = [];
afterAll(async () => Promise.all(started.map((a) => a.stop())));

/** `akscert serve` until its stderr says `until`, then SIGTERM; its exit code and output. */
function serveUntil(until: RegExp, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (until.test(stderr)) child.kill('SIGTERM');
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

describe('akscert demo', () => {
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
    expect(code).toBe(0);
  });
});
