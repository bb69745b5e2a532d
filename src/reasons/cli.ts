import { defineReasons, namesOf } from './define-reasons.ts';

/** Fallback reasons of the command line (src/cli) for failures that reach a command without one. */
export const CLI_REASONS = defineReasons({
  RunFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: '`ignition-sync run` failed with an error carrying no reason; exit code 1',
  },
  ControllerFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: '`ignition-sync controller` failed with an error carrying no reason; exit code 1',
  },
  AgentFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: '`ignition-sync agent` failed with an error carrying no reason; exit code 1',
  },
  GatewaySimFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: '`ignition-sync gateway-sim` failed with an error carrying no reason; exit code 1',
  },
});

export const CliReasons = namesOf(CLI_REASONS);
export type CliReason = (typeof CliReasons)[keyof typeof CliReasons];
