import { describe, expect, it } from 'vitest';
import { PolicyError } from '../../../shared/domain/errors.js';
import { DEFAULT_POLICY, parsePolicy, parsePolicyJson } from '../../../shared/domain/policy.js';

/** The message parsePolicy throws for this input. */
const problem = (input: unknown, origin?: string) => {
  try {
    parsePolicy(input, origin);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyError);
    return (error as Error).message;
  }
  throw new Error(`${JSON.stringify(input)} was accepted`);
};
const window = (w: Record<string, unknown>) => parsePolicy({ rotation: { window: w } }).rotation.window;

describe('parsePolicy', () => {
  it('defaults to the documented policy', () => {
    expect(DEFAULT_POLICY).toEqual({
      maxAgeDays: 90, warningDays: 30, criticalDays: 7, requireRbacForAutoRotation: true,
      rotation: { mode: 'alert-only', maxConcurrent: 5, maxConcurrentPerSubscription: 2, cooldownHours: 24, window: null, expectedDurationMinutes: 30 },
    });
    expect(parsePolicy({})).toEqual(DEFAULT_POLICY);
  });

  it('keeps defaults for keys not given, nested ones included', () => {
    const policy = parsePolicy({ maxAgeDays: 180, rotation: { mode: 'auto' } });
    expect(policy.maxAgeDays).toBe(180);
    expect(policy.rotation).toMatchObject({ mode: 'auto', maxConcurrent: 5 });
  });

  it('accepts every key when given, each value as written', () => {
    const document = {
      maxAgeDays: 365, warningDays: 45, criticalDays: 10, requireRbacForAutoRotation: false,
      rotation: { mode: 'auto', maxConcurrent: 3, maxConcurrentPerSubscription: 4, cooldownHours: 1.5, window: { start: '22:00', end: '04:30', days: ['sat', 'sun'] }, expectedDurationMinutes: 90 },
    };
    expect(parsePolicy(document)).toEqual(document);
  });

  it.each(['off', 'alert-only', 'auto'])('accepts rotation mode %j when written out, not only as the default', (mode) => {
    expect(parsePolicy({ rotation: { mode } }).rotation.mode).toBe(mode);
  });

  describe('the rotation window', () => {
    it('reads HH:MM (UTC) times from 00:00 to 23:59, without days or with any of the seven', () => {
      expect(window({ start: '00:00', end: '23:59' })).toEqual({ start: '00:00', end: '23:59' });
      expect(window({ start: '09:05', end: '19:45' })).toEqual({ start: '09:05', end: '19:45' });
      const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
      expect(window({ start: '22:00', end: '04:00', days: week })?.days).toEqual(week);
      expect(window({ start: '22:00', end: '04:00', days: ['wed'] })?.days).toEqual(['wed']);
      expect(parsePolicy({ rotation: { window: null } }).rotation.window).toBeNull();
    });

    it.each(['24:00', '12:60', '9:30', '09:3', 'x09:30', '09:30x', '0930', '09:30Z'])('refuses the time %j, saying what is expected', (start) => {
      expect(problem({ rotation: { window: { start, end: '04:00' } } })).toBe('policy: "rotation.window.start": expected HH:MM (UTC)');
    });

    it('refuses an empty weekday list and a day that is not a weekday', () => {
      expect(problem({ rotation: { window: { start: '22:00', end: '04:00', days: [] } } })).toMatch(/^policy: "rotation\.window\.days": /);
      expect(problem({ rotation: { window: { start: '22:00', end: '04:00', days: ['mon', 'monday'] } } })).toMatch(/^policy: "rotation\.window\.days\.1": /);
    });

    it('refuses a window without its end, or with a key it does not know', () => {
      expect(problem({ rotation: { window: { start: '22:00' } } })).toMatch(/^policy: "rotation\.window\.end": /);
      expect(problem({ rotation: { window: { start: '22:00', end: '04:00', strat: '23:00' } } })).toBe('policy: unknown key "rotation.window.strat"');
    });
  });

  describe('limits', () => {
    it('accepts the smallest limits: one rotation at a time, no cooldown, a one-minute rotation', () => {
      expect(parsePolicy({ rotation: { maxConcurrent: 1, maxConcurrentPerSubscription: 1, cooldownHours: 0, expectedDurationMinutes: 1 } }).rotation)
        .toMatchObject({ maxConcurrent: 1, maxConcurrentPerSubscription: 1, cooldownHours: 0, expectedDurationMinutes: 1 });
    });

    it.each([
      [{ maxConcurrent: 0 }, 'rotation.maxConcurrent'],
      [{ maxConcurrent: 2.5 }, 'rotation.maxConcurrent'],
      [{ maxConcurrentPerSubscription: 0 }, 'rotation.maxConcurrentPerSubscription'],
      [{ cooldownHours: -1 }, 'rotation.cooldownHours'],
      [{ expectedDurationMinutes: 0 }, 'rotation.expectedDurationMinutes'],
      [{ expectedDurationMinutes: 12.5 }, 'rotation.expectedDurationMinutes'],
    ])('refuses %j, naming the key', (rotation, key) => {
      expect(problem({ rotation })).toMatch(new RegExp(`^policy: "${key.replace('.', '\\.')}": `));
    });
  });

  describe('thresholds', () => {
    it('accepts the edges: one day of maximum age, no warning, no critical window, critical as long as warning', () => {
      expect(parsePolicy({ maxAgeDays: 1, warningDays: 0, criticalDays: 0 })).toMatchObject({ maxAgeDays: 1, warningDays: 0, criticalDays: 0 });
      expect(parsePolicy({ maxAgeDays: 90, warningDays: 89, criticalDays: 89 })).toMatchObject({ warningDays: 89, criticalDays: 89 });
    });

    it.each([
      [{ maxAgeDays: 0, warningDays: 0, criticalDays: 0 }, 'maxAgeDays'],
      [{ maxAgeDays: 90.5 }, 'maxAgeDays'],
      [{ warningDays: -1, criticalDays: -1 }, 'warningDays'],
      [{ criticalDays: -1 }, 'criticalDays'],
    ])('refuses %j, naming the key', (input, key) => {
      expect(problem(input)).toMatch(new RegExp(`^policy: "${key}": `));
    });

    it('refuses thresholds that contradict each other, naming the key to change', () => {
      expect(problem({ maxAgeDays: 30 })).toBe('policy: "warningDays": warningDays must be less than maxAgeDays');
      expect(problem({ criticalDays: 31 })).toBe('policy: "criticalDays": criticalDays must not exceed warningDays');
    });
  });

  it('names an unknown key, nested ones too, and every one of them', () => {
    expect(problem({ maxAgeDay: 90 }, 'policy file p.json')).toBe('policy file p.json: unknown key "maxAgeDay"');
    expect(problem({ rotation: { mod: 'auto' } })).toBe('policy: unknown key "rotation.mod"');
    expect(problem({ a: 1, b: 2 })).toBe('policy: unknown key "a"; unknown key "b"');
  });

  it('names a bad value by its key, not as an unknown key', () => {
    expect(problem({ maxAgeDays: 'ninety' })).toMatch(/^policy: "maxAgeDays": /);
    expect(problem({ rotation: { mode: 'sometimes' } })).toMatch(/^policy: "rotation\.mode": /);
    expect(problem({ requireRbacForAutoRotation: 'yes' })).toMatch(/^policy: "requireRbacForAutoRotation": /);
  });

  it('names every problem, one after the other', () => {
    expect(problem({ maxAgeDays: 'ninety', rotation: { mode: 'sometimes' } })).toMatch(/^policy: "maxAgeDays": .+; "rotation\.mode": /);
  });

  it('refuses a document that is not an object, at the root', () => {
    expect(problem([])).toMatch(/^policy: "\(root\)": /);
    expect(problem(null)).toMatch(/^policy: "\(root\)": /);
  });

  it('throws a PolicyError, so callers can tell a bad policy from a failure', () => {
    expect(() => parsePolicy({ maxAgeDays: 0 })).toThrow(PolicyError);
    expect(() => parsePolicy({ maxAgeDays: 0 })).toThrow(expect.objectContaining({ name: 'PolicyError' }));
  });
});

describe('parsePolicyJson', () => {
  it('parses policy JSON text', () => {
    expect(parsePolicyJson('{ "maxAgeDays": 180 }', 'policy file p.json').maxAgeDays).toBe(180);
  });

  it('says when a policy file is not JSON, naming the file', () => {
    expect(() => parsePolicyJson('{ maxAgeDays: 90 ', 'policy file p.json')).toThrow(/^policy file p\.json: not valid JSON \(.+\)$/);
    expect(() => parsePolicyJson('{ maxAgeDays: 90 ', 'policy file p.json')).toThrow(PolicyError);
  });

  it('names the file when the JSON is a bad policy', () => {
    expect(() => parsePolicyJson('{ "maxAgeDays": 0 }', 'policy file p.json')).toThrow(/^policy file p\.json: "maxAgeDays": /);
  });
});
