#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { AksCertError, messageOf } from '../domain/errors.js';
import { alertsCommand } from './alertsCommand.js';
import { demoCommand } from './demoCommand.js';
import { historyCommand } from './historyCommand.js';
import { reportCommand } from './reportCommand.js';
import { revocationCommand } from './revocationCommand.js';
import { rotateCommand } from './rotateCommand.js';
import { rotationsCommand } from './rotationsCommand.js';
import { scanCommand } from './scanCommand.js';
import { serveCommand } from './serveCommand.js';
import { EXIT } from './usage.js';
import { verifyCommand } from './verifyCommand.js';
import { packageVersion } from './version.js';

const version = packageVersion();

const program = new Command('akscert')
  .description('Certificate compliance for Azure Kubernetes Service fleets')
  .version(version)
  .exitOverride()
  // Options after a subcommand are that subcommand's (`akscert alerts test --output json`).
  .enablePositionalOptions()
  .configureOutput({ outputError: (message, write) => write(message.split('\n')[0] + '\n') });
for (const command of [scanCommand(), demoCommand(), serveCommand(), reportCommand(), historyCommand(), verifyCommand(), rotationsCommand(), rotateCommand(), alertsCommand(version), revocationCommand()]) {
  program.addCommand(command.version(version).exitOverride());
}

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    return;
  }
  process.stderr.write(`akscert: ${messageOf(error)}\n`);
  process.exitCode = error instanceof AksCertError && error.exitKind === 'usage' ? EXIT.usage : EXIT.failure;
});
