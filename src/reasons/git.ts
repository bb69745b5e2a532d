import type { ErrorKind } from '../errors.ts';
import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons raised by the git layer (src/git). Each has one fixed kind, which `gitError` never overrides:
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
export const GIT_REASONS = defineReasons({
  RefNotFound: {
    kind: 'waiting',
    condition: 'RefResolved',
    meaning: 'no such branch or tag, often a tag CI has not pushed yet; retried at the poll interval',
  },
  CommitNotFound: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning: 'the commit is gone (force-push + gc), unreachable from its ref, or not pushed/mirrored yet',
  },
  GitAuthFailed: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'the git server rejected the key or token, or no credentials fit the URL',
  },
  HostKeyVerificationFailed: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'unknown or changed SSH host key, or no known_hosts without the insecure switch',
  },
  GitRepositoryNotFound: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'the URL has no repository (GitHub also says this for missing access)',
  },
  GitUnreachable: {
    kind: 'transient',
    condition: 'RefResolved',
    meaning: 'DNS failure, refused or reset connection, 5xx, or a remote that hung up',
  },
  GitTimeout: {
    kind: 'transient',
    condition: 'RefResolved',
    meaning: 'a git command exceeded its timeout (its process group was killed)',
  },
  GitAborted: { kind: 'transient', condition: 'none', meaning: "the caller's signal aborted a git command" },
  GitFetchFailed: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: "fetching a commit failed otherwise (the message carries git's redacted stderr)",
  },
  GitCheckoutMismatch: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: 'a checkout did not leave HEAD at the requested commit',
  },
  GitCommandFailed: {
    kind: 'transient',
    condition: 'RefResolved',
    meaning: "any other git command failure (the message carries git's redacted stderr)",
  },
  GitRepoUrlInvalid: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'the repository URL is invalid or has an unsupported scheme; nothing ran',
  },
  GitRefInvalid: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: "the ref or commit id breaks git's rules; nothing ran",
  },
  GitCredentialsUnreadable: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'the token, key or known_hosts file is missing, unreadable or empty',
  },
  GitUserUnknown: {
    kind: 'stalling',
    condition: 'RefResolved',
    meaning: 'the UID has no passwd entry and nss_wrapper is missing, so ssh cannot start',
  },
  GitWorkdirInvalid: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'the checkout directory cannot be prepared or is a non-empty non-git directory',
  },
});

export const GitReasons = namesOf(GIT_REASONS);
export type GitReason = (typeof GitReasons)[keyof typeof GitReasons];

/** Every git reason's kind: a view of the registry, kept for callers that want the table itself. */
export const GIT_REASON_KINDS: Readonly<Record<GitReason, ErrorKind>> = gitKinds();

function gitKinds(): Record<GitReason, ErrorKind> {
  const kinds: Partial<Record<GitReason, ErrorKind>> = {};
  // Assigning the literal kinds makes a git reason of kind `none` a compile error.
  for (const name of Object.values(GitReasons)) kinds[name] = GIT_REASONS[name].kind;
  return kinds as Record<GitReason, ErrorKind>;
}
