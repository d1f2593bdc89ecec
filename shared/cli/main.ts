#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { demoCommand } from './demoCommand.js';
import { historyCommand } from './historyCommand.js';
import { reportCommand } from './reportCommand.js';
import { scanCommand } from './scanCommand.js';
import { serveCommand } from './serveCommand.js';
import { EXIT } from './usage.js';
import { verifyCommand } from './verifyCommand.js';

const program = new Command('akscert')
  .description('Certificate compliance for Azure Kubernetes Service fleets')
  .exitOverride()
  .configureOutput({ outputError: (message, write) => write(message.split('\n')[0] + '\n') })
  .addCommand(scanCommand().exitOverride())
  .addCommand(demoCommand().exitOverride())
  .addCommand(serveCommand().exitOverride())
  .addCommand(reportCommand().exitOverride())
  .addCommand(historyCommand().exitOverride())
  .addCommand(verifyCommand().exitOverride());

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    return;
  }
  const e = error as Error;
  process.stderr.write(`akscert: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}\n`);
  process.exitCode = ['ConfigError', 'PolicyError', 'StorageSettingError', 'UsageError'].includes(e.name) ? EXIT.usage : EXIT.failure;
});
