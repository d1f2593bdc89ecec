import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../dev/projectRoot.js';
import { UsageError } from '../../../../shared/domain/errors.js';
import { authorizes, defaultKeysFile, loadHostKeys, presentedKey, type Access } from '../../../../shared/host/local/hostKeys.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function keysFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'akscert-keys-'));
  dirs.push(dir);
  return join(dir, '.dev', 'host-keys.json');
}

describe('the local host keys', () => {
  it('are generated on first start (crypto random, URL-safe, distinct) and kept in a file only its owner may read', async () => {
    const file = await keysFile();
    const keys = await loadHostKeys(file);
    for (const key of [keys.masterKey, keys.functionKey, keys.eventGridKey]) expect(key).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(new Set([keys.masterKey, keys.functionKey, keys.eventGridKey]).size).toBe(3);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      masterKey: keys.masterKey, functionKeys: { default: keys.functionKey }, systemKeys: { eventgrid_extension: keys.eventGridKey },
    });
  });

  it('survive restarts', async () => {
    const file = await keysFile();
    const first = await loadHostKeys(file);
    expect(await loadHostKeys(file)).toEqual(first);
  });

  it('agree when two hosts start at once on a fresh folder', async () => {
    const file = await keysFile();
    const [a, b, c] = await Promise.all([loadHostKeys(file), loadHostKeys(file), loadHostKeys(file)]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('take the master key from the setting (LOCAL_HOST_MASTER_KEY) without writing it to the file', async () => {
    const file = await keysFile();
    const given = 'the-engineers-own-master-key-01';
    const keys = await loadHostKeys(file, { masterKey: given });
    expect(keys.masterKey).toBe(given);
    expect(await readFile(file, 'utf8')).not.toContain(given);
    expect((await loadHostKeys(file)).functionKey).toBe(keys.functionKey);
  });

  it('tighten a keys file others may read to 0600', async () => {
    const file = await keysFile();
    await loadHostKeys(file);
    await chmod(file, 0o644);
    await loadHostKeys(file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuse a keys file that is not one, naming the file but not its content', async () => {
    const file = await keysFile();
    await loadHostKeys(file);
    await writeFile(file, '{"masterKey": "leaked-secret-value", "functionKeys": 3');
    const error = await loadHostKeys(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain('leaked-secret-value');
  });

  it('live under .dev/ of the function app (the folder of host.json) by default', () => {
    expect(defaultKeysFile()).toBe(join(projectRoot(), '.dev', 'host-keys.json'));
  });
});

describe('who a key lets in', () => {
  const keys = { masterKey: 'M'.repeat(43), functionKey: 'F'.repeat(43), eventGridKey: 'E'.repeat(43) };
  const cases: [Access, string | undefined, boolean][] = [
    ['anonymous', undefined, true], ['anonymous', 'wrong', true],
    ['function', undefined, false], ['function', 'wrong', false], ['function', keys.functionKey, true], ['function', keys.eventGridKey, false], ['function', keys.masterKey, true],
    ['eventgrid_extension', undefined, false], ['eventgrid_extension', keys.functionKey, false], ['eventgrid_extension', keys.eventGridKey, true], ['eventgrid_extension', keys.masterKey, true],
    ['admin', undefined, false], ['admin', keys.functionKey, false], ['admin', keys.eventGridKey, false], ['admin', keys.masterKey, true],
    ['function', keys.functionKey.slice(0, -1), false], ['function', `${keys.functionKey}F`, false], ['function', '', false],
  ];
  it.each(cases)('%s with %s: %s', (access, key, allowed) => {
    expect(authorizes(keys, access, key)).toBe(allowed);
  });

  it('is read from x-functions-key first, else from ?code=', () => {
    expect(presentedKey({ 'x-functions-key': 'header' }, new URLSearchParams('code=query'))).toBe('header');
    expect(presentedKey({}, new URLSearchParams('code=query'))).toBe('query');
    expect(presentedKey({}, new URLSearchParams('functionName=x'))).toBeUndefined();
  });
});
