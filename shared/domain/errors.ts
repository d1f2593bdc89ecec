/**
 * The one error family of aks-cert-compliance. Every error the product raises is an AksCertError:
 * it keeps what caused it (`cause`, never printed: SDK errors may carry request details), and says
 * how a command that meets it ends (`exitKind`), so the CLI decides exit codes with `instanceof`.
 * Messages are safe to print and store: never a key, a token or a connection string.
 */
import type { UnavailableReason } from './findings.js';

export type ExitKind = 'usage' | 'failure';

export class AksCertError extends Error {
  /** `usage`: the input was wrong (exit 2); `failure`: something failed (exit 1). */
  readonly exitKind: ExitKind = 'failure';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something the user gave is wrong: a flag, an argument. */
export class UsageError extends AksCertError {
  override readonly exitKind: ExitKind = 'usage';
}

/** A setting (app setting or environment variable) is wrong; the message names it. */
export class ConfigError extends UsageError {}

/** The policy (file or POLICY_JSON) is wrong; the message names its origin and every bad key. */
export class PolicyError extends UsageError {}

/** A continuation token that this API did not issue (the client's mistake: HTTP 400). */
export class PageTokenError extends UsageError {}

/** The compliance store could not be reached, read or written. */
export class StoreError extends AksCertError {}

/** A stored row cannot be read back as what the store writes; the message names the row. */
export class StoredRowError extends AksCertError {}

/**
 * A certificate source or the fleet could not be read (ARM refused, throttled, unreachable...),
 * described in the stable reason words of CERT_SOURCE_UNAVAILABLE (docs/rules.md).
 */
export class SourceReadError extends AksCertError {
  constructor(
    message: string,
    readonly reason: UnavailableReason,
    /** ARM's error code (`AuthorizationFailed`), the network error code, or `Error`. */
    readonly code: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }

  /** HTTP status, or undefined for a failure before any answer. */
  readonly status: number | undefined;
}

/**
 * An event could not be checked against Resource Manager yet (ARM throttled or unreachable, or the
 * cluster still being deleted): nothing was recorded, and the handler throws this so that Event Grid
 * delivers the event again later.
 */
export class UnconfirmedEventError extends AksCertError {}

/** ARM described a managed cluster in a shape the rules cannot read; the message names the field. */
export class ClusterShapeError extends AksCertError {}

/** The HTTP status an SDK error carries (`statusCode` on RestError), if any. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** 404: for a table row or an ARM resource, "absent". */
export const isNotFound = (error: unknown) => httpStatusOf(error) === 404;

/** 409 or 412: someone else wrote first (an existing row, a stale ETag). */
export const isConflict = (error: unknown) => [409, 412].includes(httpStatusOf(error) ?? 0);

/** The message of anything thrown, on one line. */
export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** A revocation manifest that cannot be written as asked (domain/revocationManifest.ts): the bad input named. */
export class RevocationError extends UsageError {}
