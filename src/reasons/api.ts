import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * The reasons the API's conditions speak in (IgnitionSync and SyncProfile status), also used by the
 * components that raise them: the sync engine raises `ProfileInvalid`, the standalone runner reports
 * `SyncFailed` and `Paused`.
 */
export const API_REASONS = defineReasons({
  Succeeded: { kind: 'none', condition: 'Ready', meaning: 'the last reconcile fully succeeded' },
  Progressing: {
    kind: 'none',
    condition: 'Reconciling',
    meaning: 'a reconcile is in progress (Ready is Unknown meanwhile)',
  },
  RefResolved: { kind: 'none', condition: 'RefResolved', meaning: 'the effective ref resolved to a commit' },
  RefResolutionFailed: {
    kind: 'transient',
    condition: 'RefResolved',
    meaning: 'resolving the effective ref failed and no more specific git reason applies',
  },
  AllSynced: {
    kind: 'none',
    condition: 'AllGatewaysSynced',
    meaning: 'every discovered gateway reports the released commit as synced',
  },
  SyncInProgress: {
    kind: 'none',
    condition: 'AllGatewaysSynced',
    meaning: 'gateways are still syncing to the released commit',
  },
  SyncFailed: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: 'a gateway sync failed without a more specific reason; retried with backoff',
  },
  NoGatewaysDiscovered: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning: 'no gateway references this IgnitionSync yet',
  },
  AwaitingApproval: {
    kind: 'waiting',
    condition: 'PendingApproval',
    meaning: 'a resolved ref is held until it is approved (spec.approval.required)',
  },
  Approved: { kind: 'none', condition: 'PendingApproval', meaning: 'the held ref was approved' },
  ApprovalExpired: {
    kind: 'stalling',
    condition: 'PendingApproval',
    meaning: 'the held ref was not approved within spec.approval.timeout; a new request is needed',
  },
  RateLimitExceeded: {
    kind: 'waiting',
    condition: 'RateLimited',
    meaning: 'spec.rateLimit holds gateways back; they start when the limits allow',
  },
  Paused: {
    kind: 'none',
    condition: 'Ready',
    meaning: 'spec.paused (or a profile paused) skips reconciling and syncing those gateways',
  },
  SpecInvalid: {
    kind: 'stalling',
    condition: 'Ready',
    meaning: 'the IgnitionSync spec cannot be used as written; fix the spec',
  },
  ProfileInvalid: {
    kind: 'stalling',
    condition: 'Accepted',
    meaning: 'a SyncProfile cannot be applied (mapping, destination or deployment mode); nothing is written',
  },
  ProfileAccepted: { kind: 'none', condition: 'Accepted', meaning: 'the SyncProfile is valid and usable' },
  KnownHostsMissing: {
    kind: 'none',
    condition: 'HostKeyVerificationDisabled',
    meaning: 'no known-hosts Secret is configured, so SSH host keys are not verified (a warning)',
  },
  SecretMissing: { kind: 'stalling', condition: 'Ready', meaning: 'a referenced Secret does not exist' },
  SecretMissingKey: {
    kind: 'stalling',
    condition: 'Ready',
    meaning: 'a referenced Secret exists but lacks the referenced key',
  },
});

export const ApiReasons = namesOf(API_REASONS);
export type ApiReason = (typeof ApiReasons)[keyof typeof ApiReasons];

/** Reasons of `ignition-sync validate` and manifest parsing (reported per document, never a condition). */
export const MANIFEST_REASONS = defineReasons({
  ManifestUnreadable: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'a manifest file cannot be read or is not YAML',
  },
  ManifestInvalid: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'a manifest document fails schema or reference validation',
  },
});

export const ManifestReasons = namesOf(MANIFEST_REASONS);
