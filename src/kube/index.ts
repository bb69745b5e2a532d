// Public API of the kube runtime. Import from here only.

export { type KubeReason, KubeReasons } from '../reasons/index.ts';
export type {
  AdmissionDecision,
  AdmissionHandler,
  AdmissionRequest,
  AdmissionReviewResponse,
  JsonPatchOperation,
} from './admission-review.ts';
export { jsonPointerSegment, parseAdmissionReview, toAdmissionResponse } from './admission-review.ts';
export { AdmissionServer, type AdmissionServerOptions } from './admission-server.ts';
export { type Clock, sleep, systemClock, type TimerHandle } from './clock.ts';
export type { Condition, ConditionUpdate } from './conditions.ts';
export {
  conditionsEqual,
  findCondition,
  formatConditionTime,
  isConditionTrue,
  removeCondition,
  setCondition,
  validateCondition,
} from './conditions.ts';
export {
  Controller,
  type ControllerOptions,
  type ReconcileContext,
  type ReconcileOutcome,
  type ReconcileResult,
  type Reconciler,
} from './controller.ts';
export { EventRecorder, type EventRecorderOptions, type EventType } from './event-recorder.ts';
export { hasFinalizer, isBeingDeleted, planFinalizerPatch, updateFinalizer } from './finalizers.ts';
export {
  createHealthHandler,
  evaluateHealth,
  type HealthCheck,
  type HealthChecks,
  type HealthResponse,
} from './health.ts';
export { Informer, type InformerHandlers, type InformerOptions, type InformerStats } from './informer.ts';
export {
  apiStatusCode,
  collectionPath,
  isAlreadyExists,
  isConflict,
  isNotFound,
  KubeApiError,
  KubeClient,
  type KubeRequest,
  type KubeStatus,
  objectPath,
  type ResourceRef,
} from './kube-client.ts';
export { LeaderElector, type LeaderElectorOptions, type LeaseSpec, microTime } from './leader-election.ts';
export { Manager, type ManagerOptions, type SyncedCache } from './manager.ts';
export { objectKey, splitObjectKey } from './object-key.ts';
export {
  controllerOwnerKey,
  controllerReference,
  getControllerOf,
  type OwnerObject,
  withControllerReference,
} from './owner-references.ts';
export {
  createDefaultControllerRateLimiter,
  ExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  type RateLimiter,
  TokenBucketRateLimiter,
} from './rate-limiter.ts';
export type { Runnable } from './runnable.ts';
export { type UpdateStatusOptions, updateStatus } from './status-patch.ts';
export { WorkQueue, type WorkQueueOptions } from './work-queue.ts';
