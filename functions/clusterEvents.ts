import { makeClusterEventsHandler } from '../shared/handlers/clusterEvents.js';
import { functions } from '../shared/host/functionRegistry.js';
import { services } from '../shared/wiring/functionServices.js';

functions.eventGrid('clusterEvents', {
  handler: makeClusterEventsHandler({
    scope: services.config.AZURE_SUBSCRIPTION_IDS,
    store: () => services.store(),
    rescans: () => services.rescans(),
    fleet: services.fleet,
    alerts: () => services.alerting(),
  }),
});
