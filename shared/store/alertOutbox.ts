import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { AlertState } from '../domain/alertDecision.js';
import type { ClusterId } from '../domain/clusterId.js';
import { isConflict, isNotFound, messageOf, StoredRowError, StoreError } from '../domain/errors.js';
import { FINDING_CODES } from '../domain/findings.js';
import type { ClusterAlertMessage } from '../alerts/alertMessage.js';
import { alertKeyOf } from '../alerts/composeMessage.js';
import type { AlertStates, Delivery, DeliveryQueue, DeliveryUpdate, NotificationToRecord, RecordedAlertState } from '../alerts/ports.js';
import { ensureTable } from './tableBatch.js';
import { subscriptionKey } from './tableKeys.js';

export const ALERT_OUTBOX_TABLE = 'AlertOutbox';

/**
 * The alerts' outbox in Table Storage: one partition per cluster's alert (its key), holding the
 * alert's state (row `state`), each notification it said (`n|<id>`) and that notification's delivery
 * to each channel (`d|<id>|<channel>`). A notification and its deliveries are written in the same
 * transaction as the state that says them, conditional on the state's ETag and on the notification
 * being new, so a notification exists exactly when its state does, and never twice.
 */
const STATE_ROW = 'state';
const notificationRow = (notificationId: string) => `n|${notificationId}`;
const deliveryRow = (notificationId: string, channel: string) => `d|${notificationId}|${channel}`;

/** Alert states as the CLI and the API list them. */
export type AlertListState = 'open' | 'resolved';

const date = z.union([z.date(), z.string()]).transform((value, context) => {
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) context.addIssue({ code: 'custom', message: 'is not a date' });
  return parsed;
});
const level = z.enum(['warning', 'violation']);

const stateRowSchema = z.object({
  partitionKey: z.string(),
  etag: z.string(),
  clusterId: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  name: z.string(),
  open: z.boolean(),
  level: level.optional(),
  episode: z.number().int().min(0),
  openedAt: date.optional(),
  lastNotifiedAt: date.optional(),
  reminders: z.number().int().min(0),
  escalations: z.number().int().min(0),
  resolvedAt: date.optional(),
  lastVerdictAt: date.optional(),
  updatedAt: date,
});

const deliveryRowSchema = z.object({
  partitionKey: z.string(),
  etag: z.string(),
  notificationId: z.string(),
  channel: z.string(),
  state: z.enum(['pending', 'sent', 'parked']),
  attempts: z.number().int().min(0),
  nextAttemptAt: date,
  lastError: z.string().optional(),
  lastStatus: z.number().int().optional(),
  sentAt: date.optional(),
  digest: z.string().optional(),
  level,
  createdAt: date,
});

const messageSchema = z.object({
  alertKey: z.string(),
  notificationId: z.string(),
  event: z.enum(['opened', 'escalated', 'reminder', 'resolved', 'rotation_started', 'rotation_failed_twice', 'kubeconfig_refresh', 'test']),
  severity: level,
  cluster: z.object({ id: z.string(), subscriptionId: z.string(), resourceGroup: z.string(), name: z.string() }),
  worstFinding: z.object({ code: z.enum(FINDING_CODES), message: z.string(), certificateSource: z.string().optional() }).optional(),
  daysLeft: z.number().optional(),
  fixCommand: z.string().optional(),
  dashboardUrl: z.string().optional(),
  occurredAt: date,
  scanId: z.string().optional(),
});

/** A property bag without its undefined values (the SDK would send them as nulls). */
function defined<T extends Record<string, unknown>>(entity: T): T {
  return Object.fromEntries(Object.entries(entity).filter(([, value]) => value !== undefined)) as T;
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, what: string): T {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new StoredRowError(`the ${what} row ${(row as TableEntity).partitionKey}/${(row as TableEntity).rowKey} of ${ALERT_OUTBOX_TABLE} is not one this program writes: ${String(issue.path[0] ?? '')}: ${issue.message}`);
}

export class AlertOutbox implements AlertStates, DeliveryQueue {
  private constructor(private readonly table: TableClient) {}

  /** The outbox over its table, created when missing; `where` names the account in the error (no secret). */
  static async open(table: TableClient, where = 'the storage account'): Promise<AlertOutbox> {
    try {
      await ensureTable(table);
    } catch (error) {
      throw new StoreError(`cannot reach the ${ALERT_OUTBOX_TABLE} table at ${where}: ${messageOf(error)}`, { cause: error });
    }
    return new AlertOutbox(table);
  }

  /** The outbox for reading only (`akscert alerts`, `GET /api/alerts`): nothing is created; no table reads as no alerts. */
  static reading(table: TableClient): AlertOutbox {
    return new AlertOutbox(table);
  }

  async stateOf(cluster: ClusterId, alertKey = alertKeyFor(cluster)): Promise<RecordedAlertState | undefined> {
    try {
      return stateOfRow(await this.table.getEntity(alertKey, STATE_ROW));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw wrap(`could not read the alert state of ${cluster.id}`, error);
    }
  }

  async commit(cluster: ClusterId, previous: RecordedAlertState | undefined, next: AlertState, notification?: NotificationToRecord): Promise<'written' | 'conflict'> {
    const partitionKey = alertKeyFor(cluster);
    const now = new Date();
    const state = defined({
      partitionKey, rowKey: STATE_ROW, kind: 'state',
      clusterId: cluster.id, subscriptionId: cluster.subscriptionId, subscription: subscriptionKey(cluster.subscriptionId),
      resourceGroup: cluster.resourceGroup, name: cluster.name,
      open: next.open, level: next.level, episode: next.episode, openedAt: next.openedAt, lastNotifiedAt: next.lastNotifiedAt,
      reminders: next.reminders, escalations: next.escalations, resolvedAt: next.resolvedAt, lastVerdictAt: next.lastVerdictAt, updatedAt: now,
    });
    const actions: TransactionAction[] = [previous ? ['update', state, 'Replace', { etag: previous.etag }] : ['create', state]];
    if (notification) {
      const { message, digest } = notification;
      actions.push(['create', defined({
        partitionKey, rowKey: notificationRow(message.notificationId), kind: 'notification', notificationId: message.notificationId,
        event: message.event, level: message.severity, clusterId: cluster.id, messageJson: JSON.stringify(message), digest, createdAt: now,
      })]);
      for (const channel of notification.channels) {
        actions.push(['create', defined({
          partitionKey, rowKey: deliveryRow(message.notificationId, channel), kind: 'delivery', notificationId: message.notificationId, channel,
          // Due from the moment it was said (by the decider's clock, the scan's start): the next delivery sends it.
          state: 'pending', attempts: 0, nextAttemptAt: message.occurredAt, digest, level: message.severity, createdAt: now,
        })]);
      }
    }
    try {
      await this.table.submitTransaction(actions);
      return 'written';
    } catch (error) {
      if (isConflict(error)) return 'conflict';
      throw wrap(`could not record the alert of ${cluster.id}`, error);
    }
  }

  async openIn(subscriptionId: string): Promise<RecordedAlertState[]> {
    return this.states(odata`RowKey eq ${STATE_ROW} and subscription eq ${subscriptionKey(subscriptionId)} and open eq true`);
  }

  /** Every alert, or those open or resolved. */
  async list(state?: AlertListState): Promise<RecordedAlertState[]> {
    const filter = state === undefined ? odata`RowKey eq ${STATE_ROW}` : odata`RowKey eq ${STATE_ROW} and open eq ${state === 'open'}`;
    return this.states(filter);
  }

  /** How many alerts are open now (a metric). */
  async openCount(): Promise<number> {
    let count = 0;
    try {
      for await (const _ of this.table.listEntities({ queryOptions: { filter: odata`RowKey eq ${STATE_ROW} and open eq true`, select: ['RowKey'] } })) count++;
    } catch (error) {
      if (isNotFound(error)) return 0;
      throw wrap('could not count the open alerts', error);
    }
    return count;
  }

  private async states(filter: string): Promise<RecordedAlertState[]> {
    const states: RecordedAlertState[] = [];
    try {
      for await (const row of this.table.listEntities({ queryOptions: { filter } })) states.push(stateOfRow(row));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw wrap('could not list the alerts', error);
    }
    return states;
  }

  async pending(channel: string): Promise<Delivery[]> {
    return this.deliveries(odata`kind eq 'delivery' and channel eq ${channel} and state eq 'pending'`);
  }

  /** Deliveries in a state (`parked`: what failed its retries), or of one notification. */
  async deliveriesIn(state: Delivery['state']): Promise<Delivery[]> {
    return this.deliveries(odata`kind eq 'delivery' and state eq ${state}`);
  }

  async parked(notificationId?: string): Promise<Delivery[]> {
    return notificationId === undefined
      ? this.deliveriesIn('parked')
      : this.deliveries(odata`kind eq 'delivery' and notificationId eq ${notificationId} and state eq 'parked'`);
  }

  async supersededOnItsChannel(delivery: Delivery): Promise<boolean> {
    const sent = await this.deliveries(odata`PartitionKey eq ${delivery.alertKey} and kind eq 'delivery' and channel eq ${delivery.channel} and state eq 'sent'`);
    return sent.some((other) => other.notificationId !== delivery.notificationId && other.createdAt > delivery.createdAt);
  }

  async deliveriesOf(notificationId: string): Promise<Delivery[]> {
    return this.deliveries(odata`kind eq 'delivery' and notificationId eq ${notificationId}`);
  }

  private async deliveries(filter: string): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    try {
      for await (const row of this.table.listEntities({ queryOptions: { filter } })) deliveries.push(deliveryOfRow(row));
    } catch (error) {
      if (isNotFound(error)) return [];
      throw wrap('could not read the alert deliveries', error);
    }
    return deliveries;
  }

  async claim(delivery: Delivery, leaseUntil: Date): Promise<Delivery | undefined> {
    try {
      const answer = await this.table.updateEntity(
        { partitionKey: delivery.alertKey, rowKey: deliveryRow(delivery.notificationId, delivery.channel), nextAttemptAt: leaseUntil },
        'Merge', { etag: delivery.etag },
      );
      return { ...delivery, nextAttemptAt: leaseUntil, etag: answer.etag! };
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return undefined;
      throw wrap(`could not claim notification ${delivery.notificationId} for ${delivery.channel}`, error);
    }
  }

  async settle(delivery: Delivery, update: DeliveryUpdate): Promise<boolean> {
    try {
      await this.table.updateEntity(
        defined({ partitionKey: delivery.alertKey, rowKey: deliveryRow(delivery.notificationId, delivery.channel), ...update }),
        'Merge', { etag: delivery.etag },
      );
      return true;
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return false;
      throw wrap(`could not record the delivery of notification ${delivery.notificationId} to ${delivery.channel}`, error);
    }
  }

  /** Makes a parked (or pending) delivery due now, its attempts counted afresh: `akscert alerts retry`. */
  async requeue(delivery: Delivery, now: Date): Promise<boolean> {
    try {
      await this.table.updateEntity(
        { partitionKey: delivery.alertKey, rowKey: deliveryRow(delivery.notificationId, delivery.channel), state: 'pending', attempts: 0, nextAttemptAt: now },
        'Merge', { etag: delivery.etag },
      );
      return true;
    } catch (error) {
      if (isConflict(error) || isNotFound(error)) return false;
      throw wrap(`could not requeue notification ${delivery.notificationId} for ${delivery.channel}`, error);
    }
  }

  async message(alertKey: string, notificationId: string): Promise<ClusterAlertMessage | undefined> {
    let row: TableEntity<{ messageJson: string }>;
    try {
      row = await this.table.getEntity(alertKey, notificationRow(notificationId));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw wrap(`could not read notification ${notificationId}`, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(row.messageJson);
    } catch {
      throw new StoredRowError(`the notification row ${alertKey}/${row.rowKey} of ${ALERT_OUTBOX_TABLE} holds no JSON message`);
    }
    return parseRow(messageSchema, json, 'notification') as ClusterAlertMessage;
  }
}

/** The partition of a cluster's alert: its key (alerts/composeMessage.ts). */
const alertKeyFor = (cluster: Pick<ClusterId, 'id'>) => alertKeyOf(cluster.id);

function stateOfRow(row: unknown): RecordedAlertState {
  const { partitionKey, etag, clusterId, subscriptionId, resourceGroup, name, ...state } = parseRow(stateRowSchema, row, 'alert state');
  return { alertKey: partitionKey, etag, cluster: { id: clusterId, subscriptionId, resourceGroup, name }, ...state };
}

function deliveryOfRow(row: unknown): Delivery {
  const { partitionKey, ...delivery } = parseRow(deliveryRowSchema, row, 'delivery');
  return { alertKey: partitionKey, ...delivery };
}

function wrap(what: string, error: unknown): StoreError {
  return new StoreError(`${what}: ${messageOf(error)}`, { cause: error });
}
