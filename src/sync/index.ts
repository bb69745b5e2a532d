export { type SyncReason, SyncReasons } from '../reasons/index.ts';
export { type ApplyOptions, type ApplyOutcome, applyPlan } from './apply-plan.ts';
export type { PlannedSync } from './commit-plan.ts';
export { computeDesiredTree, type SourceFile, type SourceListing } from './desired-tree.ts';
export { computeManagedRoots, type ManagedRoot } from './managed-roots.ts';
export { configModeJson, type ResolvedMapping, type ResolvedProfile, resolveProfile } from './mappings.ts';
export { type OwnedDestination, ownedDestinationsOf } from './owned-destinations.ts';
export { planFullSync } from './plan-full.ts';
export { computeIncrementalCandidates, planIncrementalSync } from './plan-incremental.ts';
export type {
  DeploymentModeInput,
  MappingsProfileInput,
  ServicePathProfileInput,
  SourceChange,
  SyncMappingInput,
  SyncProfileInput,
} from './profile.ts';
export { BUILTIN_EXCLUDES, ENGINE_DIR, PROTECTED_PATTERNS } from './protected-paths.ts';
export {
  applyPreparedSync,
  type PreparedSync,
  planSync,
  prepareSync,
  readAppliedState,
  type SyncInput,
  syncDataDir,
} from './sync-data-dir.ts';
export type {
  DriftEntry,
  DriftKind,
  ManifestEntry,
  MutationHook,
  PlanStrategy,
  SkippedPath,
  SkipReason,
  SyncPlan,
} from './sync-plan.ts';
export { type SyncResult, summarizePlan } from './sync-result.ts';
