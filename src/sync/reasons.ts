/**
 * Condition/error reasons raised by the sync engine. Each one is an `OperatorError.reason`.
 *
 * - RequiredSourceMissing (stalling): a `required: true` mapping source does not exist at the commit.
 * - PathTraversalBlocked (stalling): a path would leave the repository or the data directory
 *   (absolute, `..`, or a mapping source reached through a symlink in the repository).
 * - SymlinkInLiveTree (stalling): a managed path in the gateway data dir lies below a symlink; the engine
 *   refuses to write through it.
 * - ProfileInvalid (stalling): the profile cannot be applied (bad destination, bad deployment mode name...).
 * - ApplyFailed (transient): a filesystem operation failed while applying; the next run converges.
 */
export const SyncReasons = {
  RequiredSourceMissing: 'RequiredSourceMissing',
  PathTraversalBlocked: 'PathTraversalBlocked',
  SymlinkInLiveTree: 'SymlinkInLiveTree',
  ProfileInvalid: 'ProfileInvalid',
  ApplyFailed: 'ApplyFailed',
} as const;

export type SyncReason = (typeof SyncReasons)[keyof typeof SyncReasons];
