import { type DecideContext, decidePath } from './decide-path.ts';
import { isInManagedRoot, isRemovableDir, type ManagedRoot } from './managed-roots.ts';
import type { ResolvedProfile } from './mappings.ts';
import { PlanBuilder } from './plan-builder.ts';
import { ancestorsOf, compareDeepestFirst } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { DesiredFile, LiveEntry, ManifestEntry, SkippedPath, SyncPlan } from './sync-plan.ts';

export interface FullPlanInput {
  readonly commit: string;
  readonly profile: ResolvedProfile;
  readonly roots: readonly ManagedRoot[];
  readonly desired: ReadonlyMap<string, DesiredFile>;
  /** Every entry found under the managed roots (protected/excluded directories as `opaque`). */
  readonly live: ReadonlyMap<string, LiveEntry>;
  readonly desiredHashes: ReadonlyMap<string, string>;
  readonly liveHashes: ReadonlyMap<string, string>;
  readonly previous: ReadonlyMap<string, ManifestEntry> | null;
  readonly reportDrift: boolean;
  /** Skips found while listing sources (missing optional sources, symlinks, protected, conflicts). */
  readonly skipped: readonly SkippedPath[];
}

/**
 * Plans a sync by comparing the whole desired tree with the whole live content of the managed roots. Used on
 * the first run, after manifest loss, after a profile change, after an interrupted apply and on verification
 * passes. Pure.
 */
export function planFullSync(input: FullPlanInput): SyncPlan {
  const { profile, desired, live } = input;
  const ctx: DecideContext = {
    excludes: profile.excludes,
    protect: profile.protect,
    checkAncestors: false,
    reportDrift: input.reportDrift,
  };
  assertNoSymlinkAbove(desired, live);
  const builder = new PlanBuilder();
  const fact = (path: string) => ({
    path,
    desired: desired.get(path),
    desiredHash: input.desiredHashes.get(path),
    live: live.get(path),
    liveHash: input.liveHashes.get(path),
    previous: input.previous?.get(path),
    isManaged: true,
  });
  for (const path of desired.keys()) builder.add(path, decidePath(fact(path), ctx));
  for (const path of live.keys()) if (!desired.has(path)) builder.add(path, decidePath(fact(path), ctx));
  if (input.reportDrift && input.previous !== null) {
    for (const path of input.previous.keys()) {
      if (desired.has(path) || live.has(path)) continue;
      const decision = decidePath({ ...fact(path), isManaged: false }, { ...ctx, checkAncestors: true });
      if (decision.drift !== undefined && isInManagedRoot(path, input.roots))
        builder.drift.push(decision.drift);
    }
  }
  builder.skipped.push(...input.skipped);
  const removeDirs = planDirectoryRemoval(input, builder);
  return builder.build(input.commit, 'full', removeDirs, input.roots);
}

/** A desired file below a live symlink would be written through it: refuse the whole sync (stalling). */
function assertNoSymlinkAbove(
  desired: ReadonlyMap<string, DesiredFile>,
  live: ReadonlyMap<string, LiveEntry>,
): void {
  const links = new Set<string>();
  for (const [path, entry] of live) if (entry.kind === 'symlink') links.add(path);
  if (links.size === 0) return;
  for (const path of desired.keys()) {
    for (const dir of ancestorsOf(path)) if (links.has(dir)) throw symlinkInLiveTree(dir);
  }
}

/**
 * Live directories that hold nothing after the plan are removed (deepest first). A desired file blocked by a
 * directory that must stay (it holds protected or excluded content) is turned into a skip.
 */
function planDirectoryRemoval(input: FullPlanInput, builder: PlanBuilder): string[] {
  const deleted = new Set(builder.deletes.map((d) => d.path));
  const occupied = new Set<string>();
  const occupy = (path: string): void => {
    for (const dir of ancestorsOf(path)) {
      if (occupied.has(dir)) break;
      occupied.add(dir);
    }
  };
  for (const [path, entry] of input.live) if (entry.kind !== 'dir' && !deleted.has(path)) occupy(path);
  for (const w of builder.writes) occupy(w.path);
  const blocked = builder.writes.filter((w) => w.replacesDirectory && occupied.has(w.path));
  if (blocked.length > 0) {
    const isBlocked = new Set(blocked.map((w) => w.path));
    const kept = builder.writes.filter((w) => !isBlocked.has(w.path));
    builder.writes.splice(0, builder.writes.length, ...kept);
    for (const w of blocked) {
      builder.skipped.push({
        path: w.path,
        reason: 'blocked-by-directory',
        detail: 'a directory with kept content',
      });
    }
  }
  const removable: string[] = [];
  for (const [path, entry] of input.live) {
    if (entry.kind !== 'dir' || occupied.has(path)) continue;
    if (isRemovableDir(path, input.roots, input.profile)) removable.push(path);
  }
  return removable.sort(compareDeepestFirst);
}
