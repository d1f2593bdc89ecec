import type { ClusterId } from '../domain/clusterId.js';
import type { AlertLevel, AlertState } from '../domain/alertDecision.js';
import type { ClusterAlertMessage } from './alertMessage.js';

/**
 * What alerting reads and writes through: the outbox (store/alertOutbox.ts implements it in Table
 * Storage). Each cluster's alert state, and each notification recorded, with a delivery per channel,
 * before anything is sent.
 */

/** A cluster's alert state as recorded, with what the next write is conditional on. */
export interface RecordedAlertState extends AlertState {
  alertKey: string;
  cluster: ClusterId;
  updatedAt: Date;
  /** The row's ETag: the next write succeeds only if nobody wrote it meanwhile. */
  etag: string;
}

/** A notification to record with the state that says it, and the channels it is to be delivered to. */
export interface NotificationToRecord {
  message: ClusterAlertMessage;
  channels: readonly string[];
  /** The digest it belongs to, when many clusters changed at once (deliver.ts groups by it). */
  digest?: string;
}

export type DeliveryState = 'pending' | 'sent' | 'parked';

/** One notification's delivery to one channel. */
export interface Delivery {
  alertKey: string;
  notificationId: string;
  channel: string;
  state: DeliveryState;
  attempts: number;
  /** When it may be tried next; a claim moves it forward by the lease, so a sender that dies releases it. */
  nextAttemptAt: Date;
  lastError?: string;
  lastStatus?: number;
  sentAt?: Date;
  digest?: string;
  level: AlertLevel;
  createdAt: Date;
  etag: string;
}

/** What becomes of a delivery after an attempt. */
export type DeliveryUpdate =
  | { state: 'sent'; attempts: number; sentAt: Date; lastStatus: number }
  | { state: 'pending' | 'parked'; attempts: number; nextAttemptAt: Date; lastError: string; lastStatus?: number };

export interface AlertStates {
  stateOf(cluster: ClusterId): Promise<RecordedAlertState | undefined>;
  /**
   * Writes the new state, and the notification with its deliveries, all or nothing, on condition that
   * the state is still `previous` (absent: that there is none yet) and that the notification is not
   * recorded yet. `conflict`: someone else wrote first; read again and decide again.
   */
  commit(cluster: ClusterId, previous: RecordedAlertState | undefined, next: AlertState, notification?: NotificationToRecord): Promise<'written' | 'conflict'>;
  /** The open alerts of a subscription (to resolve those whose cluster a scan found deleted). */
  openIn(subscriptionId: string): Promise<RecordedAlertState[]>;
}

export interface DeliveryQueue {
  /** Every pending delivery of a channel (due or backing off): a channel sends one alert's notifications in order. */
  pending(channel: string): Promise<Delivery[]>;
  /** Takes a delivery for one attempt: moves its next attempt to `leaseUntil`, conditional on its ETag. Undefined: another sender has it. */
  claim(delivery: Delivery, leaseUntil: Date): Promise<Delivery | undefined>;
  /** Records an attempt's outcome on a claimed delivery (conditional on the claim's ETag: false when the lease was lost). */
  settle(delivery: Delivery, update: DeliveryUpdate): Promise<boolean>;
  /** Parked deliveries: all of them, or those of one notification. */
  parked(notificationId?: string): Promise<Delivery[]>;
  /** Whether a newer notification of the delivery's alert was sent on its channel since (re-sending it would say something outdated). */
  supersededOnItsChannel(delivery: Delivery): Promise<boolean>;
  /** Makes a parked delivery pending and due at `now`, its attempts counted afresh (false: it changed meanwhile). */
  requeue(delivery: Delivery, now: Date): Promise<boolean>;
  /** The notification a delivery sends. */
  message(alertKey: string, notificationId: string): Promise<ClusterAlertMessage | undefined>;
}
