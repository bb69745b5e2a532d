import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the IgnitionSync controller (src/controller): per-gateway reasons it writes into
 * `status.discoveredGateways[]`, its Event reasons, and its own process failures. The condition reasons it
 * shares with the API (`Succeeded`, `Paused`, `RefResolved`, `AllSynced`, ...) are the API's.
 */
export const CONTROLLER_REASONS = defineReasons({
  ProfileNotFound: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning:
      'a gateway pod names a SyncProfile that does not exist in its namespace (or names neither a profile nor a service path)',
  },
  GatewayReportInvalid: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: "a gateway's report ConfigMap is not valid JSON or breaks the GatewayReport contract",
  },
  CommitPublished: {
    kind: 'none',
    condition: 'none',
    meaning: 'Event: the controller published a new desired commit for the gateways',
  },
  DesiredStateConflict: {
    kind: 'stalling',
    condition: 'Ready',
    meaning: 'the desired-state ConfigMap exists but is controlled by another object; it is not overwritten',
  },
  ControllerConfigInvalid: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'the controller flags are invalid (listen address, kubeconfig, certificate pair); exit code 2',
  },
});

export const ControllerReasons = namesOf(CONTROLLER_REASONS);
export type ControllerReason = (typeof ControllerReasons)[keyof typeof ControllerReasons];
