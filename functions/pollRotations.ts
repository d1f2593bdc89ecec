import { makePollRotationsHandler } from '../shared/handlers/pollRotations.js';
import { functions } from '../shared/host/functionRegistry.js';
import { pollRotations } from '../shared/rotation/pollRotations.js';
import { services } from '../shared/wiring/functionServices.js';

functions.timer('pollRotations', {
  schedule: '0 * * * * *',
  handler: makePollRotationsHandler({ poll: async (log) => pollRotations({ ...(await services.rotation()), log }) }),
});
