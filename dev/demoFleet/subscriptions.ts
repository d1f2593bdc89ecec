/**
 * The demo tenant, the scanner's identity and the demo subscriptions: Contoso's three, whose
 * clusters the data files describe, and one whose cluster listing is forbidden.
 */
import type { SimulatedArmError, SimulatedSubscription } from '../armSimulator/fleet.js';

export const DEMO_TENANT_ID = '5c3b2a19-7d6e-4f8a-9b0c-1d2e3f4a5b6c';
/** The application the scanner runs as (used in the AuthorizationFailed messages). */
export const DEMO_SCANNER_CLIENT_ID = 'a3f9c2d1-5e6b-4f70-8a19-2c3d4e5f6a7b';
export const DEMO_SCANNER_OBJECT_ID = 'e7d6c5b4-a392-4817-b6f5-0e1d2c3b4a59';

export const DEMO_SUBSCRIPTIONS = {
  production: { subscriptionId: '0b6f4c2e-8d3a-4f1b-9c7e-5a2d1e6f8b34', displayName: 'Contoso Production' },
  staging: { subscriptionId: '7e1d9a3c-2b4f-4e8a-a6c5-3f9b0d2e7c18', displayName: 'Contoso Staging' },
  sandbox: { subscriptionId: 'c4a8e2f6-1d3b-4c9e-8f7a-6b5d4c3e2a10', displayName: 'Contoso Sandbox' },
  /** Its cluster listing answers 403 AuthorizationFailed: the scan must go on with the others. */
  forbidden: { subscriptionId: '9f3e7b1a-5c2d-4a6e-b8f9-0e1d2c3b4a57', displayName: 'Fabrikam Retail (acquired)' },
} as const;

/** The subscriptions that have clusters. */
export type SubscriptionKey = 'production' | 'staging' | 'sandbox';

/** ARM's 403 for the scanner's identity, worded as ARM words it. */
export function authorizationFailed(action: string, scope: string): SimulatedArmError {
  return {
    status: 403,
    code: 'AuthorizationFailed',
    message:
      `The client '${DEMO_SCANNER_CLIENT_ID}' with object id '${DEMO_SCANNER_OBJECT_ID}' does not have ` +
      `authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. ` +
      'If access was recently granted, please refresh your credentials.',
  };
}

export function demoSubscriptions(tenantId: string): SimulatedSubscription[] {
  const { production, staging, sandbox, forbidden } = DEMO_SUBSCRIPTIONS;
  return [
    { ...production, tenantId, state: 'Enabled' },
    { ...staging, tenantId, state: 'Enabled' },
    { ...sandbox, tenantId, state: 'Enabled' },
    {
      ...forbidden,
      tenantId,
      state: 'Enabled',
      listError: authorizationFailed(
        'Microsoft.ContainerService/managedClusters/read',
        `/subscriptions/${forbidden.subscriptionId}`,
      ),
    },
  ];
}
