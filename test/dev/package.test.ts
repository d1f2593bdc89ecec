/**
 * `npm run package`: the zip's own listing (unzip -Z1), built from dist/ (`npm test` builds it first).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePackage } from '../../dev/package.js';

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const zip = join(scratch, 'app.zip');
const written = writePackage(root, zip, { store: true });
const listed = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean);
const has = (path: string) => listed.includes(path);

describe('npm run package', () => {
  it('zips exactly the files it lists', () => {
    expect([...listed].sort()).toEqual(written);
  });

  it('ships the host files and every compiled function', () => {
    for (const path of ['host.json', 'package.json', 'package-lock.json', 'dist/shared/wiring/functionServices.js']) expect(has(path), path).toBe(true);
    const functions = readdirSync(join(root, 'functions')).filter((name) => name.endsWith('.ts')).map((name) => `dist/functions/${name.replace(/\.ts$/, '.js')}`);
    expect(functions.length).toBeGreaterThan(5);
    expect(functions.filter((path) => !has(path))).toEqual([]);
  });

  it('ships the production packages the code loads', () => {
    for (const name of ['@azure/functions', '@azure/data-tables', '@azure/identity', 'zod', 'yaml']) expect(has(`node_modules/${name}/package.json`), name).toBe(true);
  });

  it('leaves out sources, tests, the simulator, local state, source maps and every development package, direct or not', () => {
    const product = /^(host\.json|package(-lock)?\.json|dist\/(functions|shared)\/.+\.js|dist\/shared\/.+\.(json|html|css)|node_modules\/.+)$/;
    expect(listed.filter((path) => !product.test(path))).toEqual([]);
    expect(listed.filter((path) => /\.(ts|map)$/.test(path) || path.startsWith('.dev/'))).toEqual([]);
    // vite and esbuild come only with vitest; typescript, azurite, playwright are direct development packages.
    const development = ['vitest', 'vite', 'esbuild', 'typescript', 'azurite', 'playwright-core', '@stryker-mutator/core', '@types/node', '@sparticuz/chromium'];
    expect(development.filter((name) => listed.some((path) => path.startsWith(`node_modules/${name}/`)))).toEqual([]);
  });
});
