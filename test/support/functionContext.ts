import { InvocationContext } from '@azure/functions';

/** An InvocationContext that keeps its log lines (`level message`) for assertions. */
export function capturingContext(functionName: string, triggerMetadata?: Record<string, unknown>) {
  const lines: string[] = [];
  const context = new InvocationContext({
    functionName,
    triggerMetadata,
    logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(' ')}`),
  });
  return { context, lines, text: () => lines.join('\n') };
}
