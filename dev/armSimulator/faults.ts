/**
 * Injected faults: the next `times` requests that match answer an error instead of the real route.
 * Lets tests provoke 5xx, 429 and odd statuses at an exact call without touching the fleet.
 */
import { armError, type ArmReply } from './armReply.js';

export interface InjectedFault {
  /** Any method when absent; compared case-insensitively. */
  method?: string;
  /** Matched case-insensitively against the path and query string (ARM paths are case-insensitive). */
  pathIncludes: string;
  status: number;
  /** ARM error code; a sensible default for the status when absent. */
  code?: string;
  message?: string;
  times: number;
  /** Sent as `Retry-After` (the SDK only retries a 429 that carries it). */
  retryAfterSeconds?: number;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'AuthenticationFailed',
  403: 'AuthorizationFailed',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export class FaultInjector {
  private readonly faults: InjectedFault[] = [];

  add(fault: InjectedFault): void {
    if (!(fault.times >= 1)) throw new RangeError(`an injected fault needs times >= 1, got ${fault.times}`);
    this.faults.push({ ...fault });
  }

  /** The reply of the first matching fault (consuming one of its `times`), or undefined. */
  take(method: string, pathAndQuery: string): ArmReply | undefined {
    const path = pathAndQuery.toLowerCase();
    const index = this.faults.findIndex(
      (f) => (f.method === undefined || f.method.toUpperCase() === method.toUpperCase()) && path.includes(f.pathIncludes.toLowerCase()),
    );
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times -= 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    const code = fault.code ?? DEFAULT_CODES[fault.status] ?? 'InjectedFault';
    const headers = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
    return armError(fault.status, code, fault.message ?? `Injected fault: ${code} (HTTP ${fault.status}).`, headers);
  }
}
