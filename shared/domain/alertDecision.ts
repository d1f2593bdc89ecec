import type { ClusterStatus } from './verdict.js';

/**
 * The alert of one cluster, decided the way Alertmanager's users expect (README, "Alerts"): it opens
 * when the cluster enters warning or violation, escalates when it worsens, reminds every
 * ALERT_REPEAT_HOURS while open, and resolves when the cluster is compliant again or deleted. A
 * rotation (started, failed twice, succeeded needing a kubeconfig refresh) is part of the same
 * conversation. Pure: the caller reads the state, asks, and writes the answer back conditionally.
 */
export type AlertLevel = 'warning' | 'violation';

/** The moments of an alert's conversation (shared/alerts/alertMessage.ts renders them). */
export type AlertTransition = 'opened' | 'escalated' | 'reminder' | 'resolved' | 'rotation_started' | 'rotation_failed_twice' | 'kubeconfig_refresh';

export interface AlertState {
  open: boolean;
  /** The level the alert was last raised at (kept after it resolves: a resolve carries it). */
  level?: AlertLevel;
  /**
   * How many times the alert opened. Each opening starts a new episode, and every notification of an
   * episode is named by it, so two scans deciding from the same state name the same notification.
   */
  episode: number;
  openedAt?: Date;
  /** When the conversation last said something: reminders count from here. */
  lastNotifiedAt?: Date;
  reminders: number;
  escalations: number;
  resolvedAt?: Date;
  /** The time of the newest verdict decided: an older one arriving late changes nothing. */
  lastVerdictAt?: Date;
}

export const NO_ALERT: AlertState = { open: false, episode: 0, reminders: 0, escalations: 0 };

/** What happened to a cluster: a verdict recorded, its deletion, or a step of a rotation (with the id of its history row). */
export type AlertInput =
  | { kind: 'verdict'; status: ClusterStatus; at: Date }
  | { kind: 'deleted'; at: Date }
  | { kind: 'rotation_started' | 'rotation_failed_twice' | 'kubeconfig_refresh'; eventId: string; at: Date };

export interface AlertSettings {
  /** ALERT_MIN_SEVERITY: below it a cluster is not alerting (a warning under `violation` resolves an open alert). */
  minLevel: AlertLevel;
  /** ALERT_REPEAT_HOURS, in milliseconds. */
  repeatMs: number;
}

export interface AlertNotice {
  transition: AlertTransition;
  level: AlertLevel;
  /** Deterministic within the cluster's alert: the same state and input always name the same notice. */
  name: string;
}

export interface AlertDecision {
  state: AlertState;
  /** What to tell on-call, if anything. */
  notice?: AlertNotice;
  /** Whether the state differs from the one decided from (then it is written back). */
  changed: boolean;
}

const RANK: Record<AlertLevel, number> = { warning: 1, violation: 2 };

/**
 * The level a status alerts at under the settings: `undefined` for unknown (nothing is known: an open
 * alert stays open, and reminds, but nothing opens or resolves on it), `none` when not alerting.
 */
export function alertLevelOf(status: ClusterStatus, minLevel: AlertLevel): AlertLevel | 'none' | undefined {
  if (status === 'unknown') return undefined;
  if (status === 'compliant' || RANK[status] < RANK[minLevel]) return 'none';
  return status;
}

export function decideAlert(previous: AlertState, input: AlertInput, settings: AlertSettings): AlertDecision {
  const unchanged: AlertDecision = { state: previous, changed: false };
  const say = (state: AlertState, transition: AlertTransition, level: AlertLevel, name: string): AlertDecision => ({
    state: { ...state, lastNotifiedAt: input.at },
    notice: { transition, level, name: `e${state.episode}.${name}` },
    changed: true,
  });

  switch (input.kind) {
    case 'deleted':
      return previous.open ? say({ ...previous, open: false, resolvedAt: input.at }, 'resolved', previous.level!, 'resolved') : unchanged;

    // News of a rotation joins an open alert's conversation. Without one there is no incident to join
    // (PagerDuty would open one that nothing resolves): the rotation orchestrator's trail still says it.
    case 'rotation_started':
    case 'kubeconfig_refresh':
      return previous.open ? say(previous, input.kind, previous.level!, `${input.kind}.${input.eventId}`) : unchanged;

    case 'rotation_failed_twice': {
      const opened = previous.open ? previous : open(previous, input.at);
      return say({ ...opened, level: 'violation' }, 'rotation_failed_twice', 'violation', `rotation_failed_twice.${input.eventId}`);
    }

    case 'verdict': {
      if (previous.lastVerdictAt && input.at < previous.lastVerdictAt) return unchanged;
      const level = alertLevelOf(input.status, settings.minLevel);
      // Nothing to say and nothing to remember: no write for the many clusters that are fine.
      if (!previous.open && level !== 'warning' && level !== 'violation') return unchanged;
      const state: AlertState = { ...previous, lastVerdictAt: input.at };
      if (level === 'none') return say({ ...state, open: false, resolvedAt: input.at }, 'resolved', previous.level!, 'resolved');
      if (!previous.open) return say({ ...open(state, input.at), level: level! }, 'opened', level!, 'opened');
      // Unknown keeps the level the alert has.
      const now = level ?? previous.level!;
      if (RANK[now] > RANK[previous.level!]) {
        const escalations = previous.escalations + 1;
        return say({ ...state, level: now, escalations }, 'escalated', now, `escalated${escalations}`);
      }
      const current: AlertState = { ...state, level: now };
      if (input.at.getTime() - previous.lastNotifiedAt!.getTime() >= settings.repeatMs) {
        const reminders = previous.reminders + 1;
        return say({ ...current, reminders }, 'reminder', current.level!, `reminder${reminders}`);
      }
      // Better but still alerting (violation -> warning) is remembered without a page, so that a later
      // worsening escalates again; the same level or unknown needs no write.
      return current.level === previous.level ? unchanged : { state: current, changed: true };
    }
  }
}

/** A new episode: what the notifications of this opening are named by. */
function open(state: AlertState, at: Date): AlertState {
  return { ...state, open: true, episode: state.episode + 1, openedAt: at, reminders: 0, escalations: 0, resolvedAt: undefined };
}
