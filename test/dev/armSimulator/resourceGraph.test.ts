/**
 * The simulator's Resource Graph, through the real @azure/arm-resourcegraph client (and raw HTTPS for
 * what the client would never send): the product's query answered with paging and quota headers, the
 * real error envelope for anything else, forbidden subscriptions hidden, the deny switch and the lag.
 */
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedFleet } from '../../../dev/armSimulator/fleet.js';
import type { ArmSimulator } from '../../../dev/armSimulator/server.js';
import { simulatorFor } from '../../support/environment.js';
import { clusterResource, credential, errorOf } from './simulatorKit.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const SUB_FORBIDDEN = '33333333-3333-3333-3333-333333333333';
const QUERY = "Resources | where type =~ 'microsoft.containerservice/managedclusters' | order by subscriptionId asc, id asc";

function fleet(): SimulatedFleet {
  const clusters = [
    ...Array.from({ length: 5 }, (_, i) => ({ subscriptionId: SUB_B, resource: clusterResource(SUB_B, 'rg-b', `b-${i}`), credentials: {} })),
    ...Array.from({ length: 3 }, (_, i) => ({ subscriptionId: SUB_A, resource: { ...clusterResource(SUB_A, 'RG-A', `a-${i}`), tags: { env: 'prod' } }, credentials: {} })),
    { subscriptionId: SUB_FORBIDDEN, resource: clusterResource(SUB_FORBIDDEN, 'rg-f', 'hidden'), credentials: {} },
  ];
  return {
    subscriptions: [
      { subscriptionId: SUB_A, displayName: 'a', tenantId: 't' },
      { subscriptionId: SUB_B, displayName: 'b', tenantId: 't' },
      { subscriptionId: SUB_FORBIDDEN, displayName: 'f', tenantId: 't', listError: { status: 403, code: 'AuthorizationFailed', message: 'no' } },
    ],
    clusters,
    secrets: [],
  };
}

let simulator: ArmSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(options: Parameters<typeof simulatorFor>[1] = {}) {
  simulator = await simulatorFor(fleet(), { throttle: false, ...options });
  const client = new ResourceGraphClient(credential, { endpoint: simulator.url, retryOptions: { maxRetries: 0 } });
  const responses: PipelineResponse[] = [];
  const query = (body: Parameters<ResourceGraphClient['resources']>[0]) => client.resources(body, { onResponse: (raw) => void responses.push(raw as unknown as PipelineResponse) });
  return { simulator, query, responses };
}

function post(sim: ArmSimulator, body: string, method = 'POST'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${sim.url}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, { method, headers: { authorization: 'Bearer raw', 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the simulated Resource Graph', () => {
  it('answers the managed clusters of the readable subscriptions, ordered by subscription and id, as the Resources table has them', async () => {
    const { query } = await start();
    const response = await query({ subscriptions: [SUB_B, SUB_A, SUB_FORBIDDEN], query: `${QUERY} | project id, subscriptionId, resourceGroup, type, tags, properties`, options: { resultFormat: 'objectArray' } });
    expect(response).toMatchObject({ totalRecords: 8, count: 8, resultTruncated: 'false', facets: [] });
    expect(response.skipToken).toBeUndefined();
    const rows = response.data as Array<Record<string, unknown>>;
    expect(rows.map((r) => r['subscriptionId'])).toEqual([...Array(3).fill(SUB_A), ...Array(5).fill(SUB_B)]);
    expect(rows.map((r) => String(r['id']).split('/').at(-1))).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2', 'b-3', 'b-4']);
    expect(Object.keys(rows[0]!)).toEqual(['id', 'subscriptionId', 'resourceGroup', 'type', 'tags', 'properties']);
    expect(rows[0]).toMatchObject({ resourceGroup: 'rg-a', type: 'microsoft.containerservice/managedclusters', tags: { env: 'prod' }, properties: { enableRBAC: true } });
    expect(rows[3]!['tags']).toEqual({});
  });

  it('pages by $skipToken, `top` rows at a time (100 without it, 1,000 at most)', async () => {
    const { query } = await start();
    const seen: string[] = [];
    let skipToken: string | undefined;
    const counts: number[] = [];
    do {
      const page = await query({ subscriptions: [SUB_A, SUB_B], query: QUERY, options: { top: 3, skipToken, resultFormat: 'objectArray' } });
      expect(page.totalRecords).toBe(8);
      counts.push(page.count);
      seen.push(...(page.data as Array<{ id: string }>).map((r) => r.id));
      skipToken = page.skipToken;
    } while (skipToken);
    expect(counts).toEqual([3, 3, 2]);
    expect(new Set(seen).size).toBe(8);
    expect((await query({ subscriptions: [SUB_A, SUB_B], query: QUERY })).count).toBe(8);
    expect(await errorOf(query({ subscriptions: [SUB_A], query: QUERY, options: { top: 1001 } }))).toMatchObject({ statusCode: 400 });
    expect(await errorOf(query({ subscriptions: [SUB_A], query: QUERY, options: { skipToken: 'forged' } }))).toMatchObject({ statusCode: 400 });
  });

  it('answers any other query 400 with the Resource Graph error envelope', async () => {
    const { simulator: sim, query } = await start();
    for (const other of ['Resources | project id', `${QUERY} | project id, secretColumn`, "Resources | where type =~ 'microsoft.compute/virtualmachines' | order by subscriptionId asc, id asc"]) {
      const failure = await errorOf(query({ subscriptions: [SUB_A], query: other }));
      expect(failure).toMatchObject({ statusCode: 400, code: 'BadRequest' });
    }
    const raw = await post(sim, JSON.stringify({ subscriptions: [SUB_A], query: 'Resources | take 1' }));
    expect(raw.status).toBe(400);
    expect(JSON.parse(raw.body)).toMatchObject({ error: { code: 'BadRequest', details: [{ code: 'InvalidQuery' }, { code: 'ParserFailure' }] } });
    expect((await post(sim, 'not json')).status).toBe(400);
    expect((await post(sim, '', 'GET')).status).toBe(405);
  });

  it('counts each caller\'s queries against its quota, says what is left and when it resets, and answers 429 past it', async () => {
    const { query, responses, simulator: sim } = await start({ resourceGraph: { quota: { requests: 2, windowMs: 60_000 } } });
    await query({ subscriptions: [SUB_A], query: QUERY });
    await query({ subscriptions: [SUB_A], query: QUERY });
    const throttled = await errorOf(query({ subscriptions: [SUB_A], query: QUERY }));
    expect(throttled).toMatchObject({ statusCode: 429, code: 'RateLimiting' });
    const quota = responses.map((r) => [r.status, r.headers.get('x-ms-user-quota-remaining'), r.headers.get('x-ms-user-quota-resets-after')]);
    expect(quota.map(([status, remaining]) => [status, remaining])).toEqual([[200, '1'], [200, '0'], [429, '0']]);
    for (const [, , resetsAfter] of quota) expect(resetsAfter).toMatch(/^00:01:00$|^00:00:[0-5]\d$/);
    // Another caller has its own quota.
    expect((await post(sim, JSON.stringify({ subscriptions: [SUB_A], query: QUERY }))).status).toBe(200);
  });

  it('denies every query when switched so, as a caller without Microsoft.ResourceGraph/resources/read', async () => {
    const { query, simulator: sim } = await start();
    sim.resourceGraph.configure({ denied: true });
    expect(await errorOf(query({ subscriptions: [SUB_A], query: QUERY }))).toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });
    sim.resourceGraph.configure({ denied: false });
    expect((await query({ subscriptions: [SUB_A], query: QUERY })).count).toBe(3);
  });

  it('lags ARM while frozen: it lists a cluster ARM deleted and not one ARM created, until it catches up', async () => {
    const { query, simulator: sim } = await start();
    sim.resourceGraph.freeze();
    const deleted = sim.fleet.clusters.findIndex((c) => c.resource.name === 'a-0');
    sim.fleet.clusters.splice(deleted, 1);
    sim.fleet.clusters.push({ subscriptionId: SUB_A, resource: clusterResource(SUB_A, 'rg-a', 'a-new'), credentials: {} });
    const names = async () => ((await query({ subscriptions: [SUB_A], query: QUERY })).data as Array<{ name: string }>).map((r) => r.name);
    expect(await names()).toEqual(['a-0', 'a-1', 'a-2']);
    sim.resourceGraph.thaw();
    expect(await names()).toEqual(['a-1', 'a-2', 'a-new']);
  });
});
