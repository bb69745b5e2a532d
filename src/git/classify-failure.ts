import type { OperatorError } from '../errors.ts';
import type { GitReason } from '../reasons/index.ts';
import type { CommandResult } from './command-runner.ts';
import { gitError } from './git-error.ts';
import { redact } from './redact.ts';

/** stderr patterns, checked in order; the first match decides the reason. Pure and unit-tested. */
const PATTERNS: ReadonlyArray<readonly [GitReason, RegExp]> = [
  [
    'HostKeyVerificationFailed',
    /Host key verification failed|host key is known for .* and you have requested strict checking|REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/i,
  ],
  [
    'GitAuthFailed',
    /Permission denied \((?:publickey|password|keyboard-interactive)|Authentication failed for|could not read (?:Username|Password)|terminal prompts disabled|HTTP Basic: Access denied|requested URL returned error: 40[13]|Invalid username or password|Load key .*: (?:invalid format|error in libcrypto|bad permissions)|UNPROTECTED PRIVATE KEY FILE|No user exists for uid/i,
  ],
  [
    'GitRepositoryNotFound',
    /does not appear to be a git repository|Repository not found|requested URL returned error: 404|not a git repository|No such file or directory.*\.git|repository .* not found/i,
  ],
  [
    'GitUnreachable',
    /Could not resolve host|Could not resolve hostname|Connection refused|Connection timed out|No route to host|Network is unreachable|Failed to connect to|Connection reset|Connection closed by|kex_exchange_identification|Couldn't connect to server|requested URL returned error: 5\d\d|Empty reply from server|unexpected disconnect|the remote end hung up unexpectedly/i,
  ],
];

const REFUSED_WANT =
  /not our ref|unadvertised object|Server does not allow request for unadvertised object|couldn't find remote ref|no such remote ref|did not send all necessary objects/i;

/** True when the server refused to hand out an object by id (protocol v0 without allow*SHA1InWant). */
export function isRefusedWant(stderr: string): boolean {
  return REFUSED_WANT.test(stderr);
}

/** Picks the reason a failed git command deserves from its stderr; `fallback` when nothing matches. */
export function classifyStderr(stderr: string, fallback: GitReason): GitReason {
  for (const [reason, pattern] of PATTERNS) if (pattern.test(stderr)) return reason;
  return fallback;
}

/** The most useful stderr lines, without hints and progress noise, joined into one line. */
export function summarizeStderr(stderr: string): string {
  const lines = stderr
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter(
      (l) => l !== '' && !/^hint:/i.test(l) && !/^Please make sure you have the correct access/i.test(l),
    )
    .filter((l) => !/^and the repository exists\.?$/i.test(l));
  const text = lines.slice(-3).join('; ');
  return text.length > 600 ? `${text.slice(0, 600)}...` : text;
}

export interface GitFailureInput {
  /** What was attempted, e.g. "ls-remote ssh://git@host/repo.git" (redacted here again). */
  readonly what: string;
  readonly result: CommandResult;
  readonly secrets: readonly string[];
  readonly fallback: GitReason;
  readonly timeoutMs?: number;
}

/** Turns a failed command into a typed, redacted OperatorError. */
export function gitFailure(input: GitFailureInput): OperatorError {
  const { result, secrets } = input;
  const what = redact(input.what, secrets);
  if (result.timedOut) {
    return gitError('GitTimeout', `${what} failed: timed out after ${input.timeoutMs ?? '?'}ms`);
  }
  if (result.aborted) return gitError('GitAborted', `${what} failed: aborted`);
  if (result.spawnError !== undefined) {
    return gitError('GitCommandFailed', `${what} failed: ${redact(result.spawnError, secrets)}`);
  }
  if (result.outputTooLarge) return gitError('GitCommandFailed', `${what} failed: output too large`);
  const reason = classifyStderr(result.stderr, input.fallback);
  const why = summarizeStderr(redact(result.stderr, secrets)) || `exit code ${String(result.exitCode)}`;
  return gitError(reason, `${what} failed: ${why}`, { details: { exitCode: result.exitCode } });
}
