/**
 * The dashboard as a person sees it: Chromium (test/support/chromium.ts says which one), driven by
 * playwright-core, against the local host (`akscert serve`) serving the functions of functions/ over
 * a store filled by real scans of the demo fleet. JavaScript is off in the browser: every page must work without it.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { startAzurite, type RunningAzurite } from '../../../dev/azurite.js';
import { buildDemoFleet } from '../../../dev/demoFleet/index.js';
import { startLocalHost, type LocalHost } from '../../../shared/host/local/localHost.js';
import { DEFAULT_POLICY } from '../../../shared/domain/policy.js';
import { countByStatus } from '../../../shared/domain/report.js';
import { DAY_MS } from '../../../shared/domain/time.js';
import type { ClusterVerdict } from '../../../shared/domain/verdict.js';
import { runScan } from '../../../shared/scan/runScan.js';
import { ComplianceStore } from '../../../shared/store/complianceStore.js';
import { CHROMIUM_ARGS, testChromium } from '../../support/chromium.js';
import { apiServerProbeFor, azuriteTables, fleetReaderFor, simulatorFor, TEST_TOKEN } from '../../support/environment.js';

const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

let simulator: ArmSimulator;
let azurite: RunningAzurite;
let host: LocalHost;
let browser: BrowserContext;
let profile: string;
let keysDir: string;
let page: Page;
let latest: ClusterVerdict[];
const hostLog: string[] = [];

beforeAll(async () => {
  const { executablePath } = await testChromium(); // first: no browser, no point in the rest
  const fleet = await buildDemoFleet({ now });
  simulator = await simulatorFor(fleet);
  azurite = await startAzurite();
  const store = await ComplianceStore.open(azuriteTables(azurite.connectionString));
  // Three scans, a week apart, so the chart has a history to draw; the last one is the demo's own.
  for (const daysAgo of [14, 7, 0]) {
    const outcome = await runScan({ policy: DEFAULT_POLICY }, {
      fleet: fleetReaderFor(simulator), apiServerProbe: apiServerProbeFor(simulator), store, now: () => new Date(now.getTime() - daysAgo * DAY_MS),
    });
    expect(outcome.storeError).toBeUndefined();
    latest = outcome.report.clusters;
  }
  keysDir = await mkdtemp(join(tmpdir(), 'akscert-host-keys-'));
  host = await startLocalHost({
    port: 0,
    timers: false,
    log: (line) => hostLog.push(line),
    keysFile: join(keysDir, 'host-keys.json'),
    settings: { COMPLIANCE_STORAGE: azurite.connectionString, ARM_ENDPOINT: simulator.url, AZURE_STATIC_TOKEN: TEST_TOKEN },
  });
  profile = await mkdtemp(join(tmpdir(), 'akscert-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    javaScriptEnabled: false,
    viewport: { width: 1360, height: 900 },
    args: CHROMIUM_ARGS,
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  await mkdir(ARTIFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await host?.close();
  if (keysDir) await rm(keysDir, { recursive: true, force: true });
  await simulator?.close();
  await azurite?.stop();
});

/** A dashboard URL as `akscert serve` prints it: with the function key, which the dashboard carries on its links and form. */
const dashboard = (query = '') => `${host.url}/api/dashboard?${query ? `${query}&` : ''}code=${encodeURIComponent(host.keys.functionKey)}`;
const card = (label: string) => page.locator('ul.cards li', { hasText: label }).locator('.count');

describe('the dashboard in Chromium', () => {
  it('is closed without the function key', async () => {
    const response = await page.goto(`${host.url}/api/dashboard`);
    expect(response?.status()).toBe(401);
  });

  it('shows the fleet summary, the compliance chart and the violations first', async () => {
    const response = await page.goto(dashboard());
    expect(response?.status(), hostLog.join('\n')).toBe(200);
    await expect(page.title()).resolves.toBe('Fleet · AKS certificate compliance');

    const counts = countByStatus(latest);
    expect(await card('All clusters').textContent()).toBe(String(latest.length));
    for (const [label, status] of [['Violation', 'violation'], ['Warning', 'warning'], ['Unknown', 'unknown'], ['Compliant', 'compliant']] as const) {
      expect(await card(label).textContent(), label).toBe(String(counts[status]));
    }

    const chart = page.getByRole('img', { name: 'Clusters by status over time' });
    await chart.waitFor({ state: 'visible' });
    expect(await chart.locator('path').count()).toBe(4);
    expect(await page.locator('details table tbody tr').count()).toBeGreaterThanOrEqual(3);

    const violation = latest.find((v) => v.status === 'violation')!;
    const row = page.getByRole('row', { name: new RegExp(violation.name) });
    await row.waitFor({ state: 'visible' });
    expect(await row.getByText('Violation', { exact: true }).isVisible()).toBe(true);
    expect(await page.locator('table.clusters tbody tr').first().getAttribute('data-status')).toBe('violation');

    // What a person sees on opening the page: the summary, the chart and the first clusters.
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });
  });

  it('filters with the form, without JavaScript', async () => {
    await page.getByLabel('Status', { exact: true }).selectOption('warning');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=warning/);
    expect(new URL(page.url()).searchParams.get('code')).toBe(host.keys.functionKey);
    const statuses = await page.locator('table.clusters tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses.length).toBe(countByStatus(latest).warning);
    expect(new Set(statuses)).toEqual(new Set(['warning']));
  });

  it("opens a cluster's page with its certificates and its checked history", async () => {
    const violation = latest.find((v) => v.status === 'violation' && v.certificates.length > 0)!;
    await page.goto(dashboard('status=violation'));
    await page.getByRole('link', { name: violation.name, exact: true }).click();
    expect(new URL(page.url()).searchParams.get('code')).toBe(host.keys.functionKey);
    await page.getByRole('heading', { level: 1, name: new RegExp(violation.name) }).waitFor();
    expect(await page.getByText('The trail of this cluster is intact').isVisible()).toBe(true);
    expect(await page.getByRole('table', { name: /records, newest first/ }).locator('tbody tr').count()).toBe(3);
    expect(await page.getByRole('table', { name: /certificates read at the latest scan/ }).locator('tbody tr').count()).toBe(violation.certificates.length);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-cluster.png') });
  });

  it('links to the CSV export, which downloads with a header row', async () => {
    await page.goto(dashboard());
    const href = await page.getByRole('link', { name: 'Report (CSV)' }).getAttribute('href');
    const csv = await fetch(new URL(href!, host.url));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\r\n')).toHaveLength(latest.length + 2);
  });
});
