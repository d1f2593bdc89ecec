import type { HttpRequest } from '@azure/functions';
import { listAlerts, type AlertReader } from '../../alerts/alertListing.js';
import { parameter, parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

export interface AlertsApiDependencies {
  /** The alert outbox, read only (store/alertOutbox.ts). */
  alerts: AlertReader;
}

/** `GET /api/alerts?state=open|resolved|parked`: each cluster's alert, or the parked notifications, as `{ items }`. */
export function makeAlertsHandler(deps: AlertsApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, { state: parameter.alertState.optional() });
    if (!query.ok) return badRequest(query.message);
    const listing = await listAlerts(deps.alerts, query.value.state);
    return jsonResponse({ items: listing.items });
  });
}
