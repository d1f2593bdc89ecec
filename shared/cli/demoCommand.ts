import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HOST_PORT } from '../host/local/localHost.js';
import { outputOption, parsePort } from './usage.js';

export function demoCommand(): Command {
  return new Command('demo')
    .description('start Azurite and the ARM simulator with a demo fleet, scan it, record it, print the report, then serve the functions')
    .option('--once', 'exit after the report instead of keeping the demo environment up until Ctrl-C')
    .addOption(new Option('--latency <ms>', 'simulated ARM latency per request').default(20).argParser(parseMilliseconds))
    .addOption(new Option('--port <n>', 'port of the local host serving the API, dashboard and webhook').default(DEFAULT_HOST_PORT).argParser(parsePort))
    .addOption(outputOption())
    .action(async (options: { once?: boolean; port: number; latency: number; output?: string }) => {
      // The simulator, Azurite and the demo fleet live in dev/ and are loaded only when the demo runs.
      const { runDemo } = await import('../../dev/demo.js');
      process.exitCode = await runDemo(options);
    });
}

function parseMilliseconds(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError(`"${value}" is not a whole number of milliseconds (0 or more).`);
  return Number(value);
}
