import { InvocationContext, type LogLevel } from '@azure/functions';
import { randomUUID } from 'node:crypto';

export type HostLog = (line: string) => void;

/** An InvocationContext whose log lines go to the host's log, prefixed like the Functions host's. */
export function invocationContext(functionName: string, log: HostLog, triggerMetadata?: Record<string, unknown>): InvocationContext {
  const invocationId = randomUUID();
  return new InvocationContext({
    invocationId,
    functionName,
    triggerMetadata,
    logHandler: (level: LogLevel, ...args: unknown[]) => {
      if (level === 'trace' || level === 'debug') return;
      log(`[${new Date().toISOString()}] ${functionName} ${level}: ${args.map(String).join(' ')}`);
    },
  });
}
