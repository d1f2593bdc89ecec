/**
 * What kind of Resource Manager call a request the simulator answered was, for the benchmark's
 * "ARM calls by kind": the operation a reader of the table recognises (`az` terms where there are any).
 */
export function callKind(method: string, path: string): string {
  const p = path.toLowerCase().replace(/\/+$/, '');
  if (/\/providers\/microsoft\.resourcegraph\/resources$/.test(p)) return 'resource graph query';
  if (p === '/subscriptions') return 'list subscriptions';
  if (/^\/subscriptions\/[^/]+$/.test(p)) return 'get subscription';
  if (/\/managedclusters$/.test(p)) return 'list clusters (page)';
  if (/\/managedclusters\/[^/]+$/.test(p)) return method === 'GET' ? 'get cluster' : `${method} cluster`;
  const action = /\/managedclusters\/[^/]+\/([^/]+)$/.exec(p)?.[1];
  if (action) return method === 'POST' ? action.replace(/^listcluster(\w+)credential$/, 'credentials: $1') : `${method} ${action}`;
  const last = p.split('/').filter((s) => s && !/^[0-9a-f-]{36}$/.test(s)).at(-1) ?? p;
  return `${method} ${last}`;
}

/** Counts by kind, most frequent first. */
export function tallyCalls(requests: readonly { method: string; path: string }[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const kind = callKind(r.method, r.path);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
