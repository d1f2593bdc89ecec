import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { alertsCommand } from '../../shared/cli/alertsCommand.js';
import { demoCommand } from '../../shared/cli/demoCommand.js';
import { historyCommand } from '../../shared/cli/historyCommand.js';
import { reportCommand } from '../../shared/cli/reportCommand.js';
import { revocationCommand } from '../../shared/cli/revocationCommand.js';
import { rotateCommand } from '../../shared/cli/rotateCommand.js';
import { rotationsCommand } from '../../shared/cli/rotationsCommand.js';
import { scanCommand } from '../../shared/cli/scanCommand.js';
import { serveCommand } from '../../shared/cli/serveCommand.js';
import { verifyCommand } from '../../shared/cli/verifyCommand.js';

const root = join(__dirname, '..', '..');
const doc = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');

/** The commands main.ts registers, built by the same factories. */
const commands: Command[] = [scanCommand(), demoCommand(), serveCommand(), reportCommand(), historyCommand(), verifyCommand(), rotationsCommand(), rotateCommand(), alertsCommand('0.0.0'), revocationCommand()];

/** The flags a command takes: its own, --help and --version (main.ts adds it to each). */
const flagsOf = (command: Command) => new Set([...command.options.map((o) => o.long!), '--help', '--version']);

/** Each `akscert ...` the doc names, from inline code and code blocks, up to a shell comment. */
function akscertUses(text: string): { command: string; subcommand?: string; flags: string[]; text: string }[] {
  const fragments = [...text.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'));
  const prose = text.replace(/```[a-z]*\n[\s\S]*?```/g, '');
  fragments.push(...[...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!));
  return fragments.flatMap((fragment) =>
    [...fragment.replace(/\s#.*$/, '').matchAll(/\bakscert\s+([a-z][a-z-]*)((?:\s+(?!--)[^\s]+)*)?((?:\s+[^\s]+)*)/g)].map((m) => {
      const rest = `${m[2] ?? ''}${m[3] ?? ''}`;
      const sub = /^\s+([a-z][a-z-]*)\b/.exec(m[2] ?? '')?.[1];
      return { command: m[1]!, subcommand: sub, flags: [...rest.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/g)].map((f) => f[1]!), text: m[0] };
    }),
  );
}

describe('docs/operations.md', () => {
  const uses = akscertUses(doc);

  it('names akscert commands (the parse finds them)', () => {
    expect(uses.map((u) => u.command)).toEqual(expect.arrayContaining(['rotate', 'rotations', 'report', 'history', 'verify', 'scan', 'alerts']));
    expect(uses.flatMap((u) => u.flags)).toEqual(expect.arrayContaining(['--yes', '--state', '--as-of']));
  });

  it('names only commands and flags the CLI has', () => {
    const problems = uses.flatMap((use) => {
      const command = commands.find((c) => c.name() === use.command);
      if (!command) return [`no command ${use.command}: ${use.text}`];
      const sub = command.commands.find((c) => c.name() === use.subcommand);
      const target = sub ?? command;
      return use.flags.filter((flag) => !flagsOf(target).has(flag)).map((flag) => `${target.name()} has no ${flag}: ${use.text}`);
    });
    expect(problems).toEqual([]);
  });

  it('is linked from the README', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').includes('(docs/operations.md)')).toBe(true);
  });
});

describe('the commands this test knows', () => {
  it('are the ones shared/cli/main.ts registers', () => {
    const main = readFileSync(join(root, 'shared', 'cli', 'main.ts'), 'utf8');
    const registered = /for \(const command of \[([^\]]+)\]\)/.exec(main)?.[1]?.split(',').map((s) => s.trim().replace(/\(.*\)$/, ''));
    expect(registered).toEqual(commands.map((c) => `${c.name()}Command`));
  });
});
