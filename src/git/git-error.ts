import { OperatorError } from '../errors.ts';
import type { GitReason } from '../reasons/index.ts';

/**
 * Builds the OperatorError for a git reason, whose kind the registry fixes (src/reasons/git.ts). The message
 * must already be redacted; every caller in this folder passes text through `redact()` first.
 */
export function gitError(
  reason: GitReason,
  message: string,
  options: { cause?: unknown; details?: Readonly<Record<string, unknown>> } = {},
): OperatorError {
  return new OperatorError(reason, message, options);
}
