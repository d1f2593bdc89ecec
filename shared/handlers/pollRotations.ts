import type { InvocationContext, Timer } from '@azure/functions';
import type { PollOutcome } from '../rotation/pollRotations.js';

export interface PollRotationsDependencies {
  poll: (log: (line: string) => void) => Promise<PollOutcome[]>;
}

/** Every minute: move every rotation in flight on (rotation/pollRotations.ts), from whichever instance runs the timer. */
export function makePollRotationsHandler(deps: PollRotationsDependencies) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const outcomes = await deps.poll((line) => context.warn(line));
    for (const o of outcomes) context.log(`rotation of ${o.clusterId} (attempt ${o.attempt}): ${o.from} -> ${o.to}`);
  };
}
