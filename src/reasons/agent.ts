import { ApiReasons } from './api.ts';
import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the sync agent's own failures and states (src/agent); git, engine and gateway reasons pass
 * through unchanged into the gateway report. `SyncFailed` and `Paused` are the API's.
 */
export const AGENT_REASONS = defineReasons({
  DesiredStateMissing: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning:
      "the IgnitionSync's desired-state ConfigMap does not exist (yet); the agent syncs once it is published",
  },
  DesiredStateInvalid: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning:
      'the desired-state ConfigMap has no valid desired.json; the gateway keeps its state until one is',
  },
  ProfileNotPublished: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning:
      "the pod's SyncProfile is not in the published desired state; retried when the desired state changes",
  },
  DryRun: {
    kind: 'none',
    condition: 'AllGatewaysSynced',
    meaning: "the gateway's SyncProfile has dryRun: the plan is reported as file counts, nothing is written",
  },
  AgentConfigInvalid: {
    kind: 'stalling',
    condition: 'none',
    meaning:
      "the agent's environment or flags are missing or invalid (pod identity, cr-name, profile); exit code 2",
  },
  ReportWriteFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'writing the gateway report ConfigMap failed; the agent writes it again with its next report',
  },
});

export const AgentReasons = {
  ...namesOf(AGENT_REASONS),
  SyncFailed: ApiReasons.SyncFailed,
  Paused: ApiReasons.Paused,
} as const;
export type AgentReason = (typeof AgentReasons)[keyof typeof AgentReasons];
