import { describe, expect, it } from 'vitest';
import { alertLevelOf, decideAlert, NO_ALERT, type AlertInput, type AlertSettings, type AlertState } from '../../../shared/domain/alertDecision.js';
import type { ClusterStatus } from '../../../shared/domain/verdict.js';

const HOUR = 3_600_000;
const t0 = new Date('2026-11-23T00:00:00Z');
const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);
const settings: AlertSettings = { minLevel: 'warning', repeatMs: 24 * HOUR };
const verdict = (status: ClusterStatus, hours = 0): AlertInput => ({ kind: 'verdict', status, at: at(hours) });

/** Feeds inputs one after another, as scans and rotations would, and collects what was said. */
function conversation(inputs: AlertInput[], options: AlertSettings = settings, from: AlertState = NO_ALERT) {
  let state = from;
  const said: string[] = [];
  for (const input of inputs) {
    const decision = decideAlert(state, input, options);
    if (decision.notice) said.push(`${decision.notice.name}:${decision.notice.level}`);
    state = decision.state;
  }
  return { state, said };
}

describe('decideAlert: one alert per cluster, as Alertmanager users expect', () => {
  it('opens when the cluster enters warning or violation, at that level, in a new episode', () => {
    for (const status of ['warning', 'violation'] as const) {
      const decision = decideAlert(NO_ALERT, verdict(status, 1), settings);
      expect(decision.notice).toEqual({ transition: 'opened', level: status, name: 'e1.opened' });
      expect(decision.changed).toBe(true);
      expect(decision.state).toEqual({
        open: true, level: status, episode: 1, openedAt: at(1), lastNotifiedAt: at(1), reminders: 0, escalations: 0, resolvedAt: undefined, lastVerdictAt: at(1),
      });
    }
  });

  it('says nothing and writes nothing for a compliant or unknown cluster without an open alert', () => {
    for (const status of ['compliant', 'unknown'] as const) {
      expect(decideAlert(NO_ALERT, verdict(status), settings)).toEqual({ state: NO_ALERT, changed: false });
    }
  });

  it('says nothing again while the cluster stays as it was, until a reminder is due', () => {
    const { said, state } = conversation([verdict('violation', 0), verdict('violation', 6), verdict('violation', 12), verdict('violation', 23.9)]);
    expect(said).toEqual(['e1.opened:violation']);
    expect(decideAlert(state, verdict('violation', 23.99), settings).changed).toBe(false);
  });

  it('reminds every ALERT_REPEAT_HOURS while open, counting from the last thing said', () => {
    const { said, state } = conversation([verdict('warning', 0), verdict('warning', 24), verdict('warning', 30), verdict('warning', 47.9), verdict('warning', 48)]);
    expect(said).toEqual(['e1.opened:warning', 'e1.reminder1:warning', 'e1.reminder2:warning']);
    expect(state).toMatchObject({ reminders: 2, lastNotifiedAt: at(48), open: true });
    const opened = conversation([verdict('warning', 0)]).state;
    expect(decideAlert(opened, verdict('warning', 24), settings).notice).toEqual({ transition: 'reminder', level: 'warning', name: 'e1.reminder1' });
    expect(conversation([verdict('warning', 0), verdict('warning', 2)], { ...settings, repeatMs: 2 * HOUR }).said).toEqual(['e1.opened:warning', 'e1.reminder1:warning']);
  });

  it('escalates when it worsens, and again after an improvement worsens once more; an improvement alone is not paged', () => {
    const { said, state } = conversation([verdict('warning', 0), verdict('violation', 1), verdict('warning', 2), verdict('violation', 3)]);
    expect(said).toEqual(['e1.opened:warning', 'e1.escalated1:violation', 'e1.escalated2:violation']);
    expect(state).toMatchObject({ level: 'violation', escalations: 2, lastNotifiedAt: at(3) });
    expect(decideAlert(conversation([verdict('warning', 0)]).state, verdict('violation', 1), settings).notice).toEqual({ transition: 'escalated', level: 'violation', name: 'e1.escalated1' });
    const improved = decideAlert(conversation([verdict('violation', 0)]).state, verdict('warning', 1), settings);
    expect(improved.notice).toBeUndefined();
    expect(improved.changed).toBe(true);
    expect(improved.state).toMatchObject({ level: 'warning', open: true, lastVerdictAt: at(1), lastNotifiedAt: at(0) });
  });

  it('resolves when compliant again, carrying the level it had, and opens a new episode next time', () => {
    const { said, state } = conversation([verdict('violation', 0), verdict('compliant', 5), verdict('compliant', 6), verdict('warning', 7), verdict('compliant', 8)]);
    expect(said).toEqual(['e1.opened:violation', 'e1.resolved:violation', 'e2.opened:warning', 'e2.resolved:warning']);
    expect(state).toMatchObject({ open: false, episode: 2, resolvedAt: at(8), level: 'warning' });
    const reopened = decideAlert(conversation([verdict('violation', 0), verdict('compliant', 5)]).state, verdict('warning', 7), settings);
    expect(reopened.state).toMatchObject({ open: true, episode: 2, reminders: 0, escalations: 0, openedAt: at(7), resolvedAt: undefined });
  });

  it('starts each episode with fresh reminder and escalation counts', () => {
    const { said } = conversation([verdict('warning', 0), verdict('violation', 1), verdict('violation', 25), verdict('compliant', 26), verdict('warning', 27), verdict('violation', 28), verdict('violation', 52)]);
    expect(said).toEqual(['e1.opened:warning', 'e1.escalated1:violation', 'e1.reminder1:violation', 'e1.resolved:violation', 'e2.opened:warning', 'e2.escalated1:violation', 'e2.reminder1:violation']);
  });

  it('keeps an open alert open on unknown (nothing is known), still reminding, and opens nothing on it', () => {
    const { said, state } = conversation([verdict('violation', 0), verdict('unknown', 1), verdict('unknown', 24)]);
    expect(said).toEqual(['e1.opened:violation', 'e1.reminder1:violation']);
    expect(state).toMatchObject({ open: true, level: 'violation' });
    expect(decideAlert(conversation([verdict('violation', 0)]).state, verdict('unknown', 1), settings).changed).toBe(false);
  });

  it('ignores a verdict older than the newest decided (a scan that started earlier finishing later)', () => {
    const { state } = conversation([verdict('violation', 0), verdict('compliant', 5)]);
    expect(decideAlert(state, verdict('violation', 4), settings)).toEqual({ state, changed: false });
    expect(decideAlert(state, verdict('violation', 5), settings).notice?.name).toBe('e2.opened');
  });

  describe('ALERT_MIN_SEVERITY', () => {
    const violationsOnly: AlertSettings = { ...settings, minLevel: 'violation' };

    it('opens nothing for a warning under `violation`, and resolves an open alert that improves to a warning', () => {
      expect(decideAlert(NO_ALERT, verdict('warning'), violationsOnly)).toEqual({ state: NO_ALERT, changed: false });
      expect(conversation([verdict('violation', 0), verdict('warning', 1)], violationsOnly).said).toEqual(['e1.opened:violation', 'e1.resolved:violation']);
    });

    it('reads each status as a level', () => {
      expect(alertLevelOf('warning', 'violation')).toBe('none');
      expect(alertLevelOf('warning', 'warning')).toBe('warning');
      expect(alertLevelOf('violation', 'violation')).toBe('violation');
      expect(alertLevelOf('compliant', 'warning')).toBe('none');
      expect(alertLevelOf('unknown', 'warning')).toBeUndefined();
    });
  });

  describe('deletion', () => {
    it('resolves an open alert', () => {
      const open = conversation([verdict('warning', 0)]).state;
      const decision = decideAlert(open, { kind: 'deleted', at: at(3) }, settings);
      expect(decision.notice).toEqual({ transition: 'resolved', level: 'warning', name: 'e1.resolved' });
      expect(decision.state).toMatchObject({ open: false, resolvedAt: at(3), lastNotifiedAt: at(3) });
    });

    it('says nothing of a cluster without an open alert', () => {
      const resolved = conversation([verdict('warning', 0), verdict('compliant', 1)]).state;
      expect(decideAlert(resolved, { kind: 'deleted', at: at(3) }, settings)).toEqual({ state: resolved, changed: false });
      expect(decideAlert(NO_ALERT, { kind: 'deleted', at: at(3) }, settings).changed).toBe(false);
    });
  });

  describe('rotation steps: part of the same conversation', () => {
    const open = () => conversation([verdict('violation', 0)]).state;

    it('a rotation started is said on an open alert, and resets the reminder clock; on none it says nothing', () => {
      const decision = decideAlert(open(), { kind: 'rotation_started', eventId: 'r1', at: at(20) }, settings);
      expect(decision.notice).toEqual({ transition: 'rotation_started', level: 'violation', name: 'e1.rotation_started.r1' });
      expect(decision.state).toMatchObject({ open: true, lastNotifiedAt: at(20) });
      expect(decideAlert(decision.state, verdict('violation', 30), settings).notice).toBeUndefined();
      expect(decideAlert(NO_ALERT, { kind: 'rotation_started', eventId: 'r1', at: at(20) }, settings)).toEqual({ state: NO_ALERT, changed: false });
    });

    it('a rotation that failed twice opens a violation when nothing was open, and raises an open warning to violation', () => {
      const opened = decideAlert(NO_ALERT, { kind: 'rotation_failed_twice', eventId: 'r2', at: at(1) }, settings);
      expect(opened.notice).toEqual({ transition: 'rotation_failed_twice', level: 'violation', name: 'e1.rotation_failed_twice.r2' });
      expect(opened.state).toMatchObject({ open: true, level: 'violation', episode: 1, openedAt: at(1) });
      const warning = conversation([verdict('warning', 0)]).state;
      const raised = decideAlert(warning, { kind: 'rotation_failed_twice', eventId: 'r3', at: at(2) }, settings);
      expect(raised.notice?.name).toBe('e1.rotation_failed_twice.r3');
      expect(raised.state).toMatchObject({ level: 'violation', episode: 1, openedAt: at(0) });
    });

    it('a kubeconfig refresh is said on an open alert, and the next compliant verdict resolves; on none it says nothing', () => {
      const onOpen = decideAlert(open(), { kind: 'kubeconfig_refresh', eventId: 'r4', at: at(2) }, settings);
      expect(onOpen.notice).toEqual({ transition: 'kubeconfig_refresh', level: 'violation', name: 'e1.kubeconfig_refresh.r4' });
      expect(onOpen.state).toMatchObject({ open: true, lastNotifiedAt: at(2) });
      expect(decideAlert(onOpen.state, verdict('compliant', 3), settings).notice?.transition).toBe('resolved');
      expect(decideAlert(NO_ALERT, { kind: 'kubeconfig_refresh', eventId: 'r5', at: at(2) }, settings)).toEqual({ state: NO_ALERT, changed: false });
    });
  });

  it('names the same notice for the same state and input: two scans deciding at once agree on what to say', () => {
    const state = conversation([verdict('warning', 0)]).state;
    expect(decideAlert(state, verdict('violation', 1), settings)).toEqual(decideAlert(state, verdict('violation', 1), settings));
    expect(decideAlert(NO_ALERT, verdict('violation', 1), settings).notice?.name).toBe(decideAlert(NO_ALERT, verdict('violation', 2), settings).notice?.name);
  });
});
