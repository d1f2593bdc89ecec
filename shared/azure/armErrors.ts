import { isRestError } from '@azure/core-rest-pipeline';
import { SourceReadError } from '../domain/errors.js';
import type { UnavailableReason } from '../domain/findings.js';

export interface ArmFailure {
  reason: UnavailableReason;
  /** HTTP status, or undefined for a network failure. */
  status?: number;
  /** ARM error code (`AuthorizationFailed`, `ResourceNotFound`, ...) or the network error code. */
  code: string;
  /** A sentence safe to store and print: status, ARM code and ARM's message, no request bodies. */
  message: string;
}

const LOCAL_ACCOUNTS_DISABLED = /local account/i;

/** Describes a failed ARM call in the stable reason words of CERT_SOURCE_UNAVAILABLE (docs/rules.md). */
export function describeArmFailure(operation: string, error: unknown): ArmFailure {
  if (isRestError(error)) {
    const status = error.statusCode;
    const code = armErrorCode(error) ?? error.code ?? (status ? `HTTP${status}` : 'RequestError');
    // The SDK's pager replaces ARM's message with "Pagination failed with unexpected statusCode N".
    const sdkMessage = /^Pagination failed/.test(error.message) ? '' : error.message;
    const detail = oneLine(armErrorMessage(error) ?? sdkMessage);
    const reason = reasonFor(status, detail);
    const message = status
      ? `${operation} answered HTTP ${status} ${code}${detail ? `: ${detail}` : ''}`
      : `${operation} failed before ARM answered (${code}): ${detail}`;
    return { reason, status, code, message };
  }
  const detail = oneLine(error instanceof Error ? error.message : String(error));
  return { reason: 'error', code: (error as { code?: string })?.code ?? 'Error', message: `${operation} failed: ${detail}` };
}

function reasonFor(status: number | undefined, detail: string): UnavailableReason {
  if (status === undefined) return 'unreachable';
  if (status === 403 || status === 401) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unreachable';
  if (status === 400 && LOCAL_ACCOUNTS_DISABLED.test(detail)) return 'local_accounts_disabled';
  return 'error';
}

/** A failed ARM call as the error the scan's ports speak (the SDK error kept as its cause). */
export function sourceReadError(operation: string, error: unknown): SourceReadError {
  const failure = describeArmFailure(operation, error);
  return new SourceReadError(failure.message, failure.reason, failure.code, { cause: error, status: failure.status });
}

/** True when the call may work with other credentials: forbidden, or refused because local accounts are off. */
export function isCredentialRefusal(error: unknown): boolean {
  return isRestError(error) && (error.statusCode === 403 || error.statusCode === 400);
}

function armErrorBody(error: { response?: { bodyAsText?: string | null } }): { code?: string; message?: string } | undefined {
  try {
    const parsed = JSON.parse(error.response?.bodyAsText ?? '') as { error?: { code?: string; message?: string } };
    return parsed.error;
  } catch {
    return undefined;
  }
}

function armErrorCode(error: Parameters<typeof armErrorBody>[0] & { details?: unknown }): string | undefined {
  const details = error.details as { error?: { code?: string } } | undefined;
  return details?.error?.code ?? armErrorBody(error)?.code;
}

function armErrorMessage(error: Parameters<typeof armErrorBody>[0] & { details?: unknown }): string | undefined {
  const details = error.details as { error?: { message?: string } } | undefined;
  return details?.error?.message ?? armErrorBody(error)?.message;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}
