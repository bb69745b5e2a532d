import { type DecideContext, decidePath, type PathFact } from './decide-path.ts';
import { isRemovableDir, type ManagedRoot } from './managed-roots.ts';
import type { GeneratedFile, ResolvedMapping, ResolvedProfile } from './mappings.ts';
import { PlanBuilder } from './plan-builder.ts';
import type { SourceChange } from './profile.ts';
import {
  ancestorsOf,
  compareDeepestFirst,
  isUnder,
  joinPath,
  normalizeRelativePath,
  relativeTo,
} from './safe-path.ts';
import type { ManifestEntry, SkippedPath, SyncPlan } from './sync-plan.ts';

/** Where a destination's content may come from, highest priority (latest mapping) first. */
export interface SourceProbe {
  readonly mapping: ResolvedMapping;
  readonly sourcePath: string;
}

export interface Candidate {
  readonly path: string;
  readonly probes: readonly SourceProbe[];
  readonly generated: GeneratedFile | undefined;
}

/**
 * Destination paths a git change list can affect, each with the sources that could provide it (every
 * active mapping covering the path, latest first, so that deleting an overlay file lets the earlier mapping's
 * file show through). Pure; throws PathTraversalBlocked for a change path with `..` or an absolute path.
 */
export function computeIncrementalCandidates(
  profile: ResolvedProfile,
  active: readonly ResolvedMapping[],
  changes: readonly SourceChange[],
): Map<string, Candidate> {
  const destinations = new Set<string>();
  // every mapping (active or not) turns a changed path into a destination: a file deleted with its whole
  // optional source may still sit inside another active mapping's root and must then be removed
  const addRepoPath = (raw: string): void => {
    const repoPath = normalizeRelativePath(raw, 'changed path');
    for (const m of profile.mappings) {
      if (m.type === 'file' ? repoPath === m.source : isUnder(repoPath, m.source) && repoPath !== m.source) {
        destinations.add(
          m.type === 'file' ? m.destination : joinPath(m.destination, relativeTo(repoPath, m.source)),
        );
      }
    }
  };
  for (const change of changes) {
    addRepoPath(change.path);
    if (change.oldPath !== undefined) addRepoPath(change.oldPath);
  }
  const latestFirst = [...active].sort((a, b) => b.index - a.index);
  const candidates = new Map<string, Candidate>();
  for (const path of destinations) {
    const probes: SourceProbe[] = [];
    for (const m of latestFirst) {
      if (m.type === 'file' && path === m.destination) probes.push({ mapping: m, sourcePath: m.source });
      if (m.type === 'dir' && isUnder(path, m.destination) && path !== m.destination) {
        probes.push({ mapping: m, sourcePath: joinPath(m.source, relativeTo(path, m.destination)) });
      }
    }
    const isActive = (g: GeneratedFile): boolean => active.some((m) => m.index === g.mappingIndex);
    const generated = profile.generated.find((g) => g.path === path && isActive(g));
    candidates.set(path, { path, probes, generated });
  }
  return candidates;
}

export interface IncrementalPlanInput {
  readonly commit: string;
  readonly profile: ResolvedProfile;
  readonly roots: readonly ManagedRoot[];
  readonly facts: readonly PathFact[];
  readonly previous: ReadonlyMap<string, ManifestEntry>;
  readonly skipped: readonly SkippedPath[];
}

/**
 * Plans from the changed paths only; every other manifest entry carries over unchanged. Work is proportional
 * to the change list. Pure.
 */
export function planIncrementalSync(input: IncrementalPlanInput): SyncPlan {
  const ctx: DecideContext = {
    excludes: input.profile.excludes,
    protect: input.profile.protect,
    checkAncestors: true,
    reportDrift: false,
  };
  const builder = new PlanBuilder(input.previous);
  for (const fact of input.facts) builder.add(fact.path, decidePath(fact, ctx));
  builder.skipped.push(...input.skipped);
  const candidates = new Set<string>();
  for (const d of builder.deletes) for (const dir of ancestorsOf(d.path)) candidates.add(dir);
  const removeDirs = [...candidates].filter((dir) => isRemovableDir(dir, input.roots, input.profile));
  return builder.build(input.commit, 'incremental', removeDirs.sort(compareDeepestFirst), input.roots);
}
