import { Command } from 'commander';
import { verifyChains } from '../audit/verifyChains.js';
import { auditTablesFromEnvironment } from './auditOptions.js';
import { formatVerification } from '../report/verificationReport.js';
import { EXIT, outputOption, resolveOutput } from './usage.js';

/** `akscert verify`: walks every cluster's hash chain and names each row altered, removed or inserted. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description("re-check the audit trail's hash chains; names every record that was altered, removed or inserted (exit 4 when any was)")
    .addOption(outputOption())
    .action(async (options: { output?: string }) => {
      const result = await verifyChains(await auditTablesFromEnvironment());
      process.stdout.write(formatVerification(result, resolveOutput(options.output)));
      if (!result.intact) process.exitCode = EXIT.tampered;
    });
}

