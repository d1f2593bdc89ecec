import { clusterRefOf } from '../domain/clusterId.js';

/**
 * Links between the dashboard's pages and to the API. With `authLevel: 'function'`, a browser that
 * reached the dashboard with `?code=<function key>` needs the key on every link and form too, so the
 * key (when present) is carried along.
 */
export interface LinkContext {
  /** The route prefix, `/api`. */
  base: string;
  functionKey?: string;
}

export function link(context: LinkContext, path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, String(value));
  if (context.functionKey) query.set('code', context.functionKey);
  const search = query.toString();
  return `${context.base}/${path}${search ? `?${search}` : ''}`;
}

export function clusterPageLink(context: LinkContext, clusterId: string): string {
  return link(context, `dashboard/clusters/${encodeURIComponent(clusterRefOf(clusterId))}`);
}

export function clusterHistoryLink(context: LinkContext, clusterId: string): string {
  return link(context, `clusters/${encodeURIComponent(clusterRefOf(clusterId))}/history`);
}
