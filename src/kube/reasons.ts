/** Reasons of the kube runtime's own errors (CamelCase, valid condition/event reasons). */
export const KubeReasons = {
  ReconcileFailed: 'ReconcileFailed',
  KubeApiError: 'KubeApiError',
  Conflict: 'Conflict',
  NotFound: 'NotFound',
  WatchFailed: 'WatchFailed',
  ListFailed: 'ListFailed',
  StatusPatchFailed: 'StatusPatchFailed',
  FinalizerPatchFailed: 'FinalizerPatchFailed',
  LeaderElectionLost: 'LeaderElectionLost',
  RunnableFailed: 'RunnableFailed',
  AdmissionFailed: 'AdmissionFailed',
  CertificateLoadFailed: 'CertificateLoadFailed',
} as const;

export type KubeReason = (typeof KubeReasons)[keyof typeof KubeReasons];
