import { describe, expect, it } from 'vitest';
import { rotationFailureOf, savedRotation } from '../../../shared/azure/rotationPollerState.js';
import { AksCertError } from '../../../shared/domain/errors.js';

const ARM = 'https://management.azure.com';
const CLUSTER = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-a/providers/Microsoft.ContainerService/managedClusters/aks-a';
const OPERATION = '2df6557e-401b-46c6-85c3-1952a5930674';

/** A serialized poller as core-lro 3 writes it after ARM accepted the POST. */
function serialized(config: Record<string, unknown> = {}): string {
  return JSON.stringify({
    state: {
      status: 'running',
      config: {
        metadata: { mode: 'OperationLocation' },
        operationLocation: `${ARM}/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.ContainerService/locations/westeurope/operations/${OPERATION}?api-version=2026-04-01`,
        resourceLocation: `${ARM}/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.ContainerService/locations/westeurope/operationresults/${OPERATION}?api-version=2026-04-01`,
        initialRequestUrl: `${ARM}${CLUSTER}/rotateClusterCertificates?api-version=2026-04-01`,
        requestMethod: 'POST',
        ...config,
      },
    },
  });
}

describe('savedRotation', () => {
  it('reads the operation id and the cluster from the saved poller', () => {
    const saved = savedRotation(serialized());
    expect(saved.operationId).toBe(OPERATION);
    expect(saved.cluster).toEqual({ id: CLUSTER, subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroup: 'rg-a', name: 'aks-a' });
    expect(() => saved.assertOrigin(ARM)).not.toThrow();
  });

  it('falls back to the request URL when ARM gave no operation URL', () => {
    expect(savedRotation(serialized({ operationLocation: undefined })).operationId).toBe('rotateClusterCertificates');
  });

  it.each(['operationLocation', 'resourceLocation', 'initialRequestUrl'])('refuses to poll when %s is on another host', (field) => {
    const saved = savedRotation(serialized({ [field]: `https://elsewhere.example${CLUSTER}/rotateClusterCertificates` }));
    expect(() => saved.assertOrigin(ARM)).toThrow(`it polls https://elsewhere.example, not the ARM endpoint ${ARM}`);
  });

  it.each([
    ['not JSON', 'not JSON'],
    [JSON.stringify({ state: { config: {} } }), '"state.config.initialRequestUrl"'],
    [serialized({ initialRequestUrl: `${ARM}${CLUSTER}/stop?api-version=1` }), 'its request is no rotateClusterCertificates'],
    [serialized({ initialRequestUrl: `${ARM}${CLUSTER}?api-version=1` }), 'its request is no rotateClusterCertificates'],
    [serialized({ initialRequestUrl: `${ARM}/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/rotateClusterCertificates` }), 'its request is no rotateClusterCertificates'],
  ])('refuses what is no saved rotation (%s)', (text, detail) => {
    const read = () => savedRotation(text);
    expect(read).toThrow(AksCertError);
    expect(read).toThrow(`not a saved rotateClusterCertificates operation: ${detail}`);
  });
});

describe('rotationFailureOf', () => {
  it('reads the code and message core-lro puts into its error', () => {
    expect(rotationFailureOf(new Error("The long-running operation has failed. ReconcileVMSSAgentPoolFailed. Agent pool 'apps' failed. Retry later."))).toEqual({
      code: 'ReconcileVMSSAgentPoolFailed',
      message: "Agent pool 'apps' failed. Retry later.",
    });
  });

  it('says when ARM gave no error', () => {
    expect(rotationFailureOf(new Error('The long-running operation has failed'))).toEqual({ code: 'OperationFailed', message: 'The long-running operation has failed' });
    expect(rotationFailureOf(undefined)).toEqual({ code: 'OperationFailed', message: 'The operation failed without an error from Resource Manager.' });
  });
});
