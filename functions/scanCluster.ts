import { makeScanClusterHandler } from '../shared/handlers/scanCluster.js';
import { functions } from '../shared/host/functionRegistry.js';
import { QUEUES } from '../shared/queue/messages.js';
import { services } from '../shared/wiring/functionServices.js';

functions.storageQueue('scanCluster', {
  queueName: QUEUES.scanCluster,
  connection: 'COMPLIANCE_STORAGE',
  handler: makeScanClusterHandler({ scan: (scope) => services.scan(scope), rescans: () => services.rescans(), poison: () => services.queues() }),
});
