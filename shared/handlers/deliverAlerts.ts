import type { InvocationContext, Timer } from '@azure/functions';
import { describeAlertRound, type Alerting } from '../alerts/alerting.js';

export interface DeliverAlertsDependencies {
  /** Alerting, or undefined when no channel is configured. */
  alerting: () => Promise<Pick<Alerting, 'deliver'> | undefined>;
}

/** Every minute: send what the outbox still holds pending (retries due, and anything a crashed sender left). */
export function makeDeliverAlertsHandler(deps: DeliverAlertsDependencies) {
  return async (_timer: Timer, context: InvocationContext): Promise<void> => {
    const alerting = await deps.alerting();
    if (!alerting) return;
    const delivered = await alerting.deliver();
    if (delivered.some((d) => d.sent + d.failed + d.parked > 0)) context.log(describeAlertRound({ raised: [], delivered }));
  };
}
