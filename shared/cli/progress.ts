import type { ScanProgress } from '../scan/runScan.js';

/** Progress on stderr, only when it is a terminal: pipelines get clean output. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ((p: ScanProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  return (p) => {
    const total = p.subscriptionsTotal === undefined ? '' : `/${p.subscriptionsTotal}`;
    stream.write(`\r\x1b[2Kscanning: ${p.subscriptionsDone}${total} subscriptions, ${p.clustersJudged} clusters judged`);
  };
}

export function clearProgress(stream: NodeJS.WriteStream = process.stderr): void {
  if (stream.isTTY) stream.write('\r\x1b[2K');
}
