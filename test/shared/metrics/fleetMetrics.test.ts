import { X509Certificate } from 'node:crypto';
import { Registry } from 'prom-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateFactsFromDer, type CertificateFacts, type CertificateSource } from '../../../shared/domain/certificate.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import type { ClusterStatus, ClusterVerdict } from '../../../shared/domain/verdict.js';
import { fleetMetricsRegistry, type ExpositionContentType, type FleetMetricsInput } from '../../../shared/metrics/fleetMetrics.js';
import { realCertificate } from '../../support/certificates.js';
import { parseExposition, promtool, type Sample } from '../../support/promtool.js';

const now = new Date('2026-03-01T12:00:00Z');
const SUBSCRIPTION = '0a0a0a0a-0000-4000-8000-00000000000a';
/** A subject whose CN holds every character a label value must escape: a quote, a backslash, a comma. */
const AWKWARD_SUBJECT = 'CN=Contoso \\"Prod\\" CA\\\\West\\, EU, OU=Platform, O=Contoso, C=FR';

let client: CertificateFacts;
let apiserver: CertificateFacts;
let expiredCa: CertificateFacts;
let clientSerialDecimal: string;

async function facts(source: CertificateSource, notBefore: Date, notAfter: Date, subject?: string): Promise<{ facts: CertificateFacts; der: Uint8Array }> {
  const issued = await realCertificate(notBefore, notAfter, subject);
  return { facts: certificateFactsFromDer(issued.der, source), der: issued.der };
}

beforeAll(async () => {
  const issued = await facts('client', new Date(now.getTime() - 300 * DAY_MS), new Date(now.getTime() + 10 * DAY_MS));
  client = issued.facts;
  clientSerialDecimal = BigInt(`0x${new X509Certificate(issued.der).serialNumber}`).toString(10);
  apiserver = (await facts('apiserver', new Date(now.getTime() - 30 * DAY_MS), new Date(now.getTime() + 700 * DAY_MS), AWKWARD_SUBJECT)).facts;
  expiredCa = (await facts('custom-ca', new Date('2020-01-01T00:00:00Z'), new Date(now.getTime() - 2 * DAY_MS), 'CN=old-ca')).facts;
});

function verdict(name: string, status: ClusterStatus, certificates: CertificateFacts[], resourceGroup = 'rg-prod'): ClusterVerdict {
  return {
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`,
    subscriptionId: SUBSCRIPTION, resourceGroup, name, location: 'westeurope', status,
    autoRotation: { eligible: true, reasons: [] }, certificates, findings: [], action: 'none',
  };
}

async function scrape(input: Partial<FleetMetricsInput>, contentType: ExpositionContentType = Registry.PROMETHEUS_CONTENT_TYPE): Promise<{ text: string; samples: Sample[] }> {
  const text = await fleetMetricsRegistry({ verdicts: [], now, ...input }, contentType).metrics();
  return { text, samples: parseExposition(text) };
}

const named = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

describe('the certificate metrics', () => {
  it('carry the x509-certificate-exporter\'s names and labels, and ours, one series per certificate', async () => {
    const { samples } = await scrape({ verdicts: [verdict('aks-prod', 'warning', [client, apiserver])] });
    const notAfter = named(samples, 'x509_cert_not_after');
    expect(notAfter).toHaveLength(2);
    expect(notAfter.find((s) => s.labels['source'] === 'client')).toEqual({
      name: 'x509_cert_not_after',
      labels: {
        serial_number: clientSerialDecimal,
        subject_C: '', subject_ST: '', subject_L: '', subject_O: 'system:masters', subject_OU: '', subject_CN: 'masterclient',
        issuer_C: '', issuer_ST: '', issuer_L: '', issuer_O: '', issuer_OU: '', issuer_CN: 'ca',
        subscription_id: SUBSCRIPTION, resource_group: 'rg-prod', cluster: 'aks-prod', source: 'client',
      },
      value: client.notAfter.getTime() / 1000,
    });
  });

  it('give NotBefore, NotAfter, whether expired and the seconds left as of the scrape', async () => {
    const { samples } = await scrape({ verdicts: [verdict('aks-prod', 'violation', [client, expiredCa])] });
    const of = (name: string, source: string) => named(samples, name).find((s) => s.labels['source'] === source)?.value;
    expect(of('x509_cert_not_before', 'client')).toBe(now.getTime() / 1000 - 300 * 86400);
    expect(of('x509_cert_not_after', 'client')).toBe(now.getTime() / 1000 + 10 * 86400);
    expect(of('x509_cert_expires_in_seconds', 'client')).toBe(10 * 86400);
    expect(of('x509_cert_expired', 'client')).toBe(0);
    expect(of('x509_cert_expires_in_seconds', 'custom-ca')).toBe(-2 * 86400);
    expect(of('x509_cert_expired', 'custom-ca')).toBe(1);
  });

  it('escapes label values so that a scraper reads back the subject exactly', async () => {
    const { text, samples } = await scrape({ verdicts: [verdict('aks-prod', 'compliant', [apiserver])] });
    expect(named(samples, 'x509_cert_not_after')[0]!.labels).toMatchObject({
      subject_CN: 'Contoso "Prod" CA\\West, EU', subject_OU: 'Platform', subject_O: 'Contoso', subject_C: 'FR',
    });
    expect(text).toContain('subject_CN="Contoso \\"Prod\\" CA\\\\West, EU"');
  });

  it('keeps one series for a certificate repeated in one source (the earliest expiry), and one per source and per cluster otherwise', async () => {
    const renewedLater = { ...client, notAfter: new Date(client.notAfter.getTime() + DAY_MS) };
    const asCustomCa = { ...client, source: 'custom-ca' as const };
    const { samples } = await scrape({
      verdicts: [verdict('aks-a', 'warning', [renewedLater, client, asCustomCa]), verdict('aks-a', 'warning', [client], 'rg-other')],
    });
    const series = named(samples, 'x509_cert_not_after').map((s) => `${s.labels['resource_group']}/${s.labels['cluster']}/${s.labels['source']}=${s.value}`);
    expect(series.sort()).toEqual([
      `rg-other/aks-a/client=${client.notAfter.getTime() / 1000}`,
      `rg-prod/aks-a/client=${client.notAfter.getTime() / 1000}`,
      `rg-prod/aks-a/custom-ca=${client.notAfter.getTime() / 1000}`,
    ]);
  });
});

describe('the source errors and the monitor\'s own metrics', () => {
  it('count the sources each cluster\'s latest verdict could not read, by source and reason word', async () => {
    const unreadable: ClusterVerdict = {
      ...verdict('aks-locked', 'unknown', []),
      findings: [
        { code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', message: 'Listing credentials was forbidden (HTTP 403).', source: 'kubeconfig', reason: 'forbidden' },
        { code: 'CERT_SOURCE_UNAVAILABLE', severity: 'info', message: 'The API server did not answer.', source: 'apiserver', reason: 'unreachable' },
        { code: 'CLUSTER_STOPPED', severity: 'info', message: 'The cluster is stopped.' },
      ],
    };
    const { samples } = await scrape({ verdicts: [unreadable, verdict('aks-prod', 'compliant', [client])] });
    expect(named(samples, 'x509_source_errors_total')).toEqual([
      { name: 'x509_source_errors_total', labels: { subscription_id: SUBSCRIPTION, resource_group: 'rg-prod', cluster: 'aks-locked', source: 'kubeconfig', reason: 'forbidden' }, value: 1 },
      { name: 'x509_source_errors_total', labels: { subscription_id: SUBSCRIPTION, resource_group: 'rg-prod', cluster: 'aks-locked', source: 'apiserver', reason: 'unreachable' }, value: 1 },
    ]);
  });

  it('count the clusters of each status, every status present even at zero', async () => {
    const { samples } = await scrape({ verdicts: [verdict('a', 'violation', []), verdict('b', 'violation', []), verdict('c', 'compliant', [])] });
    expect(Object.fromEntries(named(samples, 'akscert_cluster_status').map((s) => [s.labels['status'], s.value]))).toEqual({ violation: 2, warning: 0, unknown: 0, compliant: 1 });
  });

  it('give the newest ended scan\'s finish time, duration and outcome, and the open alerts and rotations when they are wired', async () => {
    const lastScan = { startedAt: new Date('2026-03-01T11:00:00Z'), finishedAt: new Date('2026-03-01T11:02:30Z'), succeeded: false };
    const { samples } = await scrape({ lastScan, openAlerts: 7, rotationsInFlight: 2 });
    const value = (name: string) => named(samples, name).map((s) => s.value);
    expect(value('akscert_last_scan_timestamp_seconds')).toEqual([Date.parse('2026-03-01T11:02:30Z') / 1000]);
    expect(value('akscert_last_scan_duration_seconds')).toEqual([150]);
    expect(value('akscert_last_scan_success')).toEqual([0]);
    expect(value('akscert_alerts_open')).toEqual([7]);
    expect(value('akscert_rotations_in_flight')).toEqual([2]);
  });

  it('leave out what is not known: no scan ended yet, no alert outbox or rotation orchestrator wired', async () => {
    const { text } = await scrape({});
    for (const name of ['akscert_last_scan_timestamp_seconds', 'akscert_last_scan_duration_seconds', 'akscert_last_scan_success', 'akscert_alerts_open', 'akscert_rotations_in_flight']) {
      expect(text).not.toContain(name);
    }
    expect(text).toContain('akscert_cluster_status{status="violation"} 0');
  });
});

describe('the exposition', () => {
  const fleet = () => ({
    verdicts: [
      verdict('aks-prod', 'violation', [client, apiserver, expiredCa]),
      { ...verdict('aks-locked', 'unknown', []), findings: [{ code: 'CERT_SOURCE_UNAVAILABLE' as const, severity: 'info' as const, message: 'forbidden', source: 'kubeconfig', reason: 'forbidden' as const }] },
    ],
    lastScan: { startedAt: new Date('2026-03-01T11:00:00Z'), finishedAt: new Date('2026-03-01T11:02:30Z'), succeeded: true },
    openAlerts: 1,
    rotationsInFlight: 0,
  });

  it('passes promtool check metrics in the Prometheus text format', async () => {
    const { text } = await scrape(fleet());
    const check = await promtool(['check', 'metrics'], text);
    expect(check, `${check.stdout}${check.stderr}`).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('writes the same samples as OpenMetrics 1.0.0, counters as a family without _total, ending with # EOF', async () => {
    const text = await scrape(fleet());
    const open = await scrape(fleet(), Registry.OPENMETRICS_CONTENT_TYPE);
    expect(open.samples).toEqual(text.samples);
    expect(open.text).toContain('# TYPE x509_source_errors counter\n');
    expect(open.text.endsWith('# EOF\n')).toBe(true);
  });
});
