import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the sidecar injection (src/controller/injection): the admission webhook's decision for a pod
 * annotated `ignition-sync.io/inject: "true"`. A skipped pod is still admitted (a gateway must start even when
 * its sync is misconfigured); the reason is in the admission warning, the log and the pod annotation
 * `ignition-sync.io/injection-skipped`.
 */
export const INJECTION_REASONS = defineReasons({
  AgentInjected: {
    kind: 'none',
    condition: 'none',
    meaning: 'the sync agent was injected as a native sidecar into an annotated pod',
  },
  IgnitionSyncNotFound: {
    kind: 'waiting',
    condition: 'none',
    meaning: 'the pod names an IgnitionSync that does not exist in its namespace; admitted without the agent',
  },
  InjectionAnnotationsInvalid: {
    kind: 'stalling',
    condition: 'none',
    meaning:
      'the pod lacks cr-name, sets both or neither of sync-profile and service-path, or one is invalid; admitted without the agent',
  },
  DataVolumeNotFound: {
    kind: 'stalling',
    condition: 'none',
    meaning:
      'no volume is mounted at the gateway data directory and no valid data-volume annotation names one; admitted without the agent',
  },
  InjectionConflict: {
    kind: 'stalling',
    condition: 'none',
    meaning:
      'the pod already has a volume or container with a name the agent needs; admitted without the agent',
  },
});

export const InjectionReasons = namesOf(INJECTION_REASONS);
export type InjectionReason = (typeof InjectionReasons)[keyof typeof InjectionReasons];
