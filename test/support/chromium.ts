/**
 * The Chromium that browser tests drive, chosen once per test process:
 *   1. `CHROMIUM_PATH`, when set: it must name an executable, or the tests fail (no silent fallback);
 *   2. else Debian's `/usr/bin/chromium`, when installed;
 *   3. else the headless Chromium shipped, brotli-compressed, inside the devDependency
 *      `@sparticuz/chromium`, unpacked to the OS temp folder (`/tmp/chromium`) on first use.
 * So `npm ci && npm test` needs no browser from the system. The choice is logged once.
 */
import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Headless, no sandbox (the tests run as root in CI, where Chromium refuses to start sandboxed),
 * no GPU, and nothing that reaches for the network: the machine has none.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface TestChromium {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'system' | 'packaged';
  /** What the binary's `--version` prints, e.g. `Chromium 153.0.8010.0`. */
  version: string;
}

let chosen: Promise<TestChromium> | undefined;

/** The browser for this test process; the first call logs which one it is. */
export function testChromium(): Promise<TestChromium> {
  chosen ??= choose().then(({ chromium, note }) => {
    console.info(`[browser tests] ${chromium.version} from ${chromium.source}: ${chromium.executablePath}${note}`);
    return chromium;
  });
  return chosen;
}

async function choose(): Promise<{ chromium: TestChromium; note: string }> {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    try {
      await access(fromEnv, constants.X_OK);
      if (!(await stat(fromEnv)).isFile()) throw new Error('not a file');
    } catch {
      throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file; unset it to use ${SYSTEM_CHROMIUM} or the packaged Chromium`);
    }
    return { chromium: { executablePath: fromEnv, source: 'CHROMIUM_PATH', version: await versionOf(fromEnv) }, note: '' };
  }
  if (existsSync(SYSTEM_CHROMIUM)) {
    return { chromium: { executablePath: SYSTEM_CHROMIUM, source: 'system', version: await versionOf(SYSTEM_CHROMIUM) }, note: '' };
  }
  return packaged();
}

/**
 * The package's `executablePath()` unpacks only when `/tmp/chromium` is missing and otherwise trusts
 * whatever is there. A binary left by another version of the package, or cut short by an interrupted
 * unpack, is therefore checked with `--version` and, if it is not this version's, unpacked anew once.
 */
async function packaged(): Promise<{ chromium: TestChromium; note: string }> {
  const { default: sparticuz } = await import('@sparticuz/chromium');
  const packageVersion = await sparticuzVersion();
  const major = packageVersion.split('.')[0];
  let problem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const unpacking = !existsSync(join(tmpdir(), 'chromium'));
    const started = performance.now();
    const executablePath = await sparticuz.executablePath();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const version = await versionOf(executablePath).catch((error: Error) => {
      problem = error.message;
      return '';
    });
    if (version.startsWith(`Chromium ${major}.`)) {
      const note = ` (@sparticuz/chromium ${packageVersion}${unpacking ? `, unpacked in ${seconds} s` : ''})`;
      return { chromium: { executablePath, source: 'packaged', version }, note };
    }
    if (version) problem = `it is ${version}, not Chromium ${major}`;
    await rm(executablePath, { force: true });
  }
  throw new Error(
    `the Chromium of @sparticuz/chromium ${packageVersion}, unpacked to ${join(tmpdir(), 'chromium')}, does not run: ${problem}. ` +
      `Missing shared libraries show with: ldd ${join(tmpdir(), 'chromium')} | grep 'not found'`,
  );
}

async function sparticuzVersion(): Promise<string> {
  // The package exports only its entry point (build/index.js); its package.json is one folder up.
  const manifest = join(dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

async function versionOf(executable: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(executable, ['--version'], { timeout: 30_000 });
    return stdout.trim();
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${executable} --version failed: ${stderr?.trim() || message}`);
  }
}
