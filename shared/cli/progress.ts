import { plural } from '../report/plural.js';
import type { ScanProgress } from '../scan/runScan.js';

/** Progress on stderr, only when it is a terminal: pipelines get clean output. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ((p: ScanProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  return (p) => {
    const total = p.subscriptionsTotal === undefined ? '' : ` of ${p.subscriptionsTotal}`;
    stream.write(`\r\x1b[2Kscanning: ${p.subscriptionsDone}${total} subscriptions done, ${plural(p.clustersJudged, 'cluster')} judged`);
  };
}

export function clearProgress(stream: NodeJS.WriteStream = process.stderr): void {
  if (stream.isTTY) stream.write('\r\x1b[2K');
}
