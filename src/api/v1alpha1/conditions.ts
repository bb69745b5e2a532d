/**
 * Condition types (metav1.Condition.type). Positive polarity unless noted ("abnormal-true" types read
 * True when something is wrong, as Flux documents them).
 */
export const ConditionTypes = {
  /** Summary: True when the last reconcile fully succeeded. */
  Ready: 'Ready',
  /** The effective ref resolved to a commit. */
  RefResolved: 'RefResolved',
  /** Every discovered gateway reports the released commit as synced. */
  AllGatewaysSynced: 'AllGatewaysSynced',
  /** Abnormal-true: a resolved ref waits for approval (`spec.approval.required`). */
  PendingApproval: 'PendingApproval',
  /** Abnormal-true: rate limits hold gateways back. */
  RateLimited: 'RateLimited',
  /** Abnormal-true: a user fix is needed; no automatic retry until the spec changes. */
  Stalled: 'Stalled',
  /** Abnormal-true: the reconcile is in progress. */
  Reconciling: 'Reconciling',
  /** Abnormal-true: SSH host keys are not verified (no known-hosts Secret configured). */
  HostKeyVerificationDisabled: 'HostKeyVerificationDisabled',
  /** SyncProfile: the profile is valid and usable. */
  Accepted: 'Accepted',
} as const;
export type ConditionType = (typeof ConditionTypes)[keyof typeof ConditionTypes];

export const ConditionStatuses = {
  True: 'True',
  False: 'False',
  Unknown: 'Unknown',
} as const;
export type ConditionStatus = (typeof ConditionStatuses)[keyof typeof ConditionStatuses];
