import { makeDeliverAlertsHandler } from '../shared/handlers/deliverAlerts.js';
import { functions } from '../shared/host/functionRegistry.js';
import { services } from '../shared/wiring/functionServices.js';

functions.timer('deliverAlerts', {
  schedule: '0 * * * * *',
  handler: makeDeliverAlertsHandler({ alerting: () => services.alerting() }),
});
