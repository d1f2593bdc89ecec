import { Command } from 'commander';
import { verifyChains } from '../audit/verifyChains.js';
import { auditTablesFromEnvironment } from './auditOptions.js';
import { formatVerification } from '../report/verificationReport.js';
import { EXIT, outputOption, resolveOutput } from './usage.js';

/** `akscert verify`: walks every cluster's hash chain and names each row altered, removed, inserted or incomplete. */
export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      "re-check the audit trail's hash chains and checkpoints; names every record that was altered, removed or inserted (exit 4), " +
        'or left incomplete by an unfinished write (exit 6 when that is all); exit 5 when there is nothing to verify',
    )
    .addOption(outputOption())
    .action(async (options: { output?: string }) => {
      const result = await verifyChains(await auditTablesFromEnvironment());
      process.stdout.write(formatVerification(result, resolveOutput(options.output)));
      const code = { intact: 0, tampered: EXIT.tampered, incomplete: EXIT.incomplete, empty: EXIT.nothingToVerify }[result.outcome];
      if (code) process.exitCode = code;
    });
}

