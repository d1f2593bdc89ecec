import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, parsePolicy, parsePolicyJson } from '../../../shared/domain/policy.js';

describe('parsePolicy', () => {
  it('defaults to the documented policy', () => {
    expect(DEFAULT_POLICY).toEqual({
      maxAgeDays: 90, warningDays: 30, criticalDays: 7, requireRbacForAutoRotation: true,
      rotation: { mode: 'alert-only', maxConcurrent: 5, maxConcurrentPerSubscription: 2, cooldownHours: 24, window: null },
    });
  });

  it('keeps defaults for keys not given, nested ones included', () => {
    const policy = parsePolicy({ maxAgeDays: 180, rotation: { mode: 'auto' } });
    expect(policy.maxAgeDays).toBe(180);
    expect(policy.rotation).toMatchObject({ mode: 'auto', maxConcurrent: 5 });
  });

  it('names an unknown key, nested ones too', () => {
    expect(() => parsePolicy({ maxAgeDay: 90 }, 'policy file p.json')).toThrow('policy file p.json: unknown key "maxAgeDay"');
    expect(() => parsePolicy({ rotation: { mod: 'auto' } })).toThrow('unknown key "rotation.mod"');
  });

  it('names a bad value', () => {
    expect(() => parsePolicy({ maxAgeDays: -1 })).toThrow(/"maxAgeDays"/);
    expect(() => parsePolicy({ rotation: { mode: 'sometimes' } })).toThrow(/"rotation.mode"/);
    expect(() => parsePolicy({ rotation: { window: { start: '25:00', end: '04:00' } } })).toThrow(/"rotation.window.start"/);
  });

  it('refuses thresholds that contradict each other', () => {
    expect(() => parsePolicy({ maxAgeDays: 20 })).toThrow(/warningDays must be less than maxAgeDays/);
    expect(() => parsePolicy({ criticalDays: 40 })).toThrow(/criticalDays must not exceed warningDays/);
  });

  it('says when a policy file is not JSON', () => {
    expect(() => parsePolicyJson('{ maxAgeDays: 90 ', 'policy file p.json')).toThrow(/policy file p.json: not valid JSON/);
  });
});
