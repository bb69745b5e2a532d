// Public API of the IgnitionSync controller. Import from here only.
export { type ControllerReason, ControllerReasons } from '../reasons/index.ts';
export { computeStatus, type Failure, type Observation, type Resolution } from './compute-status.ts';
export {
  buildDesiredState,
  planDesiredStateWrite,
  publishedAuthOf,
  readDesiredState,
} from './desired-state.ts';
export { effectiveRef, planRequestedRefCleanup, sameRef } from './effective-ref.ts';
export { discoveredGateway, gatewayPodsOf, readGatewayReport } from './gateway-discovery.ts';
export type { ListenAddress } from './http-server.ts';
export { ControllerMetrics } from './metrics.ts';
export {
  type ConfigMapObject,
  type IgnitionSyncObject,
  type PodObject,
  parseIgnitionSync,
  type SyncProfileObject,
} from './objects.ts';
export { type ControllerCaches, createIgnitionSyncReconciler, type ReconcilerOptions } from './reconciler.ts';
export {
  defaultIdentity,
  type InjectionHandlerDeps,
  type InjectionHandlerFactory,
  type RunControllerOptions,
  runController,
} from './run-controller.ts';
