import { beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedCluster, SimulatedFleet } from '../../dev/armSimulator/fleet.js';
import { base64, createCaCertificate, generateKey } from '../../dev/certificates.js';
import { buildDemoFleet } from '../../dev/demoFleet/index.js';
import { certificatesOf, fleetAsOf, stoodAt } from '../../dev/fleetAsOf.js';

const DAY = 86_400_000;
const now = new Date();
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
let fleet: SimulatedFleet;
beforeAll(async () => {
  fleet = await buildDemoFleet({ now });
});

const cluster = (name: string): SimulatedCluster => fleet.clusters.find((c) => c.resource.name === name)!;
const names = (f: SimulatedFleet) => f.clusters.map((c) => c.resource.name);

describe('fleetAsOf', () => {
  it('keeps the same subscriptions and the same cluster objects (certificates, keys, tokens), without the expectations of now', () => {
    const past = fleetAsOf(fleet, daysAgo(14));
    expect(past.subscriptions).toBe(fleet.subscriptions);
    expect(past.clusters.length).toBeGreaterThan(40);
    for (const kept of past.clusters) {
      const original = fleet.clusters.find((c) => c.resource.id === kept.resource.id)!;
      expect(kept.resource).toBe(original.resource);
      expect(kept.credentials).toBe(original.credentials);
      expect(kept.apiServer).toBe(original.apiServer);
      expect(kept).not.toHaveProperty('expected');
    }
    expect(fleet.clusters.every((c) => c.expected)).toBe(true); // the built fleet is left as it was
  });

  it('leaves out a cluster created or rotated after the instant, and keeps it once its certificates were issued', () => {
    // Created 400 days ago, rotated 12 days ago: its certificates of 14 days ago were never built.
    expect(stoodAt(cluster('aks-search-stg-weu'), daysAgo(14))).toBe(false);
    expect(stoodAt(cluster('aks-search-stg-weu'), daysAgo(7))).toBe(true);
    // Rotated 5 days ago.
    expect(names(fleetAsOf(fleet, daysAgo(7)))).not.toContain('aks-mariner-sbx-neu');
    // Never rotated (400 days), and a cluster with no readable certificate at all (created 200 days ago).
    expect(names(fleetAsOf(fleet, daysAgo(14)))).toEqual(expect.arrayContaining(['aks-checkout-prod-eus2', 'aks-vault-prod-weu']));
  });

  it('reads every certificate a cluster serves: the CA and client certificate of each kubeconfig, the API server, custom CAs', () => {
    expect(certificatesOf(cluster('aks-checkout-prod-eus2'))).toHaveLength(3 + 3 + 1);
    expect(certificatesOf(cluster('aks-edge-prod-eus2'))).toHaveLength(3 + 3 + 1 + 2);
    expect(certificatesOf(cluster('aks-vault-prod-weu'))).toHaveLength(0);
    // A 700-day-old CA whose client certificate AKS renewed 116 days ago: the client certificate decides.
    expect(stoodAt(cluster('aks-orders-prod-weu'), daysAgo(117))).toBe(false);
    expect(stoodAt(cluster('aks-orders-prod-weu'), daysAgo(116))).toBe(true);
  });

  it('counts a certificate issued exactly at the instant as existing', () => {
    // Rotated exactly 14 days ago (to the second, rounded down).
    expect(stoodAt(cluster('aks-edge-prod-eus2'), daysAgo(14))).toBe(true);
    expect(stoodAt(cluster('aks-edge-prod-eus2'), daysAgo(14.001))).toBe(false);
  });

  it('leaves out a cluster whose client certificate is issued in the future (a skewed signer clock)', () => {
    expect(stoodAt(cluster('aks-timesync-stg-weu'), daysAgo(0))).toBe(false);
  });

  it('leaves out a cluster whose systemData.createdAt is after the instant, even with older certificates', () => {
    const original = cluster('aks-checkout-prod-eus2');
    const systemData = original.resource['systemData'] as Record<string, unknown>;
    const recreated = { ...original, resource: { ...original.resource, systemData: { ...systemData, createdAt: daysAgo(10).toISOString() } } };
    expect(stoodAt(original, daysAgo(14))).toBe(true);
    expect(stoodAt(recreated, daysAgo(14))).toBe(false);
    expect(stoodAt(recreated, daysAgo(7))).toBe(true);
  });

  it('leaves out a cluster trusting a custom CA issued after the instant; bytes that are no certificate rule nothing out', async () => {
    const original = cluster('aks-checkout-prod-eus2');
    const ca = await createCaCertificate({ key: await generateKey('ec'), subject: 'CN=New Partner CA', notBefore: daysAgo(3), notAfter: daysAgo(-300) });
    const withCustomCAs = (entries: string[]): SimulatedCluster => {
      const properties = original.resource['properties'] as Record<string, unknown>;
      return { ...original, resource: { ...original.resource, properties: { ...properties, securityProfile: { customCATrustCertificates: entries } } } };
    };
    expect(stoodAt(withCustomCAs([base64(ca.pem)]), daysAgo(7))).toBe(false);
    expect(stoodAt(withCustomCAs([base64(ca.der)]), daysAgo(7))).toBe(false);
    expect(stoodAt(withCustomCAs([base64(ca.pem)]), daysAgo(2))).toBe(true);
    expect(stoodAt(withCustomCAs([base64('no certificate'), base64(base64(ca.pem))]), daysAgo(7))).toBe(true);
  });
});
