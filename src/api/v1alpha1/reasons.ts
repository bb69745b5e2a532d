/**
 * Condition and Event reasons owned by the API (CamelCase, Kubernetes reason grammar). Components define
 * their own failure reasons next to their code; these are the ones the API's conditions speak in.
 */
export const ApiReasons = {
  Succeeded: 'Succeeded',
  Progressing: 'Progressing',
  RefResolved: 'RefResolved',
  RefResolutionFailed: 'RefResolutionFailed',
  AllSynced: 'AllSynced',
  SyncInProgress: 'SyncInProgress',
  SyncFailed: 'SyncFailed',
  NoGatewaysDiscovered: 'NoGatewaysDiscovered',
  AwaitingApproval: 'AwaitingApproval',
  Approved: 'Approved',
  ApprovalExpired: 'ApprovalExpired',
  RateLimitExceeded: 'RateLimitExceeded',
  Paused: 'Paused',
  SpecInvalid: 'SpecInvalid',
  ProfileInvalid: 'ProfileInvalid',
  ProfileAccepted: 'ProfileAccepted',
  KnownHostsMissing: 'KnownHostsMissing',
  SecretMissing: 'SecretMissing',
  SecretMissingKey: 'SecretMissingKey',
} as const;
export type ApiReason = (typeof ApiReasons)[keyof typeof ApiReasons];

/** Reasons of `ignition-sync validate` and manifest parsing (reported per document). */
export const ManifestReasons = {
  ManifestUnreadable: 'ManifestUnreadable',
  ManifestInvalid: 'ManifestInvalid',
} as const;
