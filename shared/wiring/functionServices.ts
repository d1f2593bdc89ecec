import { loadConfig } from '../config.js';
import { createServices } from './services.js';

/** One set of services per Functions worker process, shared by every function registered in it. */
export const services = createServices(loadConfig());
