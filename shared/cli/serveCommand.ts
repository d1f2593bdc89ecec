import { Command, Option } from 'commander';
import { startLocalHost } from '../host/local/localHost.js';
import { EVENT_GRID_WEBHOOK_PATH } from '../host/local/eventGridWebhook.js';
import { loadConfig } from '../config.js';
import { untilInterrupted } from './untilInterrupted.js';
import { parsePort } from './usage.js';

export const DEFAULT_HOST_PORT = 7071;

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the functions locally: timer, Event Grid webhook, queue workers and HTTP API on 127.0.0.1')
    .addOption(new Option('--port <n>', 'port of the local host').default(DEFAULT_HOST_PORT).argParser(parsePort))
    .action(async (options: { port: number }) => {
      loadConfig(); // a bad setting stops here, naming it, before anything starts
      const host = await startLocalHost({ port: options.port });
      printEndpoints(host.url, host.functions.map((f) => `${f.kind} ${f.name}`));
      await untilInterrupted();
      await host.close();
    });
}

export function printEndpoints(url: string, functions: string[], write = (line: string) => process.stderr.write(`${line}\n`)): void {
  write(`Local host on ${url} (${functions.join(', ')})`);
  write(`  Event Grid webhook: ${url}${EVENT_GRID_WEBHOOK_PATH}?functionName=clusterEvents`);
  write(`  HTTP API:           ${url}/api/`);
  write(`  Run the timer now:  curl -X POST ${url}/admin/functions/scheduledScan`);
}
