import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { HOST_KEY_PATTERN } from '../../config.js';
import { UsageError } from '../../domain/errors.js';

/**
 * The keys of the local host, as the Functions host has them: the master key (opens every route,
 * and alone opens `/admin/*`), the host's `default` function key (opens `authLevel: 'function'`
 * routes) and the `eventgrid_extension` system key (opens the Event Grid webhook). Secrets: they go
 * only into the startup lines of `serve` and `demo`, never into a log line, a report or an error.
 */
export interface HostKeys {
  masterKey: string;
  functionKey: string;
  eventGridKey: string;
}

/** What a route asks of its caller: an HTTP function's `authLevel`, or the system key of a webhook. */
export type Access = 'anonymous' | 'function' | 'admin' | 'eventgrid_extension';

/** The header the Functions host reads a key from; else the `code` query parameter. */
export const KEY_HEADER = 'x-functions-key';
export const KEY_PARAMETER = 'code';

/** The keys file: only its owner may read it. */
const FILE_MODE = 0o600;

const storedKey = z.string().regex(HOST_KEY_PATTERN);
/** The file, in the shape of the Functions host's own secrets (host.json secrets): missing keys are generated. */
const keysFileSchema = z.object({
  masterKey: storedKey.optional(),
  functionKeys: z.object({ default: storedKey.optional() }).loose().optional(),
  systemKeys: z.object({ eventgrid_extension: storedKey.optional() }).loose().optional(),
}).loose();
type KeysFile = z.output<typeof keysFileSchema>;

/** A new key: 32 bytes from the system's CSPRNG, base64url (43 characters, safe in a URL and a shell). */
export function newKey(): string {
  return randomBytes(32).toString('base64url');
}

/** `.dev/host-keys.json` in the function app's folder (the one holding host.json), git- and publish-ignored. */
export function defaultKeysFile(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'host.json')) && existsSync(join(dir, 'package.json'))) return join(dir, '.dev', 'host-keys.json');
    if (dirname(dir) === dir) return join(process.cwd(), '.dev', 'host-keys.json');
  }
}

/**
 * The host's keys: read from `file`, the missing ones generated and kept there (so they survive
 * restarts); `masterKey` (LOCAL_HOST_MASTER_KEY) wins over the file's and is never written to it.
 */
export async function loadHostKeys(file: string, options: { masterKey?: string } = {}): Promise<HostKeys> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let stored = await readKeysFile(file);
  if (stored === undefined) {
    const fresh: KeysFile = {
      ...(options.masterKey === undefined ? { masterKey: newKey() } : {}),
      functionKeys: { default: newKey() },
      systemKeys: { eventgrid_extension: newKey() },
    };
    // Exclusive creation: when two hosts start at once on a fresh folder, both end with the one file.
    stored = (await createExclusively(file, fresh)) ? fresh : await readKeysFile(file);
    if (stored === undefined) throw new UsageError(`the local host could not create its keys file ${file}`);
  }
  const missing = {
    masterKey: options.masterKey === undefined && stored.masterKey === undefined,
    functionKey: stored.functionKeys?.default === undefined,
    eventGridKey: stored.systemKeys?.eventgrid_extension === undefined,
  };
  if (missing.masterKey || missing.functionKey || missing.eventGridKey) {
    stored = {
      ...stored,
      ...(missing.masterKey ? { masterKey: newKey() } : {}),
      functionKeys: { ...stored.functionKeys, default: stored.functionKeys?.default ?? newKey() },
      systemKeys: { ...stored.systemKeys, eventgrid_extension: stored.systemKeys?.eventgrid_extension ?? newKey() },
    };
    await replace(file, stored);
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, FILE_MODE);
  return {
    masterKey: options.masterKey ?? stored.masterKey!,
    functionKey: stored.functionKeys!.default!,
    eventGridKey: stored.systemKeys!.eventgrid_extension!,
  };
}

/** The key a request presents: the `x-functions-key` header, else `?code=`; undefined when none (or empty). */
export function presentedKey(headers: Record<string, string | string[] | undefined>, query: URLSearchParams): string | undefined {
  const header = headers[KEY_HEADER];
  const value = (Array.isArray(header) ? header[0] : header) ?? query.get(KEY_PARAMETER) ?? undefined;
  return value === '' ? undefined : value;
}

/** Whether `presented` opens a route asking `access`: the master key opens every route, as in the Functions host. */
export function authorizes(keys: HostKeys, access: Access, presented: string | undefined): boolean {
  if (access === 'anonymous') return true;
  if (presented === undefined || presented === '') return false;
  if (sameKey(presented, keys.masterKey)) return true;
  if (access === 'function') return sameKey(presented, keys.functionKey);
  if (access === 'eventgrid_extension') return sameKey(presented, keys.eventGridKey);
  return false;
}

/** Constant-time comparison (of digests, so that the length of the key does not show either). */
function sameKey(given: string, key: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(key));
}

async function readKeysFile(file: string): Promise<KeysFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`the local host cannot read its keys file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  let parsed: ReturnType<typeof keysFileSchema.safeParse> | undefined;
  try {
    parsed = keysFileSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  // Never the content in the message: it holds keys.
  if (!parsed?.success) throw new UsageError(`${file} is not a keys file of the local host; delete it and the host generates new keys`);
  return parsed.data;
}

const temporaryName = (file: string) => `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;

/** Writes `content` to `file` unless it exists (then false), never leaving a half-written file for another host to read. */
async function createExclusively(file: string, content: KeysFile): Promise<boolean> {
  const temporary = temporaryName(file);
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function replace(file: string, content: KeysFile): Promise<void> {
  const temporary = temporaryName(file);
  await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
  await rename(temporary, file);
}
