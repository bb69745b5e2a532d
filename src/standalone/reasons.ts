/** Reasons of the standalone runner's own failures (git, sync and gateway reasons pass through). */
export const StandaloneReasons = {
  ConfigInvalid: 'ConfigInvalid',
  SecretNotFound: 'SecretNotFound',
  SyncFailed: 'SyncFailed',
  Paused: 'Paused',
  ShuttingDown: 'ShuttingDown',
} as const;
export type StandaloneReason = (typeof StandaloneReasons)[keyof typeof StandaloneReasons];
