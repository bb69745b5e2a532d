import { ApiReasons } from './api.ts';
import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the per-gateway sync's own failures (src/gateway-sync); git, engine and gateway reasons pass
 * through unchanged. `SyncFailed` (a failure with no reason of its own) is the API's.
 */
export const GATEWAY_SYNC_REASONS = defineReasons({
  DataDirMissing: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning:
      'the gateway data directory does not exist; it is never created (a typo must not grow a new tree)',
  },
  MovedToOlderCommit: {
    kind: 'none',
    condition: 'AllGatewaysSynced',
    meaning:
      'the gateway was synced to a commit older than the one it had (an older ref was asked for); a warning, not an error',
  },
});

export const GatewaySyncReasons = {
  ...namesOf(GATEWAY_SYNC_REASONS),
  SyncFailed: ApiReasons.SyncFailed,
} as const;
export type GatewaySyncReason = (typeof GatewaySyncReasons)[keyof typeof GatewaySyncReasons];
