import type { PathMatcher } from './path-matcher.ts';
import { baseNameOf } from './safe-path.ts';
import type {
  ChmodOp,
  DeleteOp,
  DesiredFile,
  DriftEntry,
  LiveEntry,
  ManifestEntry,
  SkippedPath,
  WriteOp,
} from './sync-plan.ts';
import { isTempName } from './temp-name.ts';

/** Everything known about one destination path. Hashes are present when sizes alone cannot decide. */
export interface PathFact {
  readonly path: string;
  readonly desired?: DesiredFile | undefined;
  readonly desiredHash?: string | undefined;
  readonly live?: LiveEntry | undefined;
  readonly liveHash?: string | undefined;
  /** The manifest entry from the last applied sync. */
  readonly previous?: ManifestEntry | undefined;
  readonly isManaged: boolean;
}

export interface DecideContext {
  readonly excludes: PathMatcher;
  readonly protect: PathMatcher;
  /** Full walks already pruned protected/excluded directories; incremental facts need the ancestor check. */
  readonly checkAncestors: boolean;
  readonly reportDrift: boolean;
}

export interface Decision {
  readonly write?: WriteOp;
  readonly chmod?: ChmodOp;
  readonly delete?: DeleteOp;
  /** Unchanged and correct: the manifest entry to keep. */
  readonly keep?: ManifestEntry;
  readonly skipped?: SkippedPath;
  readonly drift?: DriftEntry;
}

const PERMISSIONS = 0o777;

/** The single rule that turns a fact into an operation; both planners use it. Pure. */
export function decidePath(fact: PathFact, ctx: DecideContext): Decision {
  const { path, desired, live } = fact;
  const isDirLike = live?.kind === 'dir' || live?.kind === 'opaque';
  const match = (m: PathMatcher): boolean =>
    ctx.checkAncestors ? m.matches(path, isDirLike) : m.matchesSelf(path, isDirLike);
  if (match(ctx.protect)) {
    return desired === undefined ? {} : { skipped: { path, reason: 'protected' } };
  }
  if (
    desired === undefined &&
    live !== undefined &&
    !isDirLike &&
    fact.isManaged &&
    isTempName(baseNameOf(path))
  ) {
    return { delete: { path } }; // leftover temporary file of an interrupted apply (ours, even if excluded)
  }
  if (match(ctx.excludes)) return {};
  const drift = ctx.reportDrift ? computeDrift(fact) : undefined;
  const action = desired === undefined ? decideOrphan(fact) : decideDesired(fact, desired);
  return drift === undefined ? action : { ...action, drift };
}

function decideDesired(fact: PathFact, desired: DesiredFile): Decision {
  const { live } = fact;
  const base = { path: fact.path, origin: desired.origin, size: desired.size, mode: desired.mode };
  if (live === undefined) return { write: { ...base, kind: 'add', replacesDirectory: false } };
  if (live.kind === 'dir') return { write: { ...base, kind: 'modify', replacesDirectory: true } };
  if (live.kind === 'opaque') {
    return {
      skipped: {
        path: fact.path,
        reason: 'blocked-by-directory',
        detail: 'an unmanaged directory is in the way',
      },
    };
  }
  const isSameContent =
    live.kind === 'file' &&
    live.size === desired.size &&
    fact.liveHash !== undefined &&
    fact.liveHash === fact.desiredHash;
  if (!isSameContent) return { write: { ...base, kind: 'modify', replacesDirectory: false } };
  const entry: ManifestEntry = { hash: fact.liveHash ?? '', size: desired.size, mode: desired.mode };
  if ((live.mode & PERMISSIONS) === desired.mode) return { keep: entry };
  return { chmod: { path: fact.path, entry } };
}

function decideOrphan(fact: PathFact): Decision {
  const { live } = fact;
  if (live === undefined || live.kind === 'dir' || live.kind === 'opaque' || !fact.isManaged) return {};
  return { delete: { path: fact.path } };
}

function computeDrift(fact: PathFact): DriftEntry | undefined {
  const { path, live, previous } = fact;
  if (previous === undefined) {
    const isForeign = live !== undefined && live.kind !== 'dir' && live.kind !== 'opaque' && fact.isManaged;
    return isForeign ? { path, kind: 'added' } : undefined;
  }
  if (live === undefined) return { path, kind: 'deleted' };
  if (live.kind !== 'file') return { path, kind: 'modified' };
  const isChanged =
    live.size !== previous.size ||
    (fact.liveHash !== undefined && fact.liveHash !== previous.hash) ||
    (live.mode & PERMISSIONS) !== previous.mode;
  return isChanged ? { path, kind: 'modified' } : undefined;
}
