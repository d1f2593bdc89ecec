import type { Timer, TimerHandler } from '@azure/functions';
import { CronExpressionParser } from 'cron-parser';
import type { FunctionRegistration } from '../functionRegistry.js';
import { invocationContext, type HostLog } from './invocationContext.js';

type TimerRegistration = Extract<FunctionRegistration, { kind: 'timer' }>;

/** Runs a timer function on its NCRONTAB schedule (six fields, seconds first, UTC), one run at a time. */
export class TimerSchedule {
  private timeout?: NodeJS.Timeout;
  private running?: Promise<void>;
  private last = '';

  constructor(private readonly registration: TimerRegistration, private readonly log: HostLog) {
    // Fail at start, naming the function, rather than at the first tick.
    CronExpressionParser.parse(registration.options.schedule, { tz: 'UTC' });
  }

  start(): void {
    if (this.registration.options.runOnStartup) void this.fire(false);
    this.scheduleNext();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timeout);
    this.timeout = undefined;
    await this.running;
  }

  private scheduleNext(): void {
    const next = CronExpressionParser.parse(this.registration.options.schedule, { tz: 'UTC', currentDate: new Date() }).next().toDate();
    // setTimeout holds at most ~24.8 days; re-plan before that.
    const delay = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    this.timeout = setTimeout(() => {
      void this.fire(false);
      this.scheduleNext();
    }, Math.max(0, delay));
  }

  private async fire(isPastDue: boolean): Promise<void> {
    if (this.running) return; // the previous run is still going, as the Functions host's singleton lock would have it
    const now = new Date().toISOString();
    const timer: Timer = { isPastDue, schedule: { adjustForDST: true }, scheduleStatus: { last: this.last, next: '', lastUpdated: now } };
    this.last = now;
    const context = invocationContext(this.registration.name, this.log);
    this.running = (async () => {
      try {
        await (this.registration.options.handler as TimerHandler)(timer, context);
      } catch (error) {
        context.error(`failed: ${(error as Error).message}`);
      }
    })();
    await this.running;
    this.running = undefined;
  }

  /** Runs the function now (the host's admin endpoint does the same for `func` users). */
  runNow(): Promise<void> {
    return this.fire(false);
  }
}
