/**
 * `npm run package`: the zip a Functions deployment ships (`azd deploy`, `func azure functionapp
 * publish`, a zip deploy), holding the product only. What is left out is `.funcignore`'s to say, read
 * by git itself (`.funcignore` has .gitignore syntax), so the publish tools and this script agree; the
 * packages are the production dependency tree as `npm ls --omit=dev` resolves it, copied from
 * node_modules (nothing is installed), and a compiled file whose source is gone is left behind.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './projectRoot.js';

export interface PackageSelection {
  /** Paths relative to the project root, `/`-separated, sorted. */
  files: string[];
  /** Compiled files under dist/ whose .ts source no longer exists (left out). */
  stale: string[];
}

const posix = (path: string) => path.split(sep).join('/');

/** The paths of `candidates` that `.funcignore` leaves out, asked of git in one empty scratch repository. */
function funcignored(root: string, candidates: string[]): Set<string> {
  if (candidates.length === 0) return new Set();
  const scratch = mkdtempSync(join(tmpdir(), 'funcignore-'));
  try {
    execFileSync('git', ['init', '-q'], { cwd: scratch });
    copyFileSync(join(root, '.funcignore'), join(scratch, '.gitignore'));
    const run = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: scratch, input: candidates.join('\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    // check-ignore exits 1 when nothing is ignored; anything else but 0 is a failure.
    if (run.status !== 0 && run.status !== 1) throw new Error(`git check-ignore failed: ${run.stderr || run.error?.message}`);
    return new Set(run.stdout.split('\n').filter(Boolean));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The files of the tree outside node_modules that `.funcignore` keeps, pruning ignored folders level by level. */
function productTree(root: string): string[] {
  const files: string[] = [];
  let folders = [''];
  while (folders.length > 0) {
    const entries = folders.flatMap((folder) =>
      readdirSync(join(root, folder), { withFileTypes: true })
        .filter((entry) => !(folder === '' && (entry.name === '.git' || entry.name === 'node_modules')))
        .map((entry) => ({ path: folder ? `${folder}/${entry.name}` : entry.name, isFolder: entry.isDirectory() })),
    );
    const ignored = funcignored(root, entries.map((e) => (e.isFolder ? `${e.path}/` : e.path)));
    folders = [];
    for (const entry of entries) {
      if (ignored.has(entry.isFolder ? `${entry.path}/` : entry.path)) continue;
      (entry.isFolder ? folders : files).push(entry.path);
    }
  }
  return files;
}

/** The folders of the production dependency tree (nested ones included), as npm resolves it. */
export function productionPackages(root: string): string[] {
  const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return listed.split('\n').filter(Boolean).map((path) => posix(relative(root, path))).filter((path) => path.startsWith('node_modules/'));
}

/** A package's files, without its nested node_modules (npm lists those packages on their own). */
function packageFiles(root: string, folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => posix(relative(root, join(entry.parentPath, entry.name))))
    .filter((path) => !path.slice(folder.length + 1).split('/').includes('node_modules'));
}

/** What the package holds: `.funcignore`'s selection of the tree and of the production packages. */
export function selectPackageFiles(root: string, options: { nodeModules: boolean }): PackageSelection {
  const stale: string[] = [];
  const tree = productTree(root).filter((path) => {
    const source = /^dist\/(.+)\.js$/.exec(path)?.[1];
    if (source === undefined || existsSync(join(root, `${source}.ts`))) return true;
    stale.push(path);
    return false;
  });
  let modules: string[] = [];
  if (options.nodeModules) {
    const candidates = productionPackages(root).flatMap((folder) => packageFiles(root, folder));
    const ignored = funcignored(root, candidates);
    modules = candidates.filter((path) => !ignored.has(path));
  }
  return { files: [...new Set([...tree, ...modules])].sort(), stale: stale.sort() };
}

export interface PackageResult extends PackageSelection {
  /** The folder holding the package's files. */
  folder: string;
  /** The zip of that folder, or undefined when no `zip` command is installed. */
  zip: string | undefined;
}

/** Copies the selection into `<out>/app` and zips it to `<out>/aks-cert-compliance.zip` with the system `zip`. */
export function packageApp(root: string, out: string, options: { nodeModules: boolean }): PackageResult {
  const selection = selectPackageFiles(root, options);
  const folder = join(out, 'app');
  const zip = join(out, 'aks-cert-compliance.zip');
  rmSync(out, { recursive: true, force: true });
  for (const file of selection.files) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    copyFileSync(join(root, file), join(folder, file));
  }
  // Node has no zip writer; without the system zip the folder is the package (zip it by other means).
  if (spawnSync('zip', ['-v'], { stdio: 'ignore' }).status !== 0) return { ...selection, folder, zip: undefined };
  execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: folder });
  return { ...selection, folder, zip };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, 'without-node-modules': { type: 'boolean' } } });
  const root = projectRoot();
  const result = packageApp(root, values.out ?? join(root, 'dist-package'), { nodeModules: !values['without-node-modules'] });
  for (const file of result.stale) console.warn(`left out ${file}: its source is gone (a stale build)`);
  console.log(`${result.files.length} files in ${relative(process.cwd(), result.folder) || '.'}`);
  console.log(result.zip ? `package: ${relative(process.cwd(), result.zip)}` : 'no zip command installed: the folder above is the package');
}
