import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { formatRotations } from '../report/rotationsReport.js';
import { complianceStorage } from '../wiring/adapters.js';
import { openRotationRecords } from '../wiring/rotation.js';
import { outputOption, resolveOutput, terminalLayout } from './usage.js';

export const ROTATION_STATE_CHOICES = ['requested', 'started', 'running', 'succeeded', 'failed', 'unverified'] as const;

/** `akscert rotations`: every rotation recorded, in flight and done, oldest first (read-only). */
export function rotationsCommand(): Command {
  return new Command('rotations')
    .description('the certificate rotations recorded, in flight and done, oldest first')
    .addOption(new Option('--state <state>', 'only rotations in this state').choices(ROTATION_STATE_CHOICES))
    .addOption(outputOption())
    .action(async (options: { state?: (typeof ROTATION_STATE_CHOICES)[number]; output?: string }) => {
      const storage = complianceStorage(loadConfig());
      await storage.checkReachable();
      const records = await openRotationRecords(storage).list(options.state ? { state: options.state } : {});
      process.stdout.write(formatRotations(records, resolveOutput(options.output), terminalLayout()));
    });
}
