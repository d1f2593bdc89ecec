import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * The per-pool `enableCustomCATrust` flag exists only in preview api versions, and the stable SDK
 * model drops it. ARM still returns it for clusters configured through a preview api, so
 * this pipeline policy reads it from the raw managed-cluster responses, every list page included,
 * and remembers which pools of which cluster have it set.
 */
export class PreviewPoolFlags {
  private readonly customCaTrustPools = new Map<string, Set<string>>();

  readonly policy: PipelinePolicy = {
    name: 'previewPoolFlags',
    sendRequest: async (request, next) => {
      const response = await next(request);
      if (response.status === 200 && /\/managedclusters(\/[^/?]+)?(\?|$)/i.test(new URL(request.url).pathname + '?')) {
        this.remember(response.bodyAsText);
      }
      return response;
    },
  };

  /** Names of the cluster's pools with `enableCustomCATrust: true`. */
  customCaTrustPoolsOf(clusterId: string): ReadonlySet<string> {
    return this.customCaTrustPools.get(clusterId.toLowerCase()) ?? new Set();
  }

  private remember(body: string | null | undefined): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body ?? '');
    } catch {
      return;
    }
    const clusters = Array.isArray((parsed as { value?: unknown }).value) ? (parsed as { value: unknown[] }).value : [parsed];
    for (const cluster of clusters as Array<{ id?: unknown; properties?: { agentPoolProfiles?: Array<{ name?: unknown; enableCustomCATrust?: unknown }> } }>) {
      if (typeof cluster?.id !== 'string') continue;
      const pools = (cluster.properties?.agentPoolProfiles ?? []).filter((p) => p.enableCustomCATrust === true && typeof p.name === 'string');
      if (pools.length > 0) this.customCaTrustPools.set(cluster.id.toLowerCase(), new Set(pools.map((p) => p.name as string)));
      else this.customCaTrustPools.delete(cluster.id.toLowerCase());
    }
  }
}
