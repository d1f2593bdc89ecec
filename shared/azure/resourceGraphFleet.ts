import { z } from 'zod';
import { SourceReadError } from '../domain/errors.js';
import type { DiscoveryPage, FleetDiscovery, SubscriptionClusters } from '../scan/ports.js';
import type { ArmClients } from './armClients.js';
import { sourceReadError } from './armErrors.js';
import { platformOf } from '../domain/clusterId.js';
import { wireClusterFacts } from './clusterFacts.js';
import { toConnectedClusterFacts } from './connectedClusterFacts.js';
import { DEFAULT_RETRY, withArmRetry, type RetryOptions } from './retry.js';

/**
 * Every managed cluster of the scope, and every AKS enabled by Azure Arc cluster (a connected cluster
 * of kind ProvisionedCluster), ordered so that each subscription's rows are contiguous (the scan knows
 * a subscription is complete when the rows move past it), with the columns the rules read in the ARM
 * wire shape. `id` is projected: Resource Graph pages only results that carry it.
 */
export const CLUSTER_QUERY =
  "Resources | where type =~ 'microsoft.containerservice/managedclusters' or (type =~ 'microsoft.kubernetes/connectedclusters' and kind =~ 'ProvisionedCluster')" +
  ' | order by subscriptionId asc, id asc | project id, name, type, kind, location, tags, subscriptionId, resourceGroup, systemData, properties';

/** Resource Graph's limits: at most 1,000 rows a page and 300 subscriptions a request (docs/rules.md). */
export const RESOURCE_GRAPH_LIMITS = { pageRows: 1000, subscriptionsPerRequest: 300 };

const responseSchema = z.object({
  data: z.array(z.unknown()),
  skipToken: z.string().min(1).optional(),
  resultTruncated: z.enum(['true', 'false']).optional(),
});

const rowSchema = z.object({ id: z.string().optional(), subscriptionId: z.string().optional() });

const OPERATION = 'querying Resource Graph';

/**
 * Discovers the clusters of many subscriptions through Azure Resource Graph, one query per 300
 * subscriptions, paged by `skipToken`. The rows are only candidates: Resource Graph lags Resource
 * Manager, so the scan re-reads from ARM whatever it would decide on a cluster's absence.
 */
export class ResourceGraphFleet implements FleetDiscovery {
  readonly name = 'resource-graph';

  constructor(
    private readonly clients: ArmClients,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
    private readonly limits = RESOURCE_GRAPH_LIMITS,
  ) {}

  async *discoverClusters(subscriptionIds: readonly string[]): AsyncIterable<DiscoveryPage> {
    for (let start = 0; start < subscriptionIds.length; start += this.limits.subscriptionsPerRequest) {
      yield* this.discoverBatch(subscriptionIds.slice(start, start + this.limits.subscriptionsPerRequest));
    }
  }

  private async *discoverBatch(batch: readonly string[]): AsyncIterable<DiscoveryPage> {
    // Subscription ids are compared case-insensitively; the pages name them as the scope spelt them.
    const spelling = new Map(batch.map((id) => [id.toLowerCase(), id]));
    const pending = new Set(spelling.keys());
    let current: string | undefined;
    let skipToken: string | undefined;
    do {
      const response = await this.query(batch, skipToken);
      const page: DiscoveryPage = { clusters: [], complete: [] };
      for (const row of response.data) {
        const subscription = subscriptionOf(row);
        if (subscription === undefined || subscription !== current) {
          if (subscription === undefined || !pending.has(subscription)) {
            throw new SourceReadError(`${OPERATION}: a row of subscription ${subscription ?? '(none)'} came outside its subscription's run of rows or outside the scope`, 'error', 'UnorderedResults');
          }
          if (current !== undefined) {
            pending.delete(current);
            page.complete.push(spelling.get(current)!);
          }
          current = subscription;
        }
        // A page may go on with the subscription the page before ended in: its share starts anew.
        const subscriptionId = spelling.get(subscription)!;
        if (page.clusters.at(-1)?.subscriptionId !== subscriptionId) page.clusters.push({ subscriptionId, clusters: [], invalid: [] });
        addRow(page.clusters.at(-1)!, row);
      }
      skipToken = response.skipToken;
      if (skipToken === undefined) page.complete.push(...[...pending].map((id) => spelling.get(id)!));
      yield page;
    } while (skipToken !== undefined);
  }

  private async query(subscriptions: readonly string[], skipToken: string | undefined): Promise<z.output<typeof responseSchema>> {
    const resourceGraph = this.clients.resourceGraph();
    let body: unknown;
    try {
      body = await withArmRetry(
        () => resourceGraph.resources({ subscriptions: [...subscriptions], query: CLUSTER_QUERY, options: { top: this.limits.pageRows, skipToken, resultFormat: 'objectArray' } }),
        this.retry,
      );
    } catch (error) {
      throw sourceReadError(OPERATION, error);
    }
    const parsed = responseSchema.safeParse(body);
    if (!parsed.success) throw new SourceReadError(`${OPERATION}: the answer is not a page of rows (${parsed.error.issues[0]?.message})`, 'error', 'InvalidResponse');
    // Truncated results cannot be paged: what is missing would look deleted.
    if (parsed.data.resultTruncated === 'true') throw new SourceReadError(`${OPERATION}: the results were truncated`, 'error', 'ResultTruncated');
    return parsed.data;
  }
}

/** The row's subscription, lower-cased: its column, else its id's. */
function subscriptionOf(row: unknown): string | undefined {
  const parsed = rowSchema.safeParse(row);
  if (!parsed.success) return undefined;
  const subscription = parsed.data.subscriptionId ?? /^\/subscriptions\/([^/]+)\//i.exec(parsed.data.id ?? '')?.[1];
  return subscription?.toLowerCase();
}

/** A row of either kind, by its id's platform: each read by its own parse, which the ARM listings share. */
function addRow(share: SubscriptionClusters, row: unknown): void {
  try {
    const id = (row as { id?: unknown }).id;
    share.clusters.push(typeof id === 'string' && platformOf({ id }) === 'aks-arc' ? toConnectedClusterFacts(row) : wireClusterFacts(row));
  } catch (error) {
    share.invalid.push({ id: String((row as { id?: unknown }).id ?? '(no id)'), message: (error as Error).message });
  }
}
