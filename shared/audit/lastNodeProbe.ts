import { z } from 'zod';
import type { ClusterId } from '../domain/clusterId.js';
import type { CertificateSource } from '../domain/certificate.js';
import { NODE_CERTIFICATE_SOURCES } from '../domain/nodeProbeOutput.js';
import type { CertificateEvidence, NodeProbeEvidence, UnavailableSource } from '../domain/verdict.js';
import type { ReadOnlyTable } from './auditTables.js';
import { clusterState } from './clusterStates.js';

/** The sources of the node probe's results: its certificates' and its own failures'. */
const NODE_PROBE_SOURCES = new Set<string>([...NODE_CERTIFICATE_SOURCES, 'node-probe']);

/** What a stored verdict says of its node probe: parsed here, at the boundary, a row being external input. */
const nodeProbeSchema = z.object({
  probedAt: z.coerce.date().refine((date) => !Number.isNaN(date.getTime())),
  pools: z.array(z.object({ pool: z.string(), bootstrapKubeconfig: z.boolean() })),
});

/**
 * The last node probe of a cluster, as its latest recorded verdict holds it (azure/nodeProbe.ts's
 * NodeProbeHistory): the node certificates, the node sources that could not be read (from its
 * CERT_SOURCE_UNAVAILABLE findings) and what the probe saw, dated when the probe read them. Undefined
 * when the latest verdict has no node probe (never probed, or the probe was off), or when what it
 * holds does not read as one: then the cluster is probed again.
 */
export class TrailNodeProbes {
  constructor(private readonly state: ReadOnlyTable) {}

  async lastNodeProbe(cluster: Pick<ClusterId, 'id' | 'subscriptionId'>): Promise<(CertificateEvidence & { nodeProbe: NodeProbeEvidence }) | undefined> {
    const verdict = await clusterState(this.state, cluster.subscriptionId, cluster.id);
    const nodeProbe = nodeProbeSchema.safeParse(verdict?.nodeProbe);
    if (!verdict || !nodeProbe.success) return undefined;
    const unavailable = verdict.findings
      .filter((f) => f.code === 'CERT_SOURCE_UNAVAILABLE' && f.source !== undefined && NODE_PROBE_SOURCES.has(f.source))
      .map((f): UnavailableSource => ({ source: f.source as CertificateSource | 'node-probe', reason: f.reason ?? 'error', message: f.message }));
    return { certificates: verdict.certificates.filter((c) => NODE_PROBE_SOURCES.has(c.source)), unavailable, nodeProbe: nodeProbe.data };
  }
}
