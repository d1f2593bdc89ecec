import { app } from '@azure/functions';
import { loadConfig } from '../shared/config.js';
import { makeScheduledScanHandler } from '../shared/handlers/scheduledScan.js';
import { scanFromConfig } from '../shared/scan/scanFromConfig.js';

const config = loadConfig();

app.timer('scheduledScan', {
  schedule: config.SCAN_SCHEDULE,
  handler: makeScheduledScanHandler({ scan: () => scanFromConfig(config) }),
});
