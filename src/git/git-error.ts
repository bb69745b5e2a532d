import { OperatorError } from '../errors.ts';
import { GIT_REASON_KINDS, type GitReason } from '../reasons/index.ts';

/**
 * Builds the OperatorError for a git reason with the reason's fixed kind. The message must already be
 * redacted; every caller in this folder passes text through `redact()` first.
 */
export function gitError(
  reason: GitReason,
  message: string,
  options: { cause?: unknown; details?: Readonly<Record<string, unknown>> } = {},
): OperatorError {
  return new OperatorError(reason, message, { kind: GIT_REASON_KINDS[reason], ...options });
}
