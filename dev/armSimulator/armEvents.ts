/**
 * The events Azure Resource Manager publishes to a subscription's system topic
 * (`Microsoft.Resources.Subscriptions`) after a successful write, action or delete, in the Event Grid
 * schema and in CloudEvents 1.0, shaped like test/fixtures/events/resource_write_success.json and
 * @azure/eventgrid's ResourceActionSuccessEventData (which adds `httpRequest`).
 *
 * Real events carry the caller's `authorization` and token `claims` (names, UPN, IP address): a
 * consumer must never store them. The simulator fills them with a fixed, fake but realistic caller so
 * that tests can check that they do not end up in tables, logs or reports.
 */
import { createHash, randomUUID } from 'node:crypto';

/** What an event says about the request that caused it. */
export interface CallerRequest {
  /** `x-ms-correlation-request-id` of the request (ARM's answer carries the same). */
  correlationId: string;
  clientRequestId: string;
  clientIpAddress: string;
  method: string;
  url: string;
}

export type ResourceEventType =
  | 'Microsoft.Resources.ResourceWriteSuccess'
  | 'Microsoft.Resources.ResourceActionSuccess'
  | 'Microsoft.Resources.ResourceDeleteSuccess';

export interface ResourceEventFacts {
  type: ResourceEventType;
  subscriptionId: string;
  tenantId: string;
  resourceUri: string;
  /** e.g. `Microsoft.ContainerService/managedClusters/stop/action`. */
  operationName: string;
  request: CallerRequest;
}

export interface EventGridEvent {
  id: string;
  topic: string;
  subject: string;
  eventType: string;
  eventTime: string;
  data: Record<string, unknown>;
  dataVersion: string;
  metadataVersion: string;
}

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  subject: string;
  type: string;
  time: string;
  data: Record<string, unknown>;
}

/** The fake person behind every simulated operation (documentation IP range, contoso.com). */
const CALLER = {
  name: 'Alex Kim',
  givenName: 'Alex',
  surname: 'Kim',
  upn: 'alex.kim@contoso.com',
  objectId: '3f8e2b7c-1a4d-4c6e-9b2f-7d5a8c1e0f94',
  puid: '10032001A4B7C9D2',
  ipAddress: '203.0.113.24',
  /** The Azure CLI's application id: people rotate and stop clusters with `az aks`. */
  appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
};
/** Contributor, the built-in role that grants managedClusters actions. */
const CONTRIBUTOR_ROLE_ID = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

function hex32(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

function claimsFor(tenantId: string, now: Date): Record<string, string> {
  const issuedAt = Math.floor(now.getTime() / 1000) - 600;
  return {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: String(issuedAt),
    nbf: String(issuedAt),
    exp: String(issuedAt + 4_500),
    'http://schemas.microsoft.com/claims/authnclassreference': '1',
    aio: `AVQAq/8YAAAA${hex32(`${tenantId}#aio`)}`,
    'http://schemas.microsoft.com/claims/authnmethodsreferences': 'pwd,mfa',
    appid: CALLER.appId,
    appidacr: '0',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': CALLER.surname,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': CALLER.givenName,
    ipaddr: CALLER.ipAddress,
    name: CALLER.name,
    'http://schemas.microsoft.com/identity/claims/objectidentifier': CALLER.objectId,
    puid: CALLER.puid,
    rh: `0.AXkA${hex32(`${tenantId}#rh`)}.`,
    'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier': hex32(`${CALLER.objectId}#sub`),
    'http://schemas.microsoft.com/identity/claims/tenantid': tenantId,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': CALLER.upn,
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': CALLER.upn,
    uti: hex32(`${now.toISOString()}#uti`).slice(0, 22),
    ver: '1.0',
  };
}

/** `Microsoft.ContainerService/managedClusters/stop/action` -> `Microsoft.ContainerService`. */
function resourceProviderOf(operationName: string): string {
  return operationName.split('/')[0] ?? operationName;
}

/** A resource event in the Event Grid schema (the system topic's default). */
export function resourceEvent(facts: ResourceEventFacts, now: Date = new Date()): EventGridEvent {
  const topic = `/subscriptions/${facts.subscriptionId}`;
  return {
    id: randomUUID(),
    topic,
    subject: facts.resourceUri,
    eventType: facts.type,
    eventTime: now.toISOString(),
    data: {
      authorization: {
        scope: facts.resourceUri,
        action: facts.operationName,
        evidence: {
          role: 'Contributor',
          roleAssignmentScope: topic,
          roleAssignmentId: hex32(`${topic}#${CALLER.objectId}#assignment`),
          roleDefinitionId: CONTRIBUTOR_ROLE_ID.replace(/-/g, ''),
          principalId: CALLER.objectId.replace(/-/g, ''),
          principalType: 'User',
        },
      },
      claims: claimsFor(facts.tenantId, now),
      correlationId: facts.request.correlationId,
      httpRequest: {
        clientRequestId: facts.request.clientRequestId,
        clientIpAddress: facts.request.clientIpAddress,
        method: facts.request.method,
        url: facts.request.url,
      },
      resourceProvider: resourceProviderOf(facts.operationName),
      resourceUri: facts.resourceUri,
      operationName: facts.operationName,
      status: 'Succeeded',
      subscriptionId: facts.subscriptionId,
      tenantId: facts.tenantId,
    },
    dataVersion: '2',
    metadataVersion: '1',
  };
}

/** The same event as Event Grid delivers it to a subscription that asked for CloudEvents 1.0. */
export function toCloudEvent(event: EventGridEvent): CloudEvent {
  return {
    specversion: '1.0',
    id: event.id,
    source: event.topic,
    subject: event.subject,
    type: event.eventType,
    time: event.eventTime,
    data: event.data,
  };
}
