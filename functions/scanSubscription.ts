import { makeScanSubscriptionHandler } from '../shared/handlers/scanSubscription.js';
import { functions } from '../shared/host/functionRegistry.js';
import { QUEUES } from '../shared/queue/messages.js';
import { remediate } from '../shared/rotation/remediate.js';
import { services } from '../shared/wiring/functionServices.js';

functions.storageQueue('scanSubscription', {
  queueName: QUEUES.scanSubscription,
  connection: 'COMPLIANCE_STORAGE',
  handler: makeScanSubscriptionHandler({
    scan: (scope) => services.scan(scope),
    poison: () => services.queues(),
    // The scheduled scan acts only when REMEDIATION=on (README "Rotation").
    ...(services.config.REMEDIATION === 'on' ? { remediate: async (verdicts) => remediate(verdicts, await services.rotation()) } : {}),
  }),
});
