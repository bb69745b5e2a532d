import type { ErrorKind } from '../errors.ts';

/**
 * Condition/Event reasons raised by the git layer. Each has one fixed kind (see README "Error reasons"):
 *
 * - `RefNotFound` is `waiting`, not `stalling`: the usual cause is a release tag or branch that CI has not
 *   pushed yet (a GitOps change often lands before the tag). The ref can appear without any change to our
 *   configuration, so the caller must retry at its polling period; exponential backoff would hammer the
 *   server for something that is not a server fault, and stalling would never notice the push.
 * - `CommitNotFound` is `waiting` for the same reason (force-pushed away, or a mirror that has not caught
 *   up); the controller re-resolves the ref and publishes a new commit.
 * - Auth, host-key, URL and credential-file problems need a person: `stalling`. Callers that watch the
 *   referenced Secrets should retry when the mounted files change.
 * - Everything network- or process-shaped is `transient`.
 */
export const GitReasons = {
  RefNotFound: 'RefNotFound',
  CommitNotFound: 'CommitNotFound',
  GitAuthFailed: 'GitAuthFailed',
  HostKeyVerificationFailed: 'HostKeyVerificationFailed',
  GitRepositoryNotFound: 'GitRepositoryNotFound',
  GitUnreachable: 'GitUnreachable',
  GitTimeout: 'GitTimeout',
  GitAborted: 'GitAborted',
  GitFetchFailed: 'GitFetchFailed',
  GitCheckoutMismatch: 'GitCheckoutMismatch',
  GitCommandFailed: 'GitCommandFailed',
  GitRepoUrlInvalid: 'GitRepoUrlInvalid',
  GitRefInvalid: 'GitRefInvalid',
  GitCredentialsUnreadable: 'GitCredentialsUnreadable',
  GitUserUnknown: 'GitUserUnknown',
  GitWorkdirInvalid: 'GitWorkdirInvalid',
} as const;

export type GitReason = (typeof GitReasons)[keyof typeof GitReasons];

/** The one place that decides what the caller does next for each reason. */
export const GIT_REASON_KINDS: Readonly<Record<GitReason, ErrorKind>> = {
  RefNotFound: 'waiting',
  CommitNotFound: 'waiting',
  GitAuthFailed: 'stalling',
  HostKeyVerificationFailed: 'stalling',
  GitRepositoryNotFound: 'stalling',
  GitUnreachable: 'transient',
  GitTimeout: 'transient',
  GitAborted: 'transient',
  GitFetchFailed: 'transient',
  GitCheckoutMismatch: 'transient',
  GitCommandFailed: 'transient',
  GitRepoUrlInvalid: 'stalling',
  GitRefInvalid: 'stalling',
  GitCredentialsUnreadable: 'stalling',
  GitUserUnknown: 'stalling',
  GitWorkdirInvalid: 'stalling',
};
