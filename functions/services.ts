import { loadConfig } from '../shared/config.js';
import { createServices } from '../shared/services.js';

/** One set of services per Functions worker process, shared by every function registered in it. */
export const services = createServices(loadConfig());
