import { defaultErrorKind, type Reason } from './reasons/index.ts';

/**
 * The one error type of the project. Every failure that can reach a user carries a stable, CamelCase
 * `reason` that doubles as a Kubernetes condition reason and an Event reason, and a `kind` that decides
 * what the caller does next (Flux's error kinds, see docs/adr/0002-errors.md):
 *
 * - `stalling`:  needs a user fix (bad config, path traversal). No automatic retry until the input changes.
 * - `waiting`:   a dependency is not ready (gateway starting, designer session open). Retry later.
 * - `transient`: anything else (network, git server, conflicts). Retry with exponential backoff.
 *
 * Every reason is registered in src/reasons, which also gives each one its kind: an error created without
 * `options.kind` gets the registry's kind (`transient` for a reason of kind `none`). An explicit `kind` wins,
 * for sites where one reason needs another kind (`DesignerSessionActive` under the `fail` policy: stalling).
 *
 * Messages start lowercase, read "what failed: why", and never contain secrets.
 */
export type ErrorKind = 'stalling' | 'waiting' | 'transient';

/** Kubernetes condition reason grammar (metav1.Condition.reason). */
export const REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

export interface OperatorErrorOptions {
  readonly kind?: ErrorKind;
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class OperatorError extends Error {
  readonly reason: Reason;
  readonly kind: ErrorKind;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(reason: Reason, message: string, options: OperatorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (!REASON_PATTERN.test(reason)) {
      throw new TypeError(`invalid error reason ${JSON.stringify(reason)}`);
    }
    this.name = 'OperatorError';
    this.reason = reason;
    this.kind = options.kind ?? defaultErrorKind(reason);
    this.details = options.details;
  }

  get isStalling(): boolean {
    return this.kind === 'stalling';
  }
}

/**
 * Turns anything thrown into an OperatorError, keeping an existing one as it is.
 * Call it first in every `catch (e: unknown)` that reports or classifies. A wrapped throw gets `kind`, or
 * the fallback reason's registry kind.
 */
export function toOperatorError(e: unknown, fallbackReason: Reason, kind?: ErrorKind): OperatorError {
  if (e instanceof OperatorError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new OperatorError(fallbackReason, message, kind === undefined ? { cause: e } : { kind, cause: e });
}
