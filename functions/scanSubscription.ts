import { makeScanSubscriptionHandler } from '../shared/handlers/scanSubscription.js';
import { functions } from '../shared/host/functionRegistry.js';
import { QUEUES } from '../shared/queue/messages.js';
import { services } from '../shared/wiring/functionServices.js';

functions.storageQueue('scanSubscription', {
  queueName: QUEUES.scanSubscription,
  connection: 'COMPLIANCE_STORAGE',
  handler: makeScanSubscriptionHandler({
    scan: (scope) => services.scan(scope),
    poison: () => services.queues(),
    // Present only with REMEDIATION=on: the scheduled scan acts only then (README "Rotation").
    ...(services.remediate ? { remediate: services.remediate } : {}),
  }),
});
