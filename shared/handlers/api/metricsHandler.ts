import type { HttpRequest } from '@azure/functions';
import { Registry } from 'prom-client';
import { allClusterStates } from '../../audit/clusterStates.js';
import { latestEndedScanRun } from '../../audit/scanRuns.js';
import { isInFlight } from '../../domain/rotationGuards.js';
import { fleetMetricsRegistry, type EndedScan, type ExpositionContentType } from '../../metrics/fleetMetrics.js';
import { nowOf, type AuditApiDependencies } from './auditApiDependencies.js';
import { answeringFailures, textResponse } from './responses.js';

/** The alert outbox, as the metrics need it: how many alerts are open now. */
export interface OpenAlertsCount {
  openAlerts(): Promise<number>;
}

/**
 * The audit API's tables, clock and rotation records, plus the open alerts' count; a gauge whose
 * source is absent (no rotation records, no outbox) is not exposed.
 */
export interface MetricsDependencies extends AuditApiDependencies {
  alerts?: OpenAlertsCount;
}

/**
 * `GET /api/metrics`: Prometheus text exposition 0.0.4, or OpenMetrics 1.0.0 when the Accept header
 * prefers it (as Prometheus's scraper does). Every scrape computes a fresh registry from the latest
 * verdicts and the newest ended scan: a Functions instance keeps nothing between invocations.
 */
export function makeMetricsHandler(deps: MetricsDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const now = nowOf(deps);
    const [verdicts, lastRun, openAlerts, rotationsInFlight] = await Promise.all([
      allClusterStates(deps.tables.state),
      latestEndedScanRun(deps.tables.scans, now),
      deps.alerts?.openAlerts(),
      deps.rotations?.list().then((records) => records.filter((r) => isInFlight(r.state)).length),
    ]);
    const lastScan: EndedScan | undefined =
      lastRun?.startedAt && lastRun.finishedAt ? { startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, succeeded: lastRun.state === 'succeeded' } : undefined;
    const contentType = negotiatedContentType(request.headers.get('accept'));
    const registry = fleetMetricsRegistry({ verdicts, now, lastScan, openAlerts, rotationsInFlight }, contentType);
    return textResponse(await registry.metrics(), contentType);
  });
}

/**
 * OpenMetrics when the Accept header ranks `application/openmetrics-text` (version 1.0.0, or none
 * given) at least as high as any text/plain it also accepts; the Prometheus text format otherwise,
 * which every scraper reads.
 */
export function negotiatedContentType(accept: string | null): ExpositionContentType {
  let openMetrics = 0;
  let text = 0;
  for (const range of (accept ?? '').split(',')) {
    const [type = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const parameter = (name: string) => parameters.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1);
    const q = Number(parameter('q') ?? '1');
    const quality = Number.isFinite(q) ? q : 0;
    if (type === 'application/openmetrics-text' && (parameter('version') ?? '1.0.0') === '1.0.0') openMetrics = Math.max(openMetrics, quality);
    if (type === 'text/plain') text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
}
