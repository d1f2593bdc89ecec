/**
 * `npm run package` (dev/packageApp.ts): what the zip a deployment ships holds. The project's own
 * package is built from the compiled dist/ (npm test compiles it first) without node_modules, which
 * would take the copy of ~130 MB; the production packages' selection is checked as a list instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageApp, productionPackages, selectPackageFiles, type PackageResult } from '../../dev/packageApp.js';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'package-app-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hasZip = spawnSync('zip', ['-v'], { stdio: 'ignore' }).status === 0;

/** The paths the package holds: the zip's entries, else the folder's files. */
function contentOf(result: PackageResult): string[] {
  if (result.zip) return execFileSync('unzip', ['-Z1', result.zip], { encoding: 'utf8' }).split('\n').filter((line) => line && !line.endsWith('/')).sort();
  return readdirSync(result.folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(result.folder, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

const PRODUCT = /^(host\.json|package\.json|package-lock\.json|dist\/(functions|shared)\/.+\.js)$/;

describe('npm run package', () => {
  it('ships the compiled functions and product, host.json and the manifests, and nothing else', () => {
    const functions = readdirSync(join(root, 'functions')).filter((name) => name.endsWith('.ts'));
    expect(readdirSync(join(root, 'dist', 'functions')), 'dist/ is compiled first (npm run build)').toEqual(expect.arrayContaining(functions.map((f) => f.replace(/\.ts$/, '.js'))));

    const result = packageApp(root, join(scratch, 'project'), { nodeModules: false });
    expect(result.zip === undefined).toBe(!hasZip);
    const content = contentOf(result);

    expect(content).toEqual(expect.arrayContaining(['host.json', 'package.json', 'package-lock.json', 'dist/shared/cli/main.js', ...functions.map((f) => `dist/functions/${f.replace(/\.ts$/, '.js')}`)]));
    expect(content.filter((path) => !PRODUCT.test(path))).toEqual([]);
    expect(content.filter((path) => /^(dev|test|bench|\.dev|dist\/dev|dist\/test|dist\/bench|infra)\/|\.map$|\.ts$/.test(path))).toEqual([]);
    expect(readFileSync(join(result.folder, 'host.json'), 'utf8')).toEqual(readFileSync(join(root, 'host.json'), 'utf8'));
  });

  it('takes the production packages npm resolves, none of the devDependencies, and no maps or TypeScript of theirs', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const packages = productionPackages(root);
    const modules = selectPackageFiles(root, { nodeModules: true }).files.filter((path) => path.startsWith('node_modules/'));

    for (const name of Object.keys(manifest.dependencies)) expect(modules).toContain(`node_modules/${name}/package.json`);
    const packageOf = (path: string) => packages.filter((folder) => path.startsWith(`${folder}/`)).sort((a, b) => b.length - a.length)[0];
    expect(modules.filter((path) => packageOf(path) === undefined)).toEqual([]);
    const dev = Object.keys(manifest.devDependencies).map((name) => `node_modules/${name}`);
    expect(packages.filter((folder) => dev.includes(folder))).toEqual([]);
    expect(modules.filter((path) => /\.map$|\.ts$/.test(path))).toEqual([]);
  });

  it("leaves out what .funcignore names, and a compiled file whose source is gone, from any project's tree", () => {
    const project = join(scratch, 'tree');
    const files: Record<string, string> = {
      'host.json': '{}', 'package.json': '{}', 'README.md': '# x',
      'functions/scan.ts': '', 'dist/functions/scan.js': '', 'dist/functions/scan.js.map': '', 'dist/functions/removed.js': '',
      'shared/a.ts': '', 'dist/shared/a.js': '', 'dev/demo.ts': '', 'dist/dev/demo.js': '', 'test/a.test.ts': '', '.dev/tls/dev-ca.key': 'secret',
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(project, path)), { recursive: true });
      writeFileSync(join(project, path), text);
    }
    copyFileSync(join(root, '.funcignore'), join(project, '.funcignore'));

    const selection = selectPackageFiles(project, { nodeModules: false });

    expect(selection.files).toEqual(['dist/functions/scan.js', 'dist/shared/a.js', 'host.json', 'package.json']);
    expect(selection.stale).toEqual(['dist/functions/removed.js']);
  });
});
