import { ApiReasons } from './api.ts';
import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the standalone runner's own failures (src/standalone); git, sync and gateway reasons pass
 * through. They appear in the run report and the logs, never in a condition (there is no Kubernetes).
 * `SyncFailed` and `Paused` are the API's.
 */
export const STANDALONE_REASONS = defineReasons({
  ConfigInvalid: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'the run configuration (documents, references, flags) is invalid; exit code 2',
  },
  SecretNotFound: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'a referenced secret is not in --secrets-dir, is not readable, or no --secrets-dir was given',
  },
  ShuttingDown: {
    kind: 'transient',
    condition: 'none',
    meaning:
      'the runner is stopping: the gateway was not synced, or its wait was abandoned after the grace period',
  },
  DemoSetupFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'a git command preparing the npm start demo repository failed',
  },
});

export const StandaloneReasons = {
  ...namesOf(STANDALONE_REASONS),
  SyncFailed: ApiReasons.SyncFailed,
  Paused: ApiReasons.Paused,
} as const;
export type StandaloneReason = (typeof StandaloneReasons)[keyof typeof StandaloneReasons];
