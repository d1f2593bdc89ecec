import { describe, expect, inject, it } from 'vitest';
import { startArmSimulator } from '../../../dev/armSimulator/server.js';
import { parseBucket, simulatorSettingsFromEnv, Throttle } from '../../../dev/armSimulator/throttle.js';
import { buildScaleFleet } from '../../../dev/demoFleet/index.js';

describe('parseBucket', () => {
  it('reads <capacity>+<refill>/s', () => {
    expect(parseBucket('200+10/s', 'X')).toEqual({ capacity: 200, refillPerSecond: 10 });
    expect(parseBucket(' 5 + 0.5 /s ', 'X')).toEqual({ capacity: 5, refillPerSecond: 0.5 });
  });

  it('refuses anything else, naming the setting', () => {
    for (const spec of ['200', '200+10', '0+10/s', '10+0/s', 'a+1/s', '200+10/m']) {
      expect(() => parseBucket(spec, 'ARM_SIMULATOR_WRITES')).toThrow(`ARM_SIMULATOR_WRITES: expected <capacity>+<refill>/s with capacity >= 1 and refill > 0 (e.g. 200+10/s), got '${spec}'`);
    }
  });
});

describe('simulatorSettingsFromEnv', () => {
  it('leaves out what is not set, so the simulator keeps its defaults', () => {
    expect(simulatorSettingsFromEnv({})).toEqual({});
    expect(simulatorSettingsFromEnv({ ARM_SIMULATOR_LATENCY_MS: '', ARM_SIMULATOR_PAGE_SIZE: '' })).toEqual({});
  });

  it('reads buckets, latency and page size; a bucket not given keeps ARM\'s', () => {
    expect(simulatorSettingsFromEnv({ ARM_SIMULATOR_WRITES: '50+5/s', ARM_SIMULATOR_LATENCY_MS: '40', ARM_SIMULATOR_PAGE_SIZE: '100' })).toEqual({
      throttle: { reads: { capacity: 250, refillPerSecond: 25 }, writes: { capacity: 50, refillPerSecond: 5 } },
      latencyMs: 40,
      pageSize: 100,
    });
    expect(simulatorSettingsFromEnv({ ARM_SIMULATOR_READS: '10+1/s', ARM_SIMULATOR_LATENCY_MS: '0' })).toEqual({
      throttle: { reads: { capacity: 10, refillPerSecond: 1 }, writes: { capacity: 200, refillPerSecond: 10 } },
      latencyMs: 0,
    });
  });

  it('refuses a latency or page size that is not a whole number in range, naming it', () => {
    expect(() => simulatorSettingsFromEnv({ ARM_SIMULATOR_LATENCY_MS: '-1' })).toThrow("ARM_SIMULATOR_LATENCY_MS: expected a whole number >= 0, got '-1'");
    expect(() => simulatorSettingsFromEnv({ ARM_SIMULATOR_PAGE_SIZE: '0' })).toThrow("ARM_SIMULATOR_PAGE_SIZE: expected a whole number >= 1, got '0'");
    expect(() => simulatorSettingsFromEnv({ ARM_SIMULATOR_PAGE_SIZE: '2.5' })).toThrow('ARM_SIMULATOR_PAGE_SIZE');
  });
});

describe('Throttle.reset', () => {
  it('fills every bucket again', () => {
    const now = 0;
    const throttle = new Throttle({ reads: { capacity: 2, refillPerSecond: 1 }, writes: { capacity: 1, refillPerSecond: 1 } }, () => now);
    throttle.bucket('sub', 'reads').take();
    throttle.bucket('sub', 'reads').take();
    throttle.bucket('sub', 'writes').take();
    expect(throttle.bucket('sub', 'reads').take().ok).toBe(false);
    throttle.reset();
    expect(throttle.bucket('sub', 'reads').remaining()).toBe(2);
    expect(throttle.bucket('sub', 'writes').remaining()).toBe(1);
  });
});

describe('the simulator resetting its buckets', () => {
  it('answers 429 once a subscription\'s writes are spent, and 200 again after resetThrottle', async () => {
    const fleet = await buildScaleFleet({ now: new Date(), sizes: [1] });
    const sim = await startArmSimulator({ fleet, tls: inject('devTls'), throttle: { reads: { capacity: 10, refillPerSecond: 0.01 }, writes: { capacity: 1, refillPerSecond: 0.01 } } });
    try {
      const post = () => fetch(`${sim.url}${fleet.clusters[0]!.resource.id}/listClusterMonitoringUserCredential?api-version=2025-01-01`, { method: 'POST', headers: { authorization: 'Bearer t' } }).then((r) => r.status);
      expect(await post()).toBe(200);
      expect(await post()).toBe(429);
      sim.resetThrottle();
      expect(await post()).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
