/** Prefix of every annotation and label this project reads or writes. */
export const ANNOTATION_PREFIX = 'ignition-sync.io/';

/**
 * Pod annotations (the seed's contract; the Ignition Helm chart passes them through `podAnnotations`).
 * Values are strings; `inject` must be `"true"`.
 */
export const PodAnnotations = {
  /** `"true"` makes the admission webhook inject the sync agent sidecar. */
  inject: 'ignition-sync.io/inject',
  /** Name of the IgnitionSync (same namespace) this gateway follows. */
  crName: 'ignition-sync.io/cr-name',
  /** Name of the SyncProfile (same namespace) that routes files for this gateway. */
  syncProfile: 'ignition-sync.io/sync-profile',
  /** 2-tier mode without a profile: the repo directory mirroring this gateway's data dir (`"."` = root). */
  servicePath: 'ignition-sync.io/service-path',
  /** Gateway identity; default: label `app.kubernetes.io/name`, then the pod name. */
  gatewayName: 'ignition-sync.io/gateway-name',
  /**
   * Name of the pod volume that holds the gateway data directory. Default: the volume a container mounts at
   * `/usr/local/bin/ignition/data` (the official Ignition image and chart).
   */
  dataVolume: 'ignition-sync.io/data-volume',
  /**
   * Written by the admission webhook, never by users: why an annotated pod was admitted **without** the agent
   * (`<Reason>: <message>`; reasons in src/reasons/injection.ts). Removed when a later admission injects it.
   */
  injectionSkipped: 'ignition-sync.io/injection-skipped',
} as const;

/** Annotations on an IgnitionSync. The receiver and approvers write them; nobody edits `spec` for a trigger. */
export const IgnitionSyncAnnotations = {
  /** Ref requested by a webhook delivery (git ref rules or a full SHA). */
  requestedRef: 'ignition-sync.io/requested-ref',
  /** RFC 3339 time of the request. */
  requestedAt: 'ignition-sync.io/requested-at',
  /** Who asked (sender kind and delivery id, never a secret). */
  requestedBy: 'ignition-sync.io/requested-by',
  /** Approver of the pending ref (seed: `kubectl annotate ignitionsync x approved-by=alice`). */
  approvedBy: 'ignition-sync.io/approved-by',
  /** RFC 3339 time of the approval. */
  approvedAt: 'ignition-sync.io/approved-at',
} as const;

/**
 * The seed's approval example annotates without a prefix (`approved-by=alice approved-at=...`). The
 * controller accepts these unprefixed names as aliases of the prefixed ones.
 */
export const UnprefixedApprovalAnnotations = {
  approvedBy: 'approved-by',
  approvedAt: 'approved-at',
} as const;

/** Labels set on objects the operator creates. */
export const Labels = {
  /** On owned objects: the IgnitionSync they belong to. */
  crName: 'ignition-sync.io/cr-name',
  /** On per-gateway status objects: the gateway name. */
  gatewayName: 'ignition-sync.io/gateway-name',
  managedBy: 'app.kubernetes.io/managed-by',
} as const;

export const MANAGED_BY = 'ignition-sync';
