import { makeScheduledScanHandler } from '../shared/handlers/scheduledScan.js';
import { functions } from '../shared/host/functionRegistry.js';
import { services } from '../shared/wiring/functionServices.js';

functions.timer('scheduledScan', {
  schedule: services.config.SCAN_SCHEDULE,
  handler: makeScheduledScanHandler({
    subscriptionIds: () => services.subscriptionIds(),
    enqueue: async (message) => (await services.queues()).sendScanSubscription(message),
  }),
});
