/**
 * `GET /api/metrics` as Prometheus scrapes it: the local host (`akscert serve`) serving functions/
 * over a store filled by a real scan of the demo fleet, checked with Prometheus's own promtool, and
 * the x509-certificate-exporter's own alert rules evaluated by promtool on what the endpoint served.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../../dev/armSimulator/server.js';
import { startAzurite, type RunningAzurite } from '../../../../dev/azurite.js';
import { buildDemoFleet } from '../../../../dev/demoFleet/index.js';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy.js';
import { countByStatus, type ScanReport } from '../../../../shared/domain/report.js';
import { KEY_HEADER } from '../../../../shared/host/local/hostKeys.js';
import { startLocalHost, type LocalHost } from '../../../../shared/host/local/localHost.js';
import { runScan } from '../../../../shared/scan/runScan.js';
import { ComplianceStore } from '../../../../shared/store/complianceStore.js';
import { apiServerProbeFor, azuriteTables, fleetReaderFor, simulatorFor, TEST_TOKEN } from '../../../support/environment.js';
import { parseExposition, promtool, type Sample } from '../../../support/promtool.js';

const RULES = join(__dirname, '..', '..', '..', 'fixtures', 'x509-certificate-exporter.rules.yml');
/** What Prometheus 2.x sends when it scrapes. */
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const DAY_S = 86_400;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

let simulator: ArmSimulator;
let azurite: RunningAzurite;
let host: LocalHost;
let workDir: string;
let report: ScanReport;

beforeAll(async () => {
  simulator = await simulatorFor(await buildDemoFleet({ now }));
  azurite = await startAzurite();
  const store = await ComplianceStore.open(azuriteTables(azurite.connectionString));
  const outcome = await runScan({ policy: DEFAULT_POLICY }, { fleet: fleetReaderFor(simulator), apiServerProbe: apiServerProbeFor(simulator), store, now: () => now });
  expect(outcome.storeError).toBeUndefined();
  report = outcome.report;
  workDir = await mkdtemp(join(tmpdir(), 'akscert-metrics-'));
  host = await startLocalHost({
    port: 0,
    timers: false,
    log: () => undefined,
    keysFile: join(workDir, 'host-keys.json'),
    settings: { COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN },
  });
}, 60_000);

afterAll(async () => {
  await host?.close();
  await simulator?.close();
  await azurite?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const scrape = (headers: Record<string, string> = {}) => fetch(`${host.url}/api/metrics`, { headers: { [KEY_HEADER]: host.keys.functionKey, ...headers } });
const named = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);
const clusterOf = (labels: Record<string, string>) => report.clusters.find((c) => c.subscriptionId === labels['subscription_id'] && c.resourceGroup === labels['resource_group'] && c.name === labels['cluster']);

describe('GET /api/metrics', () => {
  it('is closed without the function key, like every function of the API', async () => {
    expect((await fetch(`${host.url}/api/metrics`)).status).toBe(401);
  });

  it('serves the Prometheus text format that promtool check metrics passes, computed from the recorded verdicts', async () => {
    const before = Date.now();
    const answer = await scrape();
    const after = Date.now();
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await answer.text();
    const check = await promtool(['check', 'metrics'], text);
    expect(check, `${check.stdout}${check.stderr}`).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const samples = parseExposition(text);
    const statuses = Object.fromEntries(named(samples, 'akscert_cluster_status').map((s) => [s.labels['status'], s.value]));
    expect(statuses).toEqual(countByStatus(report.clusters));
    expect(named(samples, 'akscert_last_scan_timestamp_seconds').map((s) => s.value)).toEqual([report.scan.finishedAt.getTime() / 1000]);
    expect(named(samples, 'akscert_last_scan_success').map((s) => s.value)).toEqual([1]);

    // Every recorded certificate is a series of its cluster and source, with its own dates.
    const notAfter = named(samples, 'x509_cert_not_after');
    const recorded = new Set(report.clusters.flatMap((c) => c.certificates.map((cert) => `${c.id}|${cert.source}|${cert.serialNumber}`)));
    expect(notAfter.length).toBe(recorded.size);
    for (const series of notAfter) {
      const cluster = clusterOf(series.labels)!;
      const certificate = cluster.certificates.find((c) => c.source === series.labels['source'] && BigInt(`0x${c.serialNumber}`).toString() === series.labels['serial_number']);
      expect(certificate, JSON.stringify(series.labels)).toBeDefined();
      expect(series.value).toBe(certificate!.notAfter.getTime() / 1000);
      const left = named(samples, 'x509_cert_expires_in_seconds').find((s) => JSON.stringify(s.labels) === JSON.stringify(series.labels))!.value;
      expect(left).toBeGreaterThanOrEqual((certificate!.notAfter.getTime() - after) / 1000);
      expect(left).toBeLessThanOrEqual((certificate!.notAfter.getTime() - before) / 1000);
    }
    // The clusters whose certificate sources could not be read, with the reason words of their findings.
    const unreadable = report.clusters.flatMap((c) => c.findings.filter((f) => f.code === 'CERT_SOURCE_UNAVAILABLE').map((f) => `${c.name}|${f.source}|${f.reason}`));
    expect(unreadable.length).toBeGreaterThan(0);
    expect(named(samples, 'x509_source_errors_total').map((s) => `${s.labels['cluster']}|${s.labels['source']}|${s.labels['reason']}`).sort()).toEqual(unreadable.sort());
  });

  it('serves OpenMetrics 1.0.0 with the same samples when the scraper asks for it, as Prometheus does', async () => {
    const [open, text] = await Promise.all([scrape({ accept: PROMETHEUS_ACCEPT }), scrape({ accept: 'text/plain;version=0.0.4' })]);
    expect(open.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const openText = await open.text();
    expect(openText.endsWith('# EOF\n')).toBe(true);
    // x509_cert_expires_in_seconds moves with the clock between the two scrapes; everything else is the same.
    const stable = (samples: Sample[]) => samples.filter((s) => s.name !== 'x509_cert_expires_in_seconds');
    expect(stable(parseExposition(openText))).toEqual(stable(parseExposition(await text.text())));
  });

  it('makes the exporter\'s CertificateRenewal (28 days) and CertificateExpiration (14 days) rules fire for the expiring clusters and no others', async () => {
    const samples = parseExposition(await (await scrape()).text());
    const notAfter = named(samples, 'x509_cert_not_after');
    // promtool's clock starts at 0: each NotAfter moves by the same amount, so that at the evaluation
    // time (30m, past the rules' `for: 15m`) time() stands where `now`, the scan's instant, stood.
    const evalSeconds = 30 * 60;
    const shift = evalSeconds - now.getTime() / 1000;
    const selector = (labels: Record<string, string>) => `x509_cert_not_after{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    const alertLabels = (labels: Record<string, string>, severity: string) => ({ ...Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== '')), severity });
    // What should fire, from the scan's own report (not from the endpoint): days left of each recorded certificate at `now`.
    const secondsLeft = (labels: Record<string, string>) => {
      const certificate = clusterOf(labels)!.certificates.find((c) => c.source === labels['source'] && BigInt(`0x${c.serialNumber}`).toString() === labels['serial_number'])!;
      return (certificate.notAfter.getTime() - now.getTime()) / 1000;
    };
    const renewal = notAfter.filter((s) => secondsLeft(s.labels) > 0 && secondsLeft(s.labels) < 28 * DAY_S);
    const expiration = notAfter.filter((s) => secondsLeft(s.labels) < 14 * DAY_S);
    const test = {
      rule_files: [RULES],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: notAfter.map((s) => ({ series: selector(s.labels), values: `${s.value + shift}+0x40` })),
        alert_rule_test: [
          { eval_time: '30m', alertname: 'CertificateRenewal', exp_alerts: renewal.map((s) => ({ exp_labels: alertLabels(s.labels, 'warning') })) },
          { eval_time: '30m', alertname: 'CertificateExpiration', exp_alerts: expiration.map((s) => ({ exp_labels: alertLabels(s.labels, 'critical') })) },
        ],
      }],
    };
    const file = join(workDir, 'rules.test.json');
    await writeFile(file, JSON.stringify(test)); // JSON is YAML
    const run = await promtool(['test', 'rules', file]);
    expect(run, `${run.stdout}${run.stderr}`).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('SUCCESS');

    // The demo's expiring clusters (dev/demoFleet/), and no others: within 28 days, custom CAs with 21
    // and 7 days left and client certificates with 4 and 20; within 14 days, the 7- and 4-day ones and
    // those expired (in 2023, and a custom CA whose NotAfter is exactly now), which CertificateRenewal
    // leaves to CertificateExpiration. aks-pki-sbx-weu-03's custom CA, exactly 30 days left, is in neither.
    // aks-fx-stg-weu (the upgrade/rotation deadlock's demo) has a client certificate with 5 days left: in both.
    const clusters = (series: Sample[]) => [...new Set(series.map((s) => s.labels['cluster']))].sort();
    expect(clusters(renewal)).toEqual(['aks-fx-stg-weu', 'aks-gateway-prod-weu', 'aks-ledger-prod-weu', 'aks-media-prod-ause', 'aks-pki-sbx-weu-02']);
    expect(clusters(expiration)).toEqual(['aks-crm-prod-neu', 'aks-fx-stg-weu', 'aks-ledger-prod-weu', 'aks-legacy-sbx-weu', 'aks-pki-sbx-weu-01', 'aks-pki-sbx-weu-02']);
  });
});
