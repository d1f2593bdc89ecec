import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * NODE_EXTRA_CA_CERTS names one file. When the developer already set it (a corporate proxy CA, say),
 * trust both: write a bundle of theirs plus the dev CA instead of silently dropping theirs.
 */
export async function extraCaFile(devCaPath: string, devCaPem: string, existing = process.env['NODE_EXTRA_CA_CERTS']): Promise<string> {
  if (!existing || existing === devCaPath) return devCaPath;
  const theirs = await readFile(existing, 'utf8').catch(() => '');
  if (!theirs) return devCaPath;
  if (theirs.includes(devCaPem.trim())) return existing;
  const bundlePath = join(dirname(devCaPath), 'extra-ca-bundle.pem');
  await writeFile(bundlePath, `${theirs.trimEnd()}\n${devCaPem}`);
  return bundlePath;
}

/** Whether this process was started trusting the dev CA (Node reads NODE_EXTRA_CA_CERTS only at start). */
export async function trustsDevCa(devCaPem: string): Promise<boolean> {
  const current = process.env['NODE_EXTRA_CA_CERTS'];
  if (!current) return false;
  const text = await readFile(current, 'utf8').catch(() => '');
  return text.includes(devCaPem.trim());
}

/**
 * Runs this same command again in a child process that trusts the dev CA, forwarding signals and the
 * exit code: the SDKs then verify the simulator's certificate the ordinary way.
 */
export function rerunTrusting(caFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
  });
}
