import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons of the generic Kubernetes runtime's own errors (src/kube). Apiserver failures are `KubeApiError`s
 * whose reason comes from the `metav1.Status` reason through `KUBE_STATUS_REASONS`.
 */
export const KUBE_REASONS = defineReasons({
  ReconcileFailed: {
    kind: 'transient',
    condition: 'Ready',
    meaning: 'a reconciler threw something that was not an OperatorError',
  },
  KubeApiError: {
    kind: 'transient',
    condition: 'none',
    meaning: 'an apiserver request failed (the Status reason, if any, is in status.reason)',
  },
  Conflict: {
    kind: 'transient',
    condition: 'none',
    meaning: '409 Conflict: the object changed since it was read (resourceVersion precondition)',
  },
  KubeObjectNotFound: {
    kind: 'transient',
    condition: 'none',
    meaning: '404 NotFound from the apiserver: the Kubernetes object does not exist',
  },
  WatchFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'an informer list or watch failed; it backs off',
  },
  ListFailed: { kind: 'transient', condition: 'none', meaning: 'an informer list failed; it backs off' },
  StatusPatchFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'a status update still conflicted after its retries',
  },
  FinalizerPatchFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'adding or removing a finalizer failed',
  },
  LeaderElectionLost: {
    kind: 'transient',
    condition: 'none',
    meaning: 'the Lease could not be renewed or was taken over; the process should exit',
  },
  RunnableFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'a runnable of the manager threw; the others were stopped',
  },
  AdmissionFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'an admission handler threw; answered allowed=false with code 500',
  },
  CertificateLoadFailed: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'the webhook certificate or key cannot be read or is invalid',
  },
  EventRecordFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'writing a core/v1 Event failed; the event is dropped',
  },
});

export const KubeReasons = namesOf(KUBE_REASONS);
export type KubeReason = (typeof KubeReasons)[keyof typeof KubeReasons];

/** `metav1.Status` reasons that keep their own registry reason in a `KubeApiError`; others are `KubeApiError`. */
export const KUBE_STATUS_REASONS: ReadonlyMap<string, KubeReason> = new Map([
  ['NotFound', KubeReasons.KubeObjectNotFound],
  ['Conflict', KubeReasons.Conflict],
]);
