import { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { DEFAULT_HOST_PORT, describeEndpoints, startLocalHost } from '../host/local/localHost.js';
import { complianceStorage, openComplianceStore } from '../wiring/adapters.js';
import { untilInterrupted } from './untilInterrupted.js';
import { parsePort } from './usage.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('run the functions locally: timer, Event Grid webhook, queue workers, HTTP API and dashboard on 127.0.0.1')
    .addOption(new Option('--port <n>', 'port of the local host').default(DEFAULT_HOST_PORT).argParser(parsePort))
    .action(async (options: { port: number }) => {
      // A bad setting or an unreachable store stops here, naming it, before anything listens.
      const config = loadConfig();
      const storage = complianceStorage(config);
      await storage.checkReachable();
      await openComplianceStore(config, storage);
      const host = await startLocalHost({ port: options.port });
      // Listening for Ctrl-C before saying where the host is: a signal right after the lines closes it too.
      const interrupted = untilInterrupted();
      for (const line of describeEndpoints(host)) process.stderr.write(`${line}\n`);
      await interrupted;
      await host.close();
    });
}
