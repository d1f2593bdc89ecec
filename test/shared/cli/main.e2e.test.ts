/**
 * The shipped `akscert` loads the simulator, the Azurite launcher and the demo fleet (dev/) only
 * when the demo runs: checked on the built CLI by listing every module Node loaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../../support/cli.js';

const root = join(__dirname, '..', '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'akscert-modules-'));
const preload = join(scratch, 'recordModules.js');
writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_FILE, JSON.stringify(Object.keys(require.cache))));`);

function modulesLoadedBy(args: string[]): string[] {
  const file = join(scratch, `${args.join('-')}.json`);
  try {
    execFileSync(process.execPath, ['-r', preload, CLI, ...args], { env: { ...process.env, MODULES_FILE: file }, stdio: 'ignore' });
  } catch {
    // exit codes do not matter here, only what was loaded
  }
  return (JSON.parse(readFileSync(file, 'utf8')) as string[]).map((path) => relative(root, path));
}

describe('the akscert command', () => {
  it.each([[['verify', '--help']], [['scan', '--help']], [['serve', '--help']], [['report', '--help']], [['--version']]])('loads nothing of dev/ for %j', (args) => {
    const loaded = modulesLoadedBy(args);
    expect(loaded).toContain(join('dist', 'shared', 'cli', 'main.js'));
    expect(loaded.filter((path) => path.startsWith(join('dist', 'dev')))).toEqual([]);
  });
});
