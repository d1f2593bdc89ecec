/**
 * What a simulator route answers, before the transport adds the ARM headers every response carries.
 * Routes return values instead of writing to the socket so that they stay small and testable.
 */
import type { SimulatedArmError } from './fleet.js';

export interface ArmReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON; absent means an empty body. */
  body?: unknown;
  /** Run once the reply is on the wire: ARM publishes an action's event after answering it. */
  onSent?: () => void;
}

/** ARM's error envelope: `{"error": {"code", "message"}}`, which the SDKs turn into `RestError.code`. */
export function armError(status: number, code: string, message: string, headers?: Record<string, string>): ArmReply {
  return { status, body: { error: { code, message } }, ...(headers ? { headers } : {}) };
}

export function fromSimulatedError(error: SimulatedArmError): ArmReply {
  return armError(error.status, error.code, error.message);
}

export function ok(body: unknown): ArmReply {
  return { status: 200, body };
}
