import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azInvocations, unverified } from './azCli.js';
import { infraDir, readInfra } from './bicep.js';

const bash = readInfra(join('hooks', 'postdeploy.sh'));
const pwsh = readInfra(join('hooks', 'postdeploy.ps1'));
const hooks = { 'postdeploy.sh': bash, 'postdeploy.ps1': pwsh };

/** Each az invocation as `command flags...`, flags sorted: what the two hooks must run alike. */
const signatures = (text: string) => azInvocations(text).map(({ command, flags }) => [command, ...[...flags].sort()].join(' ')).sort();

/** PowerShell text without its comments and the contents of its strings (here-strings are not used). */
const pwshCode = (text: string) => text.replace(/'[^'\n]*'|"(?:[^"`\n]|`.)*"/g, "''").replace(/#.*$/gm, '');

describe('the postdeploy hooks (infra/hooks)', () => {
  it('postdeploy.sh is valid bash, run by its shebang as azd runs a posix hook, so it is executable', () => {
    execFileSync('bash', ['-n', join(infraDir, 'hooks', 'postdeploy.sh')]);
    expect(bash.split('\n')[0]).toBe('#!/usr/bin/env bash');
    expect(bash).toMatch(/^set -euo pipefail$/m);
    expect(statSync(join(infraDir, 'hooks', 'postdeploy.sh')).mode & 0o111).not.toBe(0);
  });

  it('postdeploy.ps1 stops at the first error, and its braces, brackets and parentheses pair up', () => {
    expect(pwsh).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
    expect(pwsh).toMatch(/^\$PSNativeCommandUseErrorActionPreference = \$true$/m);
    const code = pwshCode(pwsh);
    const stack: string[] = [];
    const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
    for (const c of code) {
      if ('{[('.includes(c)) stack.push(c);
      else if (c in pairs) expect(stack.pop(), `unpaired ${c}`).toBe(pairs[c]);
    }
    expect(stack).toEqual([]);
    // A space after a line-continuation backtick ends the command there.
    expect(pwsh.split('\n').filter((line) => /` +$/.test(line))).toEqual([]);
  });

  it('both require the same azd outputs before they run', () => {
    const bashRequired = [...bash.matchAll(/^: "\$\{([A-Z_]+):\?/gm)].map((m) => m[1]);
    const pwshRequired = /foreach \(\$name in ((?:'[A-Z_]+'(?:, )?)+)\)/.exec(pwsh)?.[1]?.match(/[A-Z_]+/g);
    expect(bashRequired).toEqual(['AZURE_FUNCTION_NAME', 'AZURE_RESOURCE_GROUP', 'AZURE_SUBSCRIPTION_ID', 'AZURE_LOCATION']);
    expect(pwshRequired).toEqual(bashRequired);
  });

  it('run only az commands and flags checked against the CLI\'s help', () => {
    for (const [hook, text] of Object.entries(hooks)) {
      expect(azInvocations(text).length, hook).toBeGreaterThanOrEqual(10);
      expect(unverified(azInvocations(text)), hook).toEqual([]);
    }
  });

  it('run the same az commands with the same flags, step for step', () => {
    expect(signatures(pwsh)).toEqual(signatures(bash));
  });

  it('subscribe clusterEvents to managed-cluster operations, in the Event Grid schema the handler reads', () => {
    for (const [hook, script] of Object.entries(hooks)) {
      const subscribe = azInvocations(script).filter((call) => call.command === 'eventgrid system-topic event-subscription create');
      expect(subscribe, hook).toHaveLength(2);
      expect(script, hook).toContain('Microsoft.Resources.Subscriptions');
      expect(script, hook).toContain('/runtime/webhooks/eventgrid?functionName=clusterEvents&code=');
      expect(script, hook).toContain('systemKeys.eventgrid_extension');
      expect(subscribe[0]!.text, hook).toContain('--advanced-filter data.operationName StringBeginsWith Microsoft.ContainerService/managedClusters');
      expect(subscribe.every((call) => call.text.includes('--event-delivery-schema eventgridschema')), hook).toBe(true);
    }
  });

  it('leave the webhook path they subscribe out of App Service Authentication, the one path excluded', () => {
    const path = /\/runtime\/webhooks\/eventgrid/.exec(bash)?.[0];
    expect(readInfra(join('app', 'auth.bicep'))).toContain(`'${path}'`);
  });

  it('never print the endpoint, whose query string holds the eventgrid_extension key', () => {
    for (const [hook, script] of Object.entries(hooks)) {
      const printing = script.split('\n').filter((line) => /\b(echo|printf|Write-Host|Write-Warning|Write-Output)\b/.test(line));
      expect(printing.filter((line) => /\$\{?(key|endpoint)\b/.test(line)), hook).toEqual([]);
    }
  });
});

describe('azInvocations and unverified (the check above)', () => {
  it('read a command across continuations, up to a pipe, with its flags and not its values', () => {
    const calls = azInvocations('x="$(az eventgrid system-topic list --subscription "$s" \\\n  --query "[].[source, name]" -o tsv | awk -F x)"');
    expect(calls).toEqual([{ command: 'eventgrid system-topic list', flags: ['--subscription', '--query', '-o'], text: 'az eventgrid system-topic list --subscription "$s" --query "[].[source, name]" -o tsv' }]);
  });

  it('report a command or a flag no one has checked', () => {
    expect(unverified(azInvocations('az eventgrid system-topic create -n t --bogus 1'))).toEqual(['az eventgrid system-topic create --bogus: not a verified flag (az eventgrid system-topic create -n t --bogus 1)']);
    expect(unverified(azInvocations('az webapp up --name x'))).toHaveLength(1);
  });
});
