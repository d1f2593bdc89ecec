import pLimit from 'p-limit';
import { decideAlert, NO_ALERT, type AlertDecision, type AlertInput, type AlertSettings, type AlertTransition } from '../domain/alertDecision.js';
import type { ClusterId } from '../domain/clusterId.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { composeMessage, DIGEST_THRESHOLD } from './composeMessage.js';
import type { AlertStates, RecordedAlertState } from './ports.js';

/** Something that happened to one cluster, for its alert to decide on. */
export interface AlertSubject {
  cluster: ClusterId;
  input: AlertInput;
  /** The verdict recorded with it, which the message quotes (worst finding, days left, command). */
  verdict?: ClusterVerdict;
}

export interface RaiseOptions {
  channels: readonly string[];
  settings: AlertSettings;
  dashboardUrl?: string;
  /** Names the batch (a scan's id): its notifications share a digest when there are many. */
  batchId: string;
  scanId?: string;
}

export interface RaisedNotice {
  notificationId: string;
  cluster: ClusterId;
  transition: AlertTransition;
}

/** A decision that lost a race this many times in a row is left to the next scan (it decides again from what won). */
const MAX_RACES = 5;

/**
 * Decides each subject's alert from its recorded state and records what changed, each cluster in one
 * conditional write: the state and the notification it says, or neither. Two scans deciding from the
 * same state name the same notification (domain/alertDecision.ts), so whichever writes second
 * conflicts, reads what the first wrote, and decides again from it: nothing is said twice.
 *
 * When more than DIGEST_THRESHOLD notifications come of one batch, they are marked as one digest.
 */
export async function raiseAlerts(subjects: readonly AlertSubject[], outbox: AlertStates, options: RaiseOptions): Promise<RaisedNotice[]> {
  const slots = pLimit(16);
  const read = await Promise.all(subjects.map((subject) => slots(async () => ({ subject, previous: await outbox.stateOf(subject.cluster) }))));
  const decided = read.map(({ subject, previous }) => ({ subject, previous, decision: decideAlert(previous ?? NO_ALERT, subject.input, options.settings) }));
  const noticed = decided.filter((d) => d.decision.notice).length;
  const digest = noticed > DIGEST_THRESHOLD ? `digest-${options.batchId}` : undefined;

  const raised: RaisedNotice[] = [];
  await Promise.all(decided.map(({ subject, previous, decision }) => slots(async () => {
    let current: { previous: RecordedAlertState | undefined; decision: AlertDecision } = { previous, decision };
    for (let race = 0; race < MAX_RACES && current.decision.changed; race++) {
      const { notice } = current.decision;
      const message = notice && composeMessage({
        cluster: subject.cluster, notice, verdict: subject.verdict, occurredAt: subject.input.at, dashboardUrl: options.dashboardUrl, scanId: options.scanId,
      });
      const written = await outbox.commit(subject.cluster, current.previous, current.decision.state,
        message && { message, channels: options.channels, ...(digest ? { digest } : {}) });
      if (written === 'written') {
        if (message) raised.push({ notificationId: message.notificationId, cluster: subject.cluster, transition: notice!.transition });
        return;
      }
      const again = await outbox.stateOf(subject.cluster);
      current = { previous: again, decision: decideAlert(again ?? NO_ALERT, subject.input, options.settings) };
    }
  })));
  return raised;
}
