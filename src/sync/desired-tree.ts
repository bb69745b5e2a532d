import type { ResolvedProfile } from './mappings.ts';
import { ancestorsOf, joinPath } from './safe-path.ts';
import type { DesiredFile, SkippedPath } from './sync-plan.ts';

/** A regular file found under a mapping source (already filtered by excludes and protection). */
export interface SourceFile {
  /** Relative to the mapping source (`''` for a file mapping). */
  readonly rel: string;
  readonly size: number;
  readonly mode: number;
}

/** The listing of one active mapping's source. */
export interface SourceListing {
  readonly mappingIndex: number;
  readonly files: readonly SourceFile[];
}

export interface DesiredTree {
  readonly desired: Map<string, DesiredFile>;
  readonly skipped: SkippedPath[];
}

/**
 * Overlays the mapping listings in profile order: a later mapping replaces an earlier one file by file and
 * directories merge. Where one mapping has a file and a later one a directory at the same path (or the other
 * way round), the later mapping wins and the loser is reported as `overlay-conflict`. Generated files (a
 * deployment mode's config-mode.json) fill in only where the repository provides none. Pure.
 */
export function computeDesiredTree(
  profile: ResolvedProfile,
  listings: readonly SourceListing[],
  textByteLength: (text: string) => number,
): DesiredTree {
  const desired = new Map<string, DesiredFile>();
  const ordered = [...listings].sort((a, b) => a.mappingIndex - b.mappingIndex);
  for (const listing of ordered) {
    const mapping = profile.mappings[listing.mappingIndex];
    if (mapping === undefined) continue;
    for (const file of listing.files) {
      const path = joinPath(mapping.destination, file.rel);
      desired.set(path, {
        path,
        origin: { kind: 'source', sourcePath: joinPath(mapping.source, file.rel) },
        size: file.size,
        mode: file.mode,
        mappingIndex: mapping.index,
      });
    }
  }
  const active = new Set(ordered.map((l) => l.mappingIndex));
  for (const g of profile.generated) {
    if (!active.has(g.mappingIndex) || desired.has(g.path)) continue;
    desired.set(g.path, {
      path: g.path,
      origin: { kind: 'generated', content: g.content },
      size: textByteLength(g.content),
      mode: 0o644,
      mappingIndex: g.mappingIndex,
    });
  }
  return { desired, skipped: resolveTypeConflicts(desired) };
}

function resolveTypeConflicts(desired: Map<string, DesiredFile>): SkippedPath[] {
  const skipped: SkippedPath[] = [];
  for (const [path, file] of desired) {
    for (const dir of ancestorsOf(path)) {
      const blocker = desired.get(dir);
      if (blocker === undefined) continue;
      const loser = blocker.mappingIndex > file.mappingIndex ? path : dir;
      desired.delete(loser);
      skipped.push({
        path: loser,
        reason: 'overlay-conflict',
        detail: 'a later mapping has a file/directory here',
      });
      if (loser === path) break;
    }
  }
  return skipped;
}
