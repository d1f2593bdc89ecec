import type { HttpRequest } from '@azure/functions';
import { z } from 'zod';
import { CLUSTER_REF_HINT, parseClusterRef } from '../../domain/clusterId.js';
import { rotationView } from '../../report/rotationsReport.js';
import type { AuditApiDependencies } from './auditApiDependencies.js';
import { parameter, parseQuery } from './queryParameters.js';
import { answeringFailures, badRequest, jsonResponse } from './responses.js';

const STATES = ['requested', 'started', 'running', 'succeeded', 'failed', 'unverified'] as const;

/** `GET /api/rotations?state=S&subscription=ID&cluster=REF`: the rotations recorded, oldest first, as `akscert rotations --output json` prints them. */
export function makeRotationsHandler(deps: AuditApiDependencies) {
  return answeringFailures(async (request: HttpRequest) => {
    const query = parseQuery(request, {
      state: z.enum(STATES, { error: `must be one of ${STATES.join(', ')}` }).optional(),
      subscription: parameter.subscription.optional(),
      cluster: z.string().max(2000).optional(),
    });
    if (!query.ok) return badRequest(query.message);
    const { state, subscription, cluster: ref } = query.value;
    const cluster = ref === undefined ? undefined : parseClusterRef(ref);
    if (ref !== undefined && !cluster) return badRequest(`cluster: must name ${CLUSTER_REF_HINT}`);
    const records = deps.rotations
      ? await deps.rotations.list({ ...(state ? { state } : {}), ...(cluster ? { clusterId: cluster.id, subscriptionId: cluster.subscriptionId } : subscription ? { subscriptionId: subscription } : {}) })
      : [];
    return jsonResponse({ rotations: records.map(rotationView) });
  });
}
