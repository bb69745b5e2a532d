import type { ResolvedMapping, ResolvedProfile } from './mappings.ts';
import { isUnder, joinPath, relativeTo } from './safe-path.ts';
import type { ManifestEntry } from './sync-plan.ts';

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
  readonly previous: ReadonlyMap<string, ManifestEntry> | null;
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
    for (const child of previousChildren(m.destination, inputs.previous)) add(child);
  }
  const { protect, excludes } = inputs.profile;
  return [...byPath.values()]
    .filter((r) => !protect.matches(r.path, r.type === 'dir') && !excludes.matches(r.path, r.type === 'dir'))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function previousChildren(
  destination: string,
  previous: ReadonlyMap<string, ManifestEntry> | null,
): ManagedRoot[] {
  if (previous === null) return [];
  const seen = new Map<string, ManagedRoot>();
  for (const path of previous.keys()) {
    if (destination !== '' && !path.startsWith(`${destination}/`)) continue;
    const rel = relativeTo(path, destination);
    const slash = rel.indexOf('/');
    const name = slash < 0 ? rel : rel.slice(0, slash);
    if (name === '' || seen.has(name)) continue;
    seen.set(name, {
      path: joinPath(destination, name),
      type: slash < 0 ? 'file' : 'dir',
      isRemovable: true,
    });
  }
  return [...seen.values()];
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
