/**
 * Prometheus's own checker, for the metrics tests: `PROMTOOL_PATH` when set (it must name an
 * executable), else `promtool` on PATH (Debian's `prometheus` package ships it; `.ci/run` installs it
 * when absent). Neither found is a failure with a message saying how to get one, never a skip.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

let found: Promise<string> | undefined;

export function promtoolPath(): Promise<string> {
  found ??= (async () => {
    const configured = process.env['PROMTOOL_PATH'];
    if (configured) {
      if (await isExecutable(configured)) return configured;
      throw new Error(`PROMTOOL_PATH=${configured} is not an executable file`);
    }
    for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
      const candidate = join(dir, 'promtool');
      if (await isExecutable(candidate)) return candidate;
    }
    throw new Error('promtool not found: set PROMTOOL_PATH, or install Debian\'s prometheus package (apt-get install prometheus), as .ci/run does');
  })();
  return found;
}

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(() => true, () => false);
}

export interface PromtoolRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `promtool <args>`, with `stdin` written to it when given. */
export async function promtool(args: string[], stdin?: string): Promise<PromtoolRun> {
  const child = spawn(await promtoolPath(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('close', resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * The samples of a text exposition (Prometheus 0.0.4 or OpenMetrics), comments skipped, label values
 * unescaped (`\\`, `\"`, `\n`), so tests read what a scraper reads.
 */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+\S+)?$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    samples.push({ name: match[1]!, labels: parseLabels(match[2] ?? ''), value: Number(match[3]) });
  }
  return samples;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const body = text.slice(1, -1);
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  while (pattern.lastIndex < body.length) {
    const match = pattern.exec(body);
    if (!match) throw new Error(`unreadable labels: ${text}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}
