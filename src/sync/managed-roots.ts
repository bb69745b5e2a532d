import type { ResolvedMapping, ResolvedProfile } from './mappings.ts';
import { isUnder, joinPath, parentOf } from './safe-path.ts';

/**
 * A directory or file the sync owns. Inside a dir root git wins: files not in the desired tree are deleted.
 * Roots come from the active mappings' destinations; a `children` mapping (destination `.` or 2-tier
 * `config/resources`) contributes one root per entry its source provides (and per entry the engine wrote
 * there before, so that entries deleted from git are cleaned up), never the destination itself.
 */
export interface ManagedRoot {
  readonly path: string;
  readonly type: 'dir' | 'file';
  /** Only roots derived from a `children` mapping may be removed once empty. */
  readonly isRemovable: boolean;
  /** Derived only from the last apply's roots (the source no longer has it): dropped once it holds nothing. */
  readonly isLingering?: boolean;
}

export interface ChildEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

export interface RootInputs {
  readonly profile: ResolvedProfile;
  /** Mappings whose source exists at the target commit. */
  readonly active: readonly ResolvedMapping[];
  /** For each active `children` mapping: the top-level entries of its source. */
  readonly children: ReadonlyMap<number, readonly ChildEntry[]>;
  /** The roots recorded by the last apply (`encodeRoots`), so children deleted from git are still managed. */
  readonly previousRoots: readonly string[] | null;
}

export function computeManagedRoots(inputs: RootInputs): ManagedRoot[] {
  const byPath = new Map<string, ManagedRoot>();
  const add = (root: ManagedRoot): void => {
    const existing = byPath.get(root.path);
    if (existing === undefined) {
      byPath.set(root.path, root);
      return;
    }
    byPath.set(root.path, {
      path: root.path,
      type: existing.type === 'dir' || root.type === 'dir' ? 'dir' : 'file',
      isRemovable: existing.isRemovable && root.isRemovable,
      isLingering: existing.isLingering === true && root.isLingering === true,
    });
  };
  for (const m of inputs.active) {
    if (m.rootMode === 'self') {
      add({ path: m.destination, type: m.type, isRemovable: false });
      continue;
    }
    for (const child of inputs.children.get(m.index) ?? []) {
      add({
        path: joinPath(m.destination, child.name),
        type: child.isDirectory ? 'dir' : 'file',
        isRemovable: true,
      });
    }
    for (const child of previousChildren(m.destination, inputs.previousRoots)) add(child);
  }
  const { protect, excludes } = inputs.profile;
  return [...byPath.values()]
    .filter((r) => !protect.matches(r.path, r.type === 'dir') && !excludes.matches(r.path, r.type === 'dir'))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function previousChildren(destination: string, previousRoots: readonly string[] | null): ManagedRoot[] {
  const out: ManagedRoot[] = [];
  for (const encoded of previousRoots ?? []) {
    const kind = encoded.slice(0, 2);
    const path = encoded.slice(2);
    if ((kind === 'c:' || kind === 'g:') && parentOf(path) === destination && path !== '') {
      out.push({ path, type: kind === 'c:' ? 'dir' : 'file', isRemovable: true, isLingering: true });
    }
  }
  return out;
}

/** The smallest set of root paths whose walk covers every root (nested roots are skipped). */
export function rootsToWalk(roots: readonly ManagedRoot[]): ManagedRoot[] {
  const dirs = roots.filter((r) => r.type === 'dir');
  return roots.filter((r) => !dirs.some((d) => d !== r && d.path !== r.path && isUnder(r.path, d.path)));
}

/** Is `path` inside a managed root (a file root itself, or anything below a dir root)? */
export function isInManagedRoot(path: string, roots: readonly ManagedRoot[]): boolean {
  return roots.some((r) => (r.type === 'file' ? r.path === path : isUnder(path, r.path)));
}

/**
 * May the engine remove this directory once it is empty? Only strictly inside a dir root (or a removable
 * root itself), never a root that must stay nor anything above a root, never protected or excluded.
 */
export function isRemovableDir(
  dir: string,
  roots: readonly ManagedRoot[],
  profile: ResolvedProfile,
): boolean {
  let inside = false;
  for (const r of roots) {
    if (r.path === dir) {
      if (!r.isRemovable || r.type !== 'dir') return false;
      inside = true;
    } else if (isUnder(r.path, dir)) {
      return false;
    } else if (r.type === 'dir' && isUnder(dir, r.path)) {
      inside = true;
    }
  }
  return inside && !profile.protect.matches(dir, true) && !profile.excludes.matches(dir, true);
}

/**
 * Stable string form of a root set for the manifest, sorted: `d:`/`f:` for mapping destinations, `c:`/`g:`
 * for directory/file roots derived from a `children` mapping.
 */
export function encodeRoots(roots: readonly ManagedRoot[]): string[] {
  const prefix = (r: ManagedRoot): string =>
    r.isRemovable ? (r.type === 'dir' ? 'c:' : 'g:') : r.type === 'dir' ? 'd:' : 'f:';
  return roots.map((r) => `${prefix(r)}${r.path}`).sort();
}

/**
 * The roots to record after an apply: a lingering root (only known from the previous apply) is kept while
 * the manifest still has files at or below it, so that it stops being managed once git's content is gone.
 */
export function rootsToRecord(roots: readonly ManagedRoot[], entryPaths: Iterable<string>): ManagedRoot[] {
  const lingering = roots.filter((r) => r.isLingering === true);
  if (lingering.length === 0) return [...roots];
  const occupied = new Set<string>();
  for (const path of entryPaths) {
    for (const r of lingering) if (isUnder(path, r.path)) occupied.add(r.path);
    if (occupied.size === lingering.length) break;
  }
  return roots.filter((r) => r.isLingering !== true || occupied.has(r.path));
}
