/**
 * ARM's request throttling, as token buckets: each principal gets a bucket per subscription (and one
 * per tenant for tenant-level calls such as listing subscriptions), reads and writes separately.
 * A request takes one token; tokens refill continuously up to the capacity. The numbers default to
 * ARM's published per-subscription limits (reads 250 + 25/s, writes 200 + 10/s).
 */

export interface BucketConfig {
  capacity: number;
  refillPerSecond: number;
}

export interface ThrottleConfig {
  reads: BucketConfig;
  writes: BucketConfig;
  /** Tenant-level reads (GET /subscriptions); default: same as `reads`. */
  tenantReads?: BucketConfig;
  /** Tenant-level writes; default: same as `writes`. */
  tenantWrites?: BucketConfig;
}

export const ARM_DEFAULT_THROTTLE: ThrottleConfig = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
};

export type TakeResult = { ok: true; remaining: number } | { ok: false; remaining: 0; retryAfterSeconds: number };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly config: BucketConfig,
    private readonly now: () => number = Date.now,
  ) {
    if (!(config.capacity >= 1) || !(config.refillPerSecond > 0)) {
      throw new RangeError(`a token bucket needs capacity >= 1 and refillPerSecond > 0, got ${JSON.stringify(config)}`);
    }
    this.tokens = config.capacity;
    this.updatedAt = now();
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.config.capacity, this.tokens + elapsedSeconds * this.config.refillPerSecond);
    this.updatedAt = now;
  }

  /** Whole tokens left, as ARM reports them in `x-ms-ratelimit-remaining-*`. */
  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  take(): TakeResult {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true, remaining: Math.floor(this.tokens) };
    }
    // Retry-After is whole seconds and at least 1: round the wait for the next token up.
    const waitSeconds = (1 - this.tokens) / this.config.refillPerSecond;
    return { ok: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }
}

export type RequestKind = 'reads' | 'writes';
/** `tenant` or a lower-cased subscription id. */
export type ThrottleScope = string;

/** The buckets of one principal (the simulator does not tell principals apart). */
export class Throttle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly config: ThrottleConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every bucket full again, as after a pause long enough to refill them (capacity / refill seconds). */
  reset(): void {
    this.buckets.clear();
  }

  bucket(scope: ThrottleScope, kind: RequestKind): TokenBucket {
    const key = `${scope}|${kind}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      const config =
        scope === 'tenant'
          ? kind === 'reads'
            ? (this.config.tenantReads ?? this.config.reads)
            : (this.config.tenantWrites ?? this.config.writes)
          : this.config[kind];
      bucket = new TokenBucket(config, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** ARM counts GET (and HEAD) as reads, every other method as a write. */
export function requestKind(method: string): RequestKind {
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' ? 'reads' : 'writes';
}

/**
 * A bucket written as `<capacity>+<refill>/s` (`200+10/s`), as the simulator's settings name them
 * (ARM_SIMULATOR_READS, ARM_SIMULATOR_WRITES); throws a RangeError naming `setting` otherwise.
 */
export function parseBucket(spec: string, setting: string): BucketConfig {
  const match = /^\s*(\d+)\s*\+\s*(\d+(?:\.\d+)?)\s*\/s\s*$/.exec(spec);
  const config = match ? { capacity: Number(match[1]), refillPerSecond: Number(match[2]) } : undefined;
  if (!config || config.capacity < 1 || !(config.refillPerSecond > 0)) {
    throw new RangeError(`${setting}: expected <capacity>+<refill>/s with capacity >= 1 and refill > 0 (e.g. 200+10/s), got '${spec}'`);
  }
  return config;
}

/**
 * The simulator's throttling, latency and page size from the environment, for a simulator in a process
 * of its own (bench/simulatorProcess.ts); unset settings are absent, so the simulator's defaults apply.
 */
export function simulatorSettingsFromEnv(env: Record<string, string | undefined>): { throttle?: ThrottleConfig; latencyMs?: number; pageSize?: number } {
  const count = (name: string, min: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name}: expected a whole number >= ${min}, got '${text}'`);
    return value;
  };
  const reads = env['ARM_SIMULATOR_READS'] ? parseBucket(env['ARM_SIMULATOR_READS'], 'ARM_SIMULATOR_READS') : undefined;
  const writes = env['ARM_SIMULATOR_WRITES'] ? parseBucket(env['ARM_SIMULATOR_WRITES'], 'ARM_SIMULATOR_WRITES') : undefined;
  const latencyMs = count('ARM_SIMULATOR_LATENCY_MS', 0);
  const pageSize = count('ARM_SIMULATOR_PAGE_SIZE', 1);
  return {
    ...(reads || writes ? { throttle: { reads: reads ?? ARM_DEFAULT_THROTTLE.reads, writes: writes ?? ARM_DEFAULT_THROTTLE.writes } } : {}),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(pageSize === undefined ? {} : { pageSize }),
  };
}
