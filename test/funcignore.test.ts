/**
 * What a publish of the repository root leaves out, read by git itself (`.funcignore` has
 * .gitignore syntax): run from an empty repository whose .gitignore is the project's .funcignore.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
const scratch = mkdtempSync(join(tmpdir(), 'funcignore-'));
execFileSync('git', ['init', '-q'], { cwd: scratch });
copyFileSync(join(root, '.funcignore'), join(scratch, '.gitignore'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The paths a publish would leave out. */
function leftOut(paths: string[]): string[] {
  try {
    return execFileSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: scratch, input: paths.join('\n'), encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (error) {
    if ((error as { status?: number }).status === 1) return []; // nothing ignored
    throw error;
  }
}

describe('.funcignore', () => {
  it('leaves out the tests, the simulator, the benchmarks, local state (the dev CA key) and source maps', () => {
    const paths = [
      'test/shared/domain/policy.test.ts', 'dev/demo.ts', 'dev/armSimulator/server.ts', 'bench/fullScan.ts', '.dev/tls/dev-ca.key',
      '.dev/azurite/__azurite_db_table__.json', 'dist/dev/demo.js', 'dist/test/x.js', 'dist/bench/fullScan.js',
      'dist/functions/scanCluster.js.map', 'dist/shared/cli/main.js.map', 'shared/config.ts', 'functions/scanCluster.ts', 'local.settings.json',
      'node_modules/azurite/package.json', 'node_modules/@sparticuz/chromium/package.json', 'node_modules/typescript/package.json',
    ];
    expect(leftOut(paths).sort()).toEqual([...paths].sort());
  });

  it('keeps what the Functions host runs: the compiled functions and product, host.json, package.json and the runtime packages', () => {
    const kept = [
      'host.json', 'package.json', 'package-lock.json', 'dist/functions/scanCluster.js', 'dist/shared/cli/main.js', 'dist/shared/domain/policy.js',
      'dist/shared/host/local/localHost.js', 'node_modules/@azure/functions/package.json', 'node_modules/@azure/data-tables/package.json',
    ];
    expect(leftOut(kept)).toEqual([]);
  });
});
