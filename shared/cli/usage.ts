import { InvalidArgumentError, Option } from 'commander';
import { CLOUD_NAMES } from '../config.js';
import { subscriptionIdSchema } from '../domain/clusterId.js';
import type { OutputFormat, TableLayout } from '../report/formatReport.js';

/**
 * Exit codes: 1 for failures, 2 for usage errors, 3 when `--fail-on` trips, 4 when `verify` finds
 * tampering, 5 when `verify` finds nothing to verify, 6 when `verify` finds only unfinished writes.
 */
export const EXIT = { failure: 1, usage: 2, failOn: 3, tampered: 4, nothingToVerify: 5, incomplete: 6 } as const;

export function outputOption(): Option {
  return new Option('--output <format>', 'table, json or csv (table on a terminal, json otherwise)').choices(['table', 'json', 'csv']);
}

export function resolveOutput(requested: string | undefined): OutputFormat {
  return (requested as OutputFormat | undefined) ?? (process.stdout.isTTY ? 'table' : 'json');
}

/** A text table fits the terminal it is printed on; piped output keeps every column. */
export function terminalLayout(stream: NodeJS.WriteStream = process.stdout): TableLayout {
  return stream.isTTY && stream.columns ? { width: stream.columns } : {};
}

export function cloudOption(): Option {
  return new Option('--cloud <name>', 'Azure cloud').choices(CLOUD_NAMES);
}

export function parseSubscriptionId(value: string, previous: string[] = []): string[] {
  const parsed = subscriptionIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`"${value}" is not a subscription id (a GUID).`);
  return [...previous, parsed.data];
}

export function parseHttpsUrl(value: string): string {
  if (!URL.canParse(value) || new URL(value).protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" is not an https:// URL (the Azure SDK sends bearer tokens only over TLS).`);
  }
  return value;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`"${value}" is not a TCP port.`);
  return port;
}
