import { ApiReasons } from './api.ts';
import { defineReasons, namesOf } from './define-reasons.ts';

/** Reasons raised by the sync engine (src/sync). `ProfileInvalid` is the API's (SyncProfile `Accepted`). */
export const SYNC_REASONS = defineReasons({
  RequiredSourceMissing: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'a required mapping source does not exist at the commit; nothing is written',
  },
  PathTraversalBlocked: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'a path would leave the repository or the data directory (absolute, .., or a symlink source)',
  },
  SymlinkInLiveTree: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning:
      'a managed path in the gateway data directory lies below a symlink; the engine will not write through it',
  },
  ApplyFailed: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning:
      'writing the plan into the data directory (or the sync cycle apply step) failed; the next run converges',
  },
});

export const SyncReasons = { ...namesOf(SYNC_REASONS), ProfileInvalid: ApiReasons.ProfileInvalid } as const;
export type SyncReason = (typeof SyncReasons)[keyof typeof SyncReasons];
