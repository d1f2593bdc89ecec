import { z } from 'zod';
import { clusterOfResource, type ClusterId } from '../domain/clusterId.js';
import { AksCertError } from '../domain/errors.js';

/**
 * The parts of a serialized `rotateClusterCertificates` poller (@azure/core-lro 3: `{"state": {"config":
 * {...}}}`) that the adapter reads: where the operation is polled and which cluster it rotates.
 */
const pollerStateSchema = z.object({
  state: z.object({
    config: z.object({
      initialRequestUrl: z.url(),
      operationLocation: z.url().optional(),
      resourceLocation: z.url().optional(),
    }),
  }),
});

export interface SavedRotation {
  /** The last segment of the Azure-AsyncOperation (or Location) URL; of the request URL when ARM finished at once and gave none. */
  operationId: string;
  cluster: ClusterId;
  /** Throws unless every URL the poller will call is on `origin` (the ARM endpoint). */
  assertOrigin(origin: string): void;
}

function notAPollerState(detail: string): AksCertError {
  return new AksCertError(`not a saved rotateClusterCertificates operation: ${detail}`);
}

export function savedRotation(resumeFrom: string): SavedRotation {
  let json: unknown;
  try {
    json = JSON.parse(resumeFrom);
  } catch {
    throw notAPollerState('not JSON');
  }
  const parsed = pollerStateSchema.safeParse(json);
  if (!parsed.success) throw notAPollerState(`"${parsed.error.issues[0]?.path.join('.')}" ${parsed.error.issues[0]?.message}`);
  const { initialRequestUrl, operationLocation, resourceLocation } = parsed.data.state.config;
  const target = clusterOfResource(new URL(initialRequestUrl).pathname);
  if (!target || target.child?.toLowerCase() !== '/rotateclustercertificates') throw notAPollerState('its request is no rotateClusterCertificates');
  const polled = operationLocation ?? initialRequestUrl;
  return {
    operationId: new URL(polled).pathname.split('/').filter(Boolean).at(-1) ?? '',
    cluster: target.cluster,
    assertOrigin: (origin) => {
      for (const url of [initialRequestUrl, operationLocation, resourceLocation]) {
        if (url !== undefined && new URL(url).origin !== origin) throw notAPollerState(`it polls ${new URL(url).origin}, not the ARM endpoint ${origin}`);
      }
    },
  };
}

/**
 * ARM's error code and message of a failed operation. The SDK keeps them only in its error's message
 * (core-lro: "The long-running operation has failed. <code>. <message>"); without them ARM gave none.
 */
export function rotationFailureOf(error: Error | undefined): { code: string; message: string } {
  const match = /^The long-running operation has failed\. (\S+?)\. ([\s\S]*)$/.exec(error?.message ?? '');
  if (match) return { code: match[1]!, message: match[2]!.trim() };
  return { code: 'OperationFailed', message: error?.message ?? 'The operation failed without an error from Resource Manager.' };
}
