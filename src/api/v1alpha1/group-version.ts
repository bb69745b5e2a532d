/** The API group and version of every kind in this folder. */
export const API_GROUP = 'sync.ignition.io';
export const API_VERSION_NAME = 'v1alpha1';
export const API_VERSION = `${API_GROUP}/${API_VERSION_NAME}` as const;

/** Kind names. `Gateway` exists only in standalone mode (`ignition-sync run`); it is not a CRD. */
export const Kinds = {
  IgnitionSync: 'IgnitionSync',
  SyncProfile: 'SyncProfile',
  Gateway: 'Gateway',
} as const;
export type Kind = (typeof Kinds)[keyof typeof Kinds];

/** Resource (plural) names of the CRDs, as used in REST paths and RBAC rules. */
export const Resources = {
  ignitionSyncs: 'ignitionsyncs',
  syncProfiles: 'syncprofiles',
} as const;
