import { Counter, Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { CertificateFacts } from '../domain/certificate.js';
import { STATUSES } from '../domain/report.js';
import type { ClusterVerdict } from '../domain/verdict.js';
import { certificateLabels, CERTIFICATE_LABEL_NAMES } from './certificateLabels.js';

/** The exposition formats prom-client writes: Prometheus text 0.0.4 and OpenMetrics 1.0.0. */
export type ExpositionContentType = RegistryContentType;

/** The newest scan that ended, as ScanRuns recorded it (audit/scanRuns.ts `latestEndedScanRun`). */
export interface EndedScan {
  startedAt: Date;
  finishedAt: Date;
  succeeded: boolean;
}

/** What one scrape is computed from: the latest verdicts and the monitor's own figures, all read at scrape time. */
export interface FleetMetricsInput {
  verdicts: readonly ClusterVerdict[];
  now: Date;
  lastScan?: EndedScan;
  /** Absent when no alert outbox is wired: the gauge is then not exposed at all. */
  openAlerts?: number;
  /** Absent when no rotation orchestrator is wired: the gauge is then not exposed at all. */
  rotationsInFlight?: number;
}

/** Ours, on every certificate and source-error series: which cluster, and where the certificate was read. */
const CLUSTER_LABEL_NAMES = ['subscription_id', 'resource_group', 'cluster', 'source'] as const;
const CERTIFICATE_SERIES_LABELS = [...CERTIFICATE_LABEL_NAMES, ...CLUSTER_LABEL_NAMES];

type Labels = Record<string, string>;

/**
 * A fresh registry holding the fleet's metrics for one scrape. The certificate metrics carry the
 * x509-certificate-exporter's names and labels (its dashboards and alert rules read them unchanged);
 * the `akscert_*` ones are the monitor's own.
 */
export function fleetMetricsRegistry(input: FleetMetricsInput, contentType: ExpositionContentType): Registry<ExpositionContentType> {
  const registry = new Registry<ExpositionContentType>();
  registry.setContentType(contentType);
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: readonly string[] = []) => new Gauge({ name, help, labelNames, registers });

  const notAfter = gauge('x509_cert_not_after', 'Unix timestamp of the certificate\'s NotAfter (x509-certificate-exporter name)', CERTIFICATE_SERIES_LABELS);
  const notBefore = gauge('x509_cert_not_before', 'Unix timestamp of the certificate\'s NotBefore (x509-certificate-exporter name)', CERTIFICATE_SERIES_LABELS);
  const expired = gauge('x509_cert_expired', '1 when the certificate has expired (now > NotAfter), else 0 (x509-certificate-exporter name)', CERTIFICATE_SERIES_LABELS);
  const expiresIn = gauge('x509_cert_expires_in_seconds', 'Seconds until the certificate\'s NotAfter, negative once expired (x509-certificate-exporter name)', CERTIFICATE_SERIES_LABELS);
  for (const { labels, certificate } of certificateSeries(input.verdicts)) {
    const secondsLeft = (certificate.notAfter.getTime() - input.now.getTime()) / 1000;
    notAfter.set(labels, unixSeconds(certificate.notAfter));
    notBefore.set(labels, unixSeconds(certificate.notBefore));
    expired.set(labels, secondsLeft < 0 ? 1 : 0);
    expiresIn.set(labels, secondsLeft);
  }

  const sourceErrors = new Counter({
    name: 'x509_source_errors_total',
    help: 'Certificate sources the latest verdict of the cluster could not read, by reason word (docs/rules.md CERT_SOURCE_UNAVAILABLE)',
    labelNames: [...CLUSTER_LABEL_NAMES, 'reason'],
    registers,
  });
  for (const verdict of input.verdicts) {
    for (const finding of verdict.findings) {
      if (finding.code !== 'CERT_SOURCE_UNAVAILABLE') continue;
      sourceErrors.inc({ ...clusterLabels(verdict, finding.source ?? 'cluster'), reason: finding.reason ?? 'error' });
    }
  }

  const status = gauge('akscert_cluster_status', 'Clusters whose latest verdict has this status', ['status']);
  for (const name of STATUSES) status.set({ status: name }, input.verdicts.filter((v) => v.status === name).length);

  if (input.lastScan) {
    const { startedAt, finishedAt, succeeded } = input.lastScan;
    gauge('akscert_last_scan_timestamp_seconds', 'Unix timestamp at which the newest scan that ended finished').set(unixSeconds(finishedAt));
    gauge('akscert_last_scan_duration_seconds', 'How long the newest scan that ended ran').set((finishedAt.getTime() - startedAt.getTime()) / 1000);
    gauge('akscert_last_scan_success', '1 when the newest scan that ended recorded every verdict, 0 when it failed').set(succeeded ? 1 : 0);
  }
  if (input.openAlerts !== undefined) gauge('akscert_alerts_open', 'Alerts open: one per cluster in warning or violation until it resolves').set(input.openAlerts);
  if (input.rotationsInFlight !== undefined) gauge('akscert_rotations_in_flight', 'Certificate rotations started and not yet finished').set(input.rotationsInFlight);
  return registry;
}

/**
 * One series per certificate per cluster and source. A label set that repeats (the same certificate
 * twice in one source, as a custom CA bundle may hold it) is one series: the earliest NotAfter of the
 * repeats, the one an alert must not miss.
 */
export function certificateSeries(verdicts: readonly ClusterVerdict[]): { labels: Labels; certificate: CertificateFacts }[] {
  const series = new Map<string, { labels: Labels; certificate: CertificateFacts }>();
  for (const verdict of verdicts) {
    for (const certificate of verdict.certificates) {
      const labels: Labels = { ...certificateLabels(certificate), ...clusterLabels(verdict, certificate.source) };
      const key = JSON.stringify(CERTIFICATE_SERIES_LABELS.map((name) => labels[name]));
      const seen = series.get(key);
      if (!seen || certificate.notAfter < seen.certificate.notAfter) series.set(key, { labels, certificate });
    }
  }
  return [...series.values()];
}

function clusterLabels(verdict: ClusterVerdict, source: string): Labels {
  return { subscription_id: verdict.subscriptionId, resource_group: verdict.resourceGroup, cluster: verdict.name, source };
}

const unixSeconds = (date: Date) => date.getTime() / 1000;
