/**
 * `npm run package`: the zip a publish ships, the product only. The files are what .funcignore keeps
 * (read by git itself, .funcignore having .gitignore syntax) of host.json, package.json, the lock
 * file, dist/ and the production packages (`npm ls --omit=dev`): never a development package, even
 * one that came in under another's name.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { projectRoot } from './projectRoot.js';

const TOP_LEVEL = ['host.json', 'package.json', 'package-lock.json'];

/** The files (paths relative to root, `/`-separated, sorted) a publish of root ships. */
export function publishFiles(root: string): string[] {
  const production = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((dir) => dir.trim() !== '' && dir !== root);
  const candidates = new Set([...TOP_LEVEL, ...filesUnder(root, join(root, 'dist')), ...production.flatMap((dir) => filesUnder(root, dir))]);
  const ignored = new Set(funcignored(root, [...candidates]));
  return [...candidates].filter((file) => !ignored.has(file)).sort();
}

/** Files under dir, relative to root; a package's own node_modules is left to `npm ls` (nested packages are listed there). */
function filesUnder(root: string, dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const isDirectory = entry.isDirectory() || (entry.isSymbolicLink() && statSync(path).isDirectory());
    if (isDirectory) return entry.name === 'node_modules' ? [] : filesUnder(root, path);
    return [relative(root, path).split(sep).join('/')];
  });
}

/** The paths .funcignore leaves out, asked of git in an empty repository whose .gitignore it is. */
function funcignored(root: string, paths: string[]): string[] {
  const scratch = mkdtempSync(join(tmpdir(), 'funcignore-'));
  try {
    execFileSync('git', ['init', '-q'], { cwd: scratch });
    copyFileSync(join(root, '.funcignore'), join(scratch, '.gitignore'));
    return execFileSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: scratch, input: paths.join('\n'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').filter(Boolean);
  } catch (error) {
    if ((error as { status?: number }).status === 1) return []; // nothing left out
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes the zip (replacing one there); `store`: no compression, for tests that only list it. */
export function writePackage(root: string, out: string, options: { store?: boolean } = {}): string[] {
  const files = publishFiles(root);
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  execFileSync('zip', ['-q', '-X', options.store ? '-0' : '-6', out, '-@'], { cwd: root, input: files.join('\n'), maxBuffer: 64 * 1024 * 1024 });
  return files;
}

if (require.main === module) {
  const root = projectRoot();
  const out = process.argv[2] ?? join(root, '.package', 'aks-cert-compliance.zip');
  const files = writePackage(root, out);
  console.log(`${out}: ${files.length} files`);
}
