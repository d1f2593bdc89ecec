/**
 * Reading the Bicep templates as text: no Bicep compiler installs here, so the tests check what can be
 * read without one (parameters, module paths, app setting names).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..');
export const infraDir = join(repositoryRoot, 'infra');

export const readInfra = (path: string) => readFileSync(join(infraDir, path), 'utf8');

/** Every .bicep file under infra/, as paths relative to infra/. */
export function bicepFiles(dir = infraDir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return bicepFiles(path);
    return entry.name.endsWith('.bicep') ? [relative(infraDir, path)] : [];
  });
}

/** Bicep text without its `//` and block comments (a `//` inside a string, such as a URL, is kept). */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/('(?:[^'\\]|\\.)*')|\/\/.*$/gm, (_match, quoted: string | undefined) => quoted ?? '');
}

/** The names of the `param` declarations. */
export const declaredParams = (text: string) => [...withoutComments(text).matchAll(/^\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s/gm)].map((m) => m[1]!);

/** The local module paths (`module x './app/api.bicep'`), registry modules (`br/...`) left out. */
export const localModulePaths = (text: string) =>
  [...withoutComments(text).matchAll(/^\s*module\s+[A-Za-z_][A-Za-z0-9_]*\s+'([^']+)'/gm)].map((m) => m[1]!).filter((path) => !path.startsWith('br/') && !path.startsWith('br:') && !path.startsWith('ts/'));

/** The registry modules (`br/public:avm/...:<version>`) referenced. */
export const registryModules = (text: string) => [...withoutComments(text).matchAll(/^\s*module\s+[A-Za-z_][A-Za-z0-9_]*\s+'(br[/:][^']+)'/gm)].map((m) => m[1]!);

/**
 * The body of `var <name> = { ... }` or `var <name> = [ ... ]`: from the opening bracket to the
 * closing one at the start of a line.
 */
export function varBlock(text: string, name: string): string {
  const match = new RegExp(`^var ${name} = ([{[])\\n([\\s\\S]*?)^[}\\]]`, 'm').exec(withoutComments(text));
  if (!match) throw new Error(`no multi-line var ${name} in the template`);
  return match[2]!;
}

/** The keys of an object literal's lines (`  NAME: value`). */
export const objectKeys = (block: string) => [...block.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*):/gm)].map((m) => m[1]!);

/** Each local module call: its path and the names of the params it passes (`params: { ... }`). */
export function moduleCalls(text: string): { path: string; params: string[] }[] {
  const source = withoutComments(text);
  return [...source.matchAll(/^\s*module\s+[A-Za-z_][A-Za-z0-9_]*\s+'([^']+)'[^\n]*\n([\s\S]*?)^(\s*)params: \{\n([\s\S]*?)^\3\}/gm)]
    .filter((m) => !m[1]!.startsWith('br/') && !m[2]!.includes('module '))
    .map((m) => ({ path: m[1]!, params: [...m[4]!.matchAll(new RegExp(`^${m[3]}  ([A-Za-z_][A-Za-z0-9_]*):`, 'gm'))].map((p) => p[1]!) }));
}

/** The params declared without a default value (a module call must give them). */
export const requiredParams = (text: string) =>
  [...withoutComments(text).matchAll(/^\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s+[A-Za-z]+(\[\])?\s*$/gm)].map((m) => m[1]!);
