/** Shapes shared by the planner (pure) and the executor. Paths are data-dir-relative, `/`-separated. */

/** What a destination file is made from: a repository file or generated content. */
export type FileOrigin =
  | { readonly kind: 'source'; readonly sourcePath: string }
  | { readonly kind: 'generated'; readonly content: string };

/** A file the profile wants at `path` after the sync. */
export interface DesiredFile {
  readonly path: string;
  readonly origin: FileOrigin;
  readonly size: number;
  /** Permission bits (0o777 mask); the executable bit is preserved. */
  readonly mode: number;
  readonly mappingIndex: number;
}

/**
 * What is in the live data dir at a path. `opaque` marks a protected or excluded directory that a walk did
 * not descend into (it counts as content that stays).
 */
export interface LiveEntry {
  readonly kind: 'file' | 'dir' | 'symlink' | 'other' | 'opaque';
  readonly size: number;
  readonly mode: number;
}

/** What the manifest records per destination file the engine wrote or verified. */
export interface ManifestEntry {
  /** sha256 hex of the content. */
  readonly hash: string;
  readonly size: number;
  readonly mode: number;
}

export type SkipReason =
  | 'optional-source-missing'
  | 'protected'
  | 'symlink'
  | 'unsupported-file-type'
  | 'overlay-conflict'
  | 'blocked-by-directory';

export interface SkippedPath {
  /** Data-dir path (a trailing `/` marks a directory); for a missing source, the repository path. */
  readonly path: string;
  readonly reason: SkipReason;
  readonly detail?: string;
}

export type DriftKind = 'added' | 'modified' | 'deleted';

/** A change made on the gateway behind git's back, found by a verification pass before it is corrected. */
export interface DriftEntry {
  readonly path: string;
  readonly kind: DriftKind;
}

export interface WriteOp {
  readonly path: string;
  readonly kind: 'add' | 'modify';
  readonly origin: FileOrigin;
  readonly size: number;
  readonly mode: number;
  /** A directory is in the way and must be removed (it will be empty by then) before the rename. */
  readonly replacesDirectory: boolean;
}

export interface ChmodOp {
  readonly path: string;
  readonly entry: ManifestEntry;
}

export interface DeleteOp {
  readonly path: string;
}

export type PlanStrategy = 'noop' | 'incremental' | 'full';

/**
 * The complete, ordered work of one sync. The executor runs deletes, then removes emptied directories
 * (deepest first, only if empty), then writes and chmods. Nothing outside these lists is touched.
 */
export interface SyncPlan {
  readonly commit: string;
  readonly strategy: PlanStrategy;
  readonly writes: readonly WriteOp[];
  readonly chmods: readonly ChmodOp[];
  readonly deletes: readonly DeleteOp[];
  readonly removeDirs: readonly string[];
  readonly skipped: readonly SkippedPath[];
  readonly drift: readonly DriftEntry[];
  /** The managed roots this plan covered (`encodeRoots`); recorded so a change of roots forces a full plan. */
  readonly roots: readonly string[];
  /** Manifest entries valid after the apply, except the writes (whose hashes the executor records). */
  readonly nextManifest: ReadonlyMap<string, ManifestEntry>;
}

export function hasFileOperations(plan: SyncPlan): boolean {
  return plan.writes.length + plan.chmods.length + plan.deletes.length + plan.removeDirs.length > 0;
}

/**
 * Test seam: called synchronously before every mutation of the data directory (`state`, `delete`, `rmdir`,
 * `mkdir`, `write` = temp file written, about to be renamed, `chmod`, `manifest`). The kill test SIGKILLs
 * itself from here to interrupt the apply at exact points. Never set in production.
 */
export type MutationHook = (step: string, path: string) => void;
