/** Reasons of the per-gateway sync's own failures (git, engine and gateway reasons pass through unchanged). */
export const GatewaySyncReasons = {
  /** The gateway data directory does not exist: a config mistake, never created (a typo must not grow a tree). */
  DataDirMissing: 'DataDirMissing',
  /** A failure with no reason of its own (a bug or an unexpected error); the message says what. */
  SyncFailed: 'SyncFailed',
} as const;
export type GatewaySyncReason = (typeof GatewaySyncReasons)[keyof typeof GatewaySyncReasons];
